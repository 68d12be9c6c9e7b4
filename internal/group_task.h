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

#include <memory>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "context/context.h"
#include "coro/sync_wait.h"
#include "coro/task.h"
#include "internal/group_engine.h"
#include "internal/invoke.h"

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

template <typename R>
inline constexpr bool kIsStatusLike =
    std::is_void_v<R> || std::is_convertible_v<R, absl::Status>;

// The engine task for a coroutine task `f`.
template <typename F>
GroupEngine::Task CoroGroupTask(F&& f) {
  using R = typename std::decay_t<TaskResult<F>>::value_type;
  auto owned = std::make_unique<std::decay_t<F>>(std::forward<F>(f));
  return [owned = std::move(owned)](const Context& ctx) mutable {
    auto task = InvokeWithContext(*owned, ctx);  // Lazy: nothing ran yet.
    GroupEngine::Completion done = GroupEngine::DetachRunningTask();
    Drive(std::move(task), [owned = std::move(owned), done = std::move(done)](
                               Finished<R> finished) mutable {
      owned.reset();  // Before the task counts as finished.
      absl::Status status;
      if constexpr (!std::is_void_v<R>) {
        if (finished.value.has_value()) {
          status = absl::Status(std::move(*finished.value));
        }
      }
      std::move(done).Finish(std::move(status), finished.exception);
    });
    return absl::OkStatus();  // Ignored: the task ends with `done`.
  };
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
    return std::is_void_v<typename std::decay_t<TaskResult<F>>::value_type>;
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
        kIsStatusLike<typename std::decay_t<TaskResult<F>>::value_type>,
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
