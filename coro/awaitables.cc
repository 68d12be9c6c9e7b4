// Copyright 2026 The xsync Authors.

#include "xsync/coro/awaitables.h"

#if defined(__cpp_impl_coroutine)  // C++20; empty otherwise.

#include <atomic>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "xsync/executor/executor.h"
#include "xsync/internal/resume_queue.h"
#include "xsync/internal/timer_heap.h"

namespace xsync {
namespace internal {

// One suspended Sleep: a timer entry and a context entry racing to resume
// it. The first to fire wins and resumes the coroutine; the loser's entry is
// removed once both are registered and the coroutine has resumed, outside
// both firings (the context fires inside cancel(), the timer on its thread,
// where removing the other entry could take locks in the wrong order).
class SleepState : public std::enable_shared_from_this<SleepState> {
 public:
  // Registers both entries; either may fire (and the coroutine resume on
  // the resume queue) before this returns.
  void Arm(const Context& ctx, absl::Time deadline,
           std::coroutine_handle<> handle) {
    std::shared_ptr<SleepState> self = shared_from_this();
    resumer_.emplace(handle);
    TimerHandle timer = TimerHeap::Default().Schedule(
        deadline, [self] { self->Fire(/*by_context=*/false); });
    // Runs inside cancel(), under the context's lock: it may not ask the
    // context anything (the awaiter reads its error once resumed).
    AfterFuncHandle on_done = AfterFunc(
        ctx, [self] { self->Fire(/*by_context=*/true); },
        &InlineExecutorInstance());
    bool resumed;
    {
      absl::MutexLock lock(&mu_);
      resumed = resumed_;
      if (!resumed) {
        timer_ = timer;
        on_done_ = on_done;
        armed_ = true;
      }
    }
    if (resumed) Remove(timer, on_done);
  }

  // On resumption: removes whichever entry did not fire.
  void Disarm() {
    TimerHandle timer;
    AfterFuncHandle on_done;
    bool armed;
    {
      absl::MutexLock lock(&mu_);
      resumed_ = true;
      armed = armed_;
      // Dropped here: the entries hold this state, so keeping their handles
      // would keep both alive for as long as the context lives.
      timer = std::exchange(timer_, TimerHandle());
      on_done = std::exchange(on_done_, AfterFuncHandle());
    }
    if (armed) Remove(timer, on_done);
  }

  // True if the context ended the sleep (read once resumed).
  bool by_context() const { return by_context_; }

 private:
  void Fire(bool by_context) {
    if (fired_.exchange(true, std::memory_order_acq_rel)) return;
    by_context_ = by_context;
    (*resumer_)();
  }

  static void Remove(TimerHandle timer, AfterFuncHandle& on_done) {
    TimerHeap::Default().Cancel(timer);
    on_done.Stop();
  }

  std::optional<Resumer> resumer_;  // Set before either entry exists.
  std::atomic<bool> fired_{false};
  bool by_context_ = false;  // Written by the winner before it resumes.
  absl::Mutex mu_;
  TimerHandle timer_ ABSL_GUARDED_BY(mu_);
  AfterFuncHandle on_done_ ABSL_GUARDED_BY(mu_);
  bool armed_ ABSL_GUARDED_BY(mu_) = false;    // Both entries registered.
  bool resumed_ ABSL_GUARDED_BY(mu_) = false;  // Disarm was called.
};

}  // namespace internal

SleepAwaiter::SleepAwaiter(const Context& ctx, absl::Time deadline)
    : ctx_(ctx), deadline_(deadline) {}

bool SleepAwaiter::await_ready() {
  if (ctx_.Done()) {
    ready_status_ = ctx_.Err();
    return true;
  }
  return deadline_ <= internal::TimerHeap::Default().Now();
}

void SleepAwaiter::await_suspend(std::coroutine_handle<> handle) {
  state_ = std::make_shared<internal::SleepState>();
  // Copies: once armed, the coroutine may resume (and this awaiter go away)
  // before Arm returns.
  std::shared_ptr<internal::SleepState> state = state_;
  const Context ctx = ctx_;
  state->Arm(ctx, deadline_, handle);
}

absl::Status SleepAwaiter::await_resume() {
  if (state_ == nullptr) return ready_status_;
  state_->Disarm();
  return state_->by_context() ? ctx_.Err() : absl::OkStatus();
}

void DoneAwaiter::await_suspend(std::coroutine_handle<> handle) {
  AfterFunc(ctx_, internal::Resumer(handle), &InlineExecutorInstance());
}

SleepAwaiter SleepUntil(const Context& ctx, absl::Time deadline) {
  return SleepAwaiter(ctx, deadline);
}

SleepAwaiter Sleep(const Context& ctx, absl::Duration duration) {
  return SleepAwaiter(ctx, internal::TimerHeap::Default().Now() + duration);
}

DoneAwaiter WhenDone(const Context& ctx) { return DoneAwaiter(ctx); }

}  // namespace xsync

#endif  // defined(__cpp_impl_coroutine)
