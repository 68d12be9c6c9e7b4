// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/group_task.h
// -----------------------------------------------------------------------------
//
// What every group's `Go` hands the engine: a user callable turned into the
// engine's task shape. A plain task returns void, `absl::Status` or
// something convertible (see invoke.h). A coroutine task (C++20) returns
// `Task<R>` with R one of those: the engine starts it on a runner; at its
// first suspension the task detaches (GroupEngine::DetachRunningTask) and
// the runner moves on, while the task keeps its slot until it ends, on
// whichever thread resumes it. The callable lives until the task has ended
// (a lambda coroutine's captures live in the lambda, not in its frame), and
// is destroyed before the task counts as finished.

#ifndef XSYNC_INTERNAL_GROUP_TASK_H_
#define XSYNC_INTERNAL_GROUP_TASK_H_

#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "xsync/context/context.h"
#include "xsync/coro/sync_wait.h"
#include "xsync/coro/task.h"
#include "xsync/internal/group_engine.h"
#include "xsync/internal/invoke.h"
#include "xsync/internal/resume_queue.h"

namespace xsync {
namespace internal {

#if defined(__cpp_impl_coroutine)
template <typename F, bool = kIsTask<F>>
struct CoroResult {
  static constexpr bool kIsCoro = false;
};
template <typename F>
struct CoroResult<F, true> {
  using Result = std::decay_t<TaskResult<F>>;
  static constexpr bool kIsCoro = IsTask<Result>::value;
};

// True if `F` is a coroutine task: it returns `Task<R>`.
template <typename F>
inline constexpr bool kIsCoroTask = CoroResult<F>::kIsCoro;

// The R of the `Task<R>` a coroutine task returns.
template <typename F>
using CoroValue = typename std::decay_t<TaskResult<F>>::value_type;

template <typename R>
inline constexpr bool kIsStatusLike =
    std::is_void_v<R> || std::is_convertible_v<R, absl::Status>;

// What a coroutine task shares between the runner that starts it and the
// thread that ends it (the same one if it never waits): the callable, kept
// at one address until the task ends, and who finishes the task.
template <typename F, typename R>
struct CoroRun {
  enum State { kRunning, kEnded, kDetached };

  explicit CoroRun(F f) : callable(std::move(f)) {}

  static absl::Status StatusOf(Finished<R>& finished) {
    if constexpr (!std::is_void_v<R>) {
      if (finished.value.has_value()) {
        return absl::Status(std::move(*finished.value));
      }
    }
    return absl::OkStatus();
  }

  // Reset once the task has ended, before it counts as finished (the
  // runner's or the ender's reference to this may outlive that).
  std::optional<F> callable;
  std::atomic<int> state{kRunning};
  GroupEngine::Completion completion;  // Set before kDetached.
  Finished<R> finished;                // Set before kEnded.
};

// The engine task for a coroutine task `f`. The task starts on the runner;
// if it ends before the runner returns, it ends as a plain task (no
// detaching, no second lock); otherwise the runner detaches it and
// whichever thread ends it finishes it.
template <typename F>
GroupEngine::Task CoroGroupTask(F&& f) {
  using R = CoroValue<F>;
  using Run = CoroRun<std::decay_t<F>, R>;
  auto run = std::make_shared<Run>(std::forward<F>(f));
  return [run = std::move(run)](const Context& ctx) mutable -> absl::Status {
    std::shared_ptr<Run> shared = std::move(run);
    Drive(InvokeWithContext(*shared->callable, ctx),
          [shared](Finished<R> finished) mutable {
            shared->finished = std::move(finished);
            if (shared->state.exchange(Run::kEnded) != Run::kDetached) return;
            // Detached: the task ends here. The callable must go first.
            shared->callable.reset();
            GroupEngine::Completion done = std::move(shared->completion);
            absl::Status status = Run::StatusOf(shared->finished);
            std::move(done).Finish(std::move(status),
                                   shared->finished.exception);
          });
    shared->completion = GroupEngine::DetachRunningTask();
    if (shared->state.exchange(Run::kDetached) == Run::kRunning) {
      return absl::OkStatus();  // Ignored: the task ends with `completion`.
    }
    // It ended already, on this thread or another: end it as a plain task.
    GroupEngine::UndoDetach(std::move(shared->completion));
    shared->callable.reset();
#ifdef ABSL_HAVE_EXCEPTIONS
    if (shared->finished.exception) {
      std::rethrow_exception(shared->finished.exception);
    }
#endif
    return Run::StatusOf(shared->finished);
  };
}

// Resumes (on the resume queue) once `engine` is idle.
class IdleAwaiter {
 public:
  explicit IdleAwaiter(GroupEngine& engine) : engine_(engine) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> handle) {
    engine_.WhenIdle(Resumer(handle));
  }
  void await_resume() const noexcept {}

 private:
  GroupEngine& engine_;
};

// The awaitable twin of `engine.Wait()` followed by RethrowIfException:
// suspends, holding no thread, until the group is idle, then does what
// Wait does there. (It does not run ready tasks itself, as Wait does.)
inline Task<absl::Status> WaitAsync(GroupEngine& engine) {
  while (true) {
    if (std::optional<absl::Status> status = engine.WaitIfIdle()) {
      engine.RethrowIfException();
      co_return *std::move(status);
    }
    co_await IdleAwaiter(engine);
  }
}
#else
template <typename F>
inline constexpr bool kIsCoroTask = false;
#endif

// True if `F` returns nothing: void, or (a coroutine task) Task<void>.
template <typename F>
constexpr bool ReturnsNothing() {
#if defined(__cpp_impl_coroutine)
  if constexpr (kIsCoroTask<F>) {
    return std::is_void_v<CoroValue<F>>;
  }
#endif
  if constexpr (kIsTask<F>) {
    return std::is_void_v<TaskResult<F>>;
  } else {
    return false;
  }
}

// Checks, with a readable message, that `F` is a task a group can run.
template <typename F>
constexpr void CheckGroupTask() {
#if defined(__cpp_impl_coroutine)
  if constexpr (kIsCoroTask<F>) {
    static_assert(
        kIsStatusLike<CoroValue<F>>,
        "xsync: a coroutine group task must return xsync::Task<void>, "
        "xsync::Task<absl::Status> or a Task of something convertible to "
        "absl::Status");
  } else {
    CheckStatusTask<F>();
  }
#else
  CheckStatusTask<F>();
#endif
}

// The engine task for `f`, a plain or a coroutine task.
template <typename F>
GroupEngine::Task GroupTask(F&& f) {
#if defined(__cpp_impl_coroutine)
  if constexpr (kIsCoroTask<std::decay_t<F>>) {
    return CoroGroupTask(std::forward<F>(f));
  } else {
    return StatusTask(std::forward<F>(f));
  }
#else
  return StatusTask(std::forward<F>(f));
#endif
}

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_GROUP_TASK_H_
