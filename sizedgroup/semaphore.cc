// Copyright 2026 The xsync Authors.

#include "sizedgroup/semaphore.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "executor/executor.h"

namespace xsync {

absl::Status Semaphore::CheckWeight(const char* call, int64_t n) const {
  if (size_ < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Semaphore::", call,
                     ": the semaphore's size is negative (", size_, ")"));
  }
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Semaphore::", call, "(", n, "): n must be >= 0"));
  }
  return absl::OkStatus();
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
  std::list<Waiter>::iterator waiter;
  {
    absl::MutexLock lock(&mu_);
    if (size_ - held_ >= n && waiters_.empty()) {
      held_ += n;
      return absl::OkStatus();
    }
    waiter = waiters_.insert(waiters_.end(), Waiter{n});
  }
  // Wake this waiter when the context ends. The inline executor runs the
  // callback inside cancel(), so once Stop() has returned the callback is
  // neither running nor going to run.
  AfterFuncHandle wake = AfterFunc(
      ctx,
      [this, waiter] {
        absl::MutexLock lock(&mu_);
        waiter->cancelled = true;
      },
      &InlineExecutorInstance());
  {
    absl::MutexLock lock(&mu_);
    auto woken = [waiter] { return waiter->granted || waiter->cancelled; };
    mu_.Await(absl::Condition(&woken));
  }
  wake.Stop();
  {
    absl::MutexLock lock(&mu_);
    const bool acquired = waiter->granted && !waiter->cancelled;
    if (!acquired && waiter->granted) {
      held_ -= waiter->n;  // The context ended as the tokens came: give back.
    }
    waiters_.erase(waiter);
    if (acquired) return absl::OkStatus();
    GrantWaitersLocked();  // Those behind may fit now.
  }
  // Outside mu_: the context's lock is taken before ours (the wake-up above
  // runs under it), never after.
  return ctx.Err();
}

bool Semaphore::TryAcquire(int64_t n) {
  if (!CheckWeight("TryAcquire", n).ok()) return false;
  absl::MutexLock lock(&mu_);
  if (size_ - held_ >= n && waiters_.empty()) {
    held_ += n;
    return true;
  }
  return false;
}

absl::Status Semaphore::Release(int64_t n) {
  if (absl::Status status = CheckWeight("Release", n); !status.ok()) {
    return status;
  }
  absl::MutexLock lock(&mu_);
  if (n > held_) {
    return absl::FailedPreconditionError(
        absl::StrCat("Semaphore::Release(", n, "): only ", held_,
                     " token(s) are held; released more than acquired"));
  }
  held_ -= n;
  GrantWaitersLocked();
  return absl::OkStatus();
}

void Semaphore::unlock() {
  if (absl::Status status = Release(1); !status.ok()) {
    std::fprintf(stderr, "xsync: Semaphore::unlock ignored: %s\n",
                 std::string(status.message()).c_str());
  }
}

void Semaphore::GrantWaitersLocked() {
  for (Waiter& waiter : waiters_) {
    if (waiter.granted || waiter.cancelled) continue;  // Leaving the queue.
    if (size_ - held_ < waiter.n) break;               // Strict FIFO.
    held_ += waiter.n;
    waiter.granted = true;
  }
}

}  // namespace xsync
