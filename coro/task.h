// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: coro/task.h
// -----------------------------------------------------------------------------
//
// `xsync::Task<T>`: a coroutine task that waits without holding a thread
// (C++20). Go parks a waiting goroutine in user space; xsync's plain tasks
// park an OS thread. A function that returns `Task<...>` and `co_await`s
// (`xsync::Sleep`, `xsync::WhenDone`, `Semaphore`-style awaitables, another
// `Task`) gives its thread back while it waits, and every group's `Go`
// accepts it:
//
//   g.Go([&](const xsync::Context& ctx) -> xsync::Task<absl::Status> {
//     if (absl::Status s = co_await xsync::Sleep(ctx, absl::Milliseconds(5));
//         !s.ok()) {
//       co_return s;  // The context ended first.
//     }
//     co_return Work();
//   });
//
// A `Task` is lazy (nothing runs until it is awaited or started by a group or
// `SyncWait`) and move-only. Awaiting one runs it at once on the awaiting
// thread; if it ends without waiting, the awaiter goes on without
// suspending (no stack growth for long loops of such awaits), and if it
// waits, its end resumes the awaiter by symmetric transfer. An
// exception thrown in a task propagates through `co_await` as through a
// call. Destroying a `Task` that never started destroys its frame unrun.
//
// Differences from Go: a goroutine may block anywhere; a coroutine waits
// without a thread only at a `co_await`. A plain blocking call inside it
// (a sleep, blocking I/O, `Group::Wait`) holds the thread it runs on, as a
// plain task does; use the awaitable twin instead.

#ifndef XSYNC_CORO_TASK_H_
#define XSYNC_CORO_TASK_H_

#if defined(__cpp_impl_coroutine)  // C++20; empty otherwise.

#include <atomic>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/base/config.h"

namespace xsync {

template <typename T = void>
class Task;

namespace internal {

// What a promise shares whatever its result type: the awaiting coroutine
// to resume at the end, the exception that ended the task, if any, and the
// rendezvous between the task's end and its awaiter's suspension: whichever
// of the two comes second continues the awaiter. A task that ends before
// its awaiter suspends (it completed without waiting) lets the awaiter go
// on without suspending at all, so a loop of such awaits never grows the
// stack, whether or not the compiler makes the transfer a tail call (it
// does not under the sanitizers).
class TaskPromiseBase {
 public:
  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <typename Promise>
    std::coroutine_handle<> await_suspend(
        std::coroutine_handle<Promise> h) noexcept {
      TaskPromiseBase& promise = h.promise();
      if (promise.rendezvous_.exchange(true, std::memory_order_acq_rel)) {
        return promise.continuation_;  // The awaiter is suspended: resume it.
      }
      return std::noop_coroutine();  // The awaiter has not suspended yet.
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept {
#ifdef ABSL_HAVE_EXCEPTIONS
    exception_ = std::current_exception();
#else
    std::terminate();
#endif
  }

  // Starts the task for `awaiting`; true if `awaiting` must suspend (the
  // task has not ended yet and will resume it when it does).
  bool Start(std::coroutine_handle<> self, std::coroutine_handle<> awaiting) {
    continuation_ = awaiting;
    self.resume();
    return !rendezvous_.exchange(true, std::memory_order_acq_rel);
  }

 protected:
  void RethrowIfFailed() {
#ifdef ABSL_HAVE_EXCEPTIONS
    if (exception_) std::rethrow_exception(exception_);
#endif
  }

 private:
  std::coroutine_handle<> continuation_;
  std::exception_ptr exception_;
  std::atomic<bool> rendezvous_{false};
};

template <typename T>
class TaskPromise : public TaskPromiseBase {
 public:
  Task<T> get_return_object() noexcept;
  template <typename U = T>
  void return_value(U&& value) {
    value_.emplace(std::forward<U>(value));
  }
  T TakeResult() {
    RethrowIfFailed();
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class TaskPromise<void> : public TaskPromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void TakeResult() { RethrowIfFailed(); }
};

}  // namespace internal

template <typename T>
class [[nodiscard]] Task {
 public:
  using promise_type = internal::TaskPromise<T>;
  using value_type = T;

  Task() = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      Reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  // Destroys the frame: unrun if the task never started, or after it ended.
  // A Task must not be destroyed while it is suspended (its awaiter holds it).
  ~Task() { Reset(); }

  // True if this Task holds a coroutine (not default-constructed or moved
  // from).
  bool valid() const { return static_cast<bool>(handle_); }

  // `co_await task` starts the task and resumes the awaiting coroutine with
  // its result once it ends (rethrowing its exception, if any).
  auto operator co_await() && noexcept { return Awaiter{handle_}; }
  auto operator co_await() & noexcept { return Awaiter{handle_}; }

 private:
  friend class internal::TaskPromise<T>;
  explicit Task(std::coroutine_handle<promise_type> h) : handle_(h) {}

  struct Awaiter {
    std::coroutine_handle<promise_type> handle;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> awaiting) noexcept {
      return handle.promise().Start(handle, awaiting);
    }
    T await_resume() { return handle.promise().TakeResult(); }
  };

  void Reset() {
    if (handle_) handle_.destroy();
    handle_ = {};
  }

  std::coroutine_handle<promise_type> handle_;
};

namespace internal {

template <typename T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}

inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(
      std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}

template <typename T>
struct IsTask : std::false_type {};
template <typename T>
struct IsTask<Task<T>> : std::true_type {};

}  // namespace internal
}  // namespace xsync

#endif  // defined(__cpp_impl_coroutine)

#endif  // XSYNC_CORO_TASK_H_
