// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: coro/awaitables.h
// -----------------------------------------------------------------------------
//
// What a coroutine task waits on without holding a thread (C++20): Go's
// `time.Sleep` / `select` on `time.After` and `<-ctx.Done()`.
//
//   absl::Status s = co_await xsync::Sleep(ctx, absl::Milliseconds(10));
//   // OK after 10 ms; the context's error if it ended first.
//   co_await xsync::WhenDone(ctx);  // Resumes once ctx is done.
//
// Each resumes with an `absl::Status`: OK, or the context's error if the
// context ends first. A context already done (or a time already past)
// resumes at once, without suspending.
//
// Guarantees:
//   * A suspended awaiter costs one entry on the shared timer heap (Sleep)
//     and one on the context (both): no thread and no OS timer.
//   * It resumes exactly once, on the executor (the process-wide resume
//     queue; see internal/resume_queue.h), never inside `cancel()` or on the
//     timer thread: cancelling a context with 10,000 suspended waiters hands
//     their resumptions over in a batch and returns.
//   * Whichever of the timer and the context ends a Sleep first wins; the
//     other's entry is removed, so a long-lived context does not collect
//     entries of finished sleeps.
//   * Everything done before the cancel (or before the timer fired)
//     happens-before the coroutine resumes.
//   * On `Context::Background()`, `WhenDone` never resumes (as Go's
//     `<-context.Background().Done()` never returns).

#ifndef XSYNC_CORO_AWAITABLES_H_
#define XSYNC_CORO_AWAITABLES_H_

#if defined(__cpp_impl_coroutine)  // C++20; empty otherwise.

#include <coroutine>
#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "xsync/context/context.h"

namespace xsync {
namespace internal {
class SleepState;
}  // namespace internal

// Awaitable returned by `SleepUntil` and `Sleep`.
class [[nodiscard]] SleepAwaiter {
 public:
  SleepAwaiter(const Context& ctx, absl::Time deadline);

  bool await_ready();
  void await_suspend(std::coroutine_handle<> handle);
  absl::Status await_resume();

 private:
  Context ctx_;
  absl::Time deadline_;
  absl::Status ready_status_;  // When it never suspended.
  std::shared_ptr<internal::SleepState> state_;
};

// Awaitable returned by `WhenDone`.
class [[nodiscard]] DoneAwaiter {
 public:
  explicit DoneAwaiter(const Context& ctx) : ctx_(ctx) {}

  bool await_ready() const { return ctx_.Done(); }
  void await_suspend(std::coroutine_handle<> handle);
  absl::Status await_resume() const { return ctx_.Err(); }

 private:
  Context ctx_;
};

// Resumes at `deadline` (by the shared timer heap's clock) with OK, or
// earlier with the context's error if `ctx` ends first.
SleepAwaiter SleepUntil(const Context& ctx, absl::Time deadline);

// `SleepUntil(ctx, now + duration)`. A duration <= 0 resumes at once with OK
// (or the context's error if it is already done).
SleepAwaiter Sleep(const Context& ctx, absl::Duration duration);

// Resumes once `ctx` is done, with its error.
DoneAwaiter WhenDone(const Context& ctx);

}  // namespace xsync

#endif  // defined(__cpp_impl_coroutine)

#endif  // XSYNC_CORO_AWAITABLES_H_
