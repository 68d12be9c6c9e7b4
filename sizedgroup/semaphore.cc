// Copyright 2026 The xsync Authors.

#include "xsync/sizedgroup/semaphore.h"

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "xsync/executor/executor.h"
#include "xsync/internal/resume_queue.h"

namespace xsync {

namespace {
constexpr auto kAcqRel = std::memory_order_acq_rel;
constexpr auto kRelaxed = std::memory_order_relaxed;
}  // namespace

Semaphore::Semaphore(int64_t size)
    : size_(size), state_(size >= 0 && size <= kMaxSize ? size << 1 : 0) {}

absl::Status Semaphore::CheckWeight(const char* call, int64_t n) const {
  if (size_ < 0 || size_ > kMaxSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("Semaphore::", call, ": the semaphore's size (", size_,
                     ") must be in [0, 2^62)"));
  }
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Semaphore::", call, "(", n, "): n must be >= 0"));
  }
  return absl::OkStatus();
}

bool Semaphore::TryAcquireFast(int64_t n) {
  int64_t state = state_.load(kRelaxed);
  while ((state & kWaitersQueued) == 0 && (state >> 1) >= n) {
    if (state_.compare_exchange_weak(state, state - (n << 1), kAcqRel,
                                     kRelaxed)) {
      return true;
    }
  }
  return false;
}

absl::Status Semaphore::Acquire(const Context& ctx, int64_t n) {
  if (absl::Status status = CheckWeight("Acquire", n); !status.ok()) {
    return status;
  }
  if (ctx.Done()) return ctx.Err();  // A done context wins.
  if (n > size_) {
    ctx.Wait();  // Can never succeed: wait for the context, blocking nobody.
    return ctx.Err();
  }
  if (TryAcquireFast(n)) return absl::OkStatus();
  std::optional<std::list<Waiter>::iterator> waiter = EnqueueOrAcquire(n);
  if (!waiter.has_value()) return absl::OkStatus();
  return AwaitGrant(ctx, *waiter);
}

std::optional<std::list<Semaphore::Waiter>::iterator>
Semaphore::EnqueueOrAcquire(int64_t n) {
  absl::MutexLock lock(&mu_);
  int64_t state = state_.load(kRelaxed);
  while ((state & kWaitersQueued) == 0) {  // Else queue behind the others.
    const bool take = (state >> 1) >= n;
    const int64_t next = take ? state - (n << 1) : state | kWaitersQueued;
    if (state_.compare_exchange_weak(state, next, kAcqRel, kRelaxed)) {
      if (take) return std::nullopt;
      break;
    }
  }
  Waiter waiter;
  waiter.n = n;
  return waiters_.insert(waiters_.end(), std::move(waiter));
}

AfterFuncHandle Semaphore::CancelOnDone(const Context& ctx, WaiterRef waiter) {
  // The inline executor runs the callback inside cancel(), so once Stop()
  // has returned the callback is neither running nor going to run.
  return AfterFunc(
      ctx,
      [this, waiter] {
        absl::MutexLock lock(&mu_);
        waiter->cancelled = true;
        WakeLocked(*waiter);
      },
      &InlineExecutorInstance());
}

void Semaphore::WakeLocked(Waiter& waiter) {
  if (waiter.wake) std::move(std::exchange(waiter.wake, nullptr))();
}

void Semaphore::ArmWake(WaiterRef waiter, absl::AnyInvocable<void() &&> wake) {
  absl::MutexLock lock(&mu_);
  waiter->wake = std::move(wake);
  if (waiter->granted || waiter->cancelled) WakeLocked(*waiter);
}

absl::Status Semaphore::AwaitGrant(const Context& ctx, WaiterRef waiter) {
  AfterFuncHandle on_done = CancelOnDone(ctx, waiter);
  {
    absl::MutexLock lock(&mu_);
    auto woken = [waiter] { return waiter->granted || waiter->cancelled; };
    mu_.Await(absl::Condition(&woken));
  }
  on_done.Stop();
  return FinishWait(ctx, waiter);
}

absl::Status Semaphore::FinishWait(const Context& ctx, WaiterRef waiter) {
  {
    absl::MutexLock lock(&mu_);
    const bool acquired = waiter->granted && !waiter->cancelled;
    if (!acquired && waiter->granted) {
      // The context ended as the tokens came: give them back.
      state_.fetch_add(waiter->n << 1, kAcqRel);
    }
    waiters_.erase(waiter);
    if (waiters_.empty()) state_.fetch_and(~kWaitersQueued, kAcqRel);
    if (acquired) return absl::OkStatus();
    GrantWaitersLocked();  // Those behind may fit now.
  }
  // Outside mu_: the context's lock is taken before ours (the wake-up above
  // runs under it), never after.
  return ctx.Err();
}

bool Semaphore::TryAcquire(int64_t n) {
  return CheckWeight("TryAcquire", n).ok() && TryAcquireFast(n);
}

absl::Status Semaphore::Release(int64_t n) {
  if (absl::Status status = CheckWeight("Release", n); !status.ok()) {
    return status;
  }
  int64_t state = state_.load(kRelaxed);
  do {
    const int64_t held = size_ - (state >> 1);
    if (n > held) {
      return absl::FailedPreconditionError(
          absl::StrCat("Semaphore::Release(", n, "): only ", held,
                       " token(s) are held; released more than acquired"));
    }
  } while (!state_.compare_exchange_weak(state, state + (n << 1), kAcqRel,
                                         kRelaxed));
  if ((state & kWaitersQueued) != 0) {
    absl::MutexLock lock(&mu_);
    GrantWaitersLocked();
  }
  return absl::OkStatus();
}

void Semaphore::unlock() {
  if (absl::Status status = Release(1); !status.ok()) {
    std::fprintf(stderr, "xsync: Semaphore::unlock ignored: %s\n",
                 std::string(status.message()).c_str());
  }
}

void Semaphore::GrantWaitersLocked() {
  int64_t state = state_.load(kRelaxed);
  for (Waiter& waiter : waiters_) {
    if (waiter.granted || waiter.cancelled) continue;  // Leaving the queue.
    do {
      if ((state >> 1) < waiter.n) return;  // Strict FIFO.
    } while (!state_.compare_exchange_weak(state, state - (waiter.n << 1),
                                           kAcqRel, kRelaxed));
    waiter.granted = true;
    WakeLocked(waiter);
  }
}

#if defined(__cpp_impl_coroutine)
SemaphoreAcquireAwaiter Semaphore::AcquireAsync(const Context& ctx, int64_t n) {
  return SemaphoreAcquireAwaiter(*this, ctx, n);
}

// The fast paths of Acquire, without blocking; false if it must suspend.
bool SemaphoreAcquireAwaiter::await_ready() {
  ready_status_ = sem_.CheckWeight("AcquireAsync", n_);
  if (!ready_status_.ok()) return true;
  if (ctx_.Done()) {  // A done context wins.
    ready_status_ = ctx_.Err();
    return true;
  }
  if (n_ > sem_.size_) return false;  // Only the context can end the wait.
  if (sem_.TryAcquireFast(n_)) return true;
  waiter_ = sem_.EnqueueOrAcquire(n_);
  return !waiter_.has_value();
}

void SemaphoreAcquireAwaiter::await_suspend(std::coroutine_handle<> handle) {
  const internal::Resumer resume(handle);
  if (!waiter_.has_value()) {  // n > size: wait for the context only.
    AfterFunc(ctx_, resume, &InlineExecutorInstance());
    return;
  }
  // The context's entry first: once the wake is armed, the coroutine may
  // resume at once, and this awaiter must not be written after that.
  on_done_ = sem_.CancelOnDone(ctx_, *waiter_);
  sem_.ArmWake(*waiter_, resume);
}

absl::Status SemaphoreAcquireAwaiter::await_resume() {
  if (!waiter_.has_value()) {
    return ready_status_.ok() && n_ > sem_.size_ ? ctx_.Err() : ready_status_;
  }
  on_done_.Stop();
  return sem_.FinishWait(ctx_, *waiter_);
}
#endif

}  // namespace xsync
