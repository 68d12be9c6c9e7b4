// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: coro/sync_wait.h
// -----------------------------------------------------------------------------
//
// `xsync::SyncWait(task)`: runs a `Task` from plain code, blocking the
// calling thread until it ends, and returns its result (or rethrows its
// exception). The task starts on the calling thread and, after a `co_await`
// that suspends, continues on the executor.
//
//   absl::Status s = xsync::SyncWait(FetchAll(ctx));
//
// It blocks a thread: call it from plain code, never from inside a
// coroutine (there, `co_await` the task).

#ifndef XSYNC_CORO_SYNC_WAIT_H_
#define XSYNC_CORO_SYNC_WAIT_H_

#if defined(__cpp_impl_coroutine)  // C++20; empty otherwise.

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/base/config.h"
#include "absl/synchronization/notification.h"
#include "xsync/coro/task.h"

namespace xsync {
namespace internal {

// How a task ended: its value (an empty struct for void) or its exception.
template <typename T>
struct Finished {
  using Value = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
  std::optional<Value> value;
  std::exception_ptr exception;
};

// A coroutine that starts at once, is never awaited and frees itself at the
// end: the root under which a Task runs when no coroutine awaits it.
struct Detached {
  struct promise_type {
    Detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

// Runs `task` to its end under a detached root, destroys its frame, then
// calls `done(Finished<T>)` exactly once, on whichever thread ended it.
template <typename T, typename Done>
Detached Drive(Task<T> task, Done done) {
  Finished<T> finished;
  {
    Task<T> running = std::move(task);  // Destroyed before `done` runs.
#ifdef ABSL_HAVE_EXCEPTIONS
    try {
#endif
      if constexpr (std::is_void_v<T>) {
        co_await std::move(running);
        finished.value.emplace();
      } else {
        finished.value.emplace(co_await std::move(running));
      }
#ifdef ABSL_HAVE_EXCEPTIONS
    } catch (...) {
      finished.exception = std::current_exception();
    }
#endif
  }
  std::move(done)(std::move(finished));
}

}  // namespace internal

// Runs `task` and blocks until it ends; returns its result or rethrows its
// exception.
template <typename T>
T SyncWait(Task<T> task) {
  absl::Notification ended;
  internal::Finished<T> result;
  internal::Drive(std::move(task),
                  [&result, &ended](internal::Finished<T> finished) {
                    result = std::move(finished);
                    ended.Notify();
                  });
  ended.WaitForNotification();
#ifdef ABSL_HAVE_EXCEPTIONS
  if (result.exception) std::rethrow_exception(result.exception);
#endif
  if constexpr (!std::is_void_v<T>) return std::move(*result.value);
}

}  // namespace xsync

#endif  // defined(__cpp_impl_coroutine)

#endif  // XSYNC_CORO_SYNC_WAIT_H_
