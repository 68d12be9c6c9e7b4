// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: errgroup/errgroup.h
// -----------------------------------------------------------------------------
//
// `xsync::errgroup::Group` runs tasks concurrently and waits for them,
// returning the first error: golang.org/x/sync/errgroup, plus the community
// extensions people reach for (a bounded queue in front of the limit, as in
// kratos and neilotoole; every error, not just the first).
//
//   xsync::errgroup::Group g;                  // Go's zero value
//   xsync::errgroup::Group g(ctx);             // Go's WithContext
//   xsync::errgroup::Group g(ctx, {.limit = 8, .queue_size = 100});
//   auto [g, gctx] = xsync::errgroup::WithContext(ctx);   // Go-shaped
//
// Tasks: any callable taking `const xsync::Context&` or nothing, returning
// void (success), `absl::Status` or something convertible to it. `Go` runs
// every task it is given, even after a failure: a task that should stop early
// checks its context.
//
// Coroutine tasks (C++20; coro/coro.h): a callable returning
// `xsync::Task<void>` or `xsync::Task<absl::Status>` waits at its `co_await`s
// without holding a thread. It holds its slot while suspended (the limit
// counts it, as a blocked goroutine counts), `Wait` waits for it, and the
// callable stays alive until the task ends. It resumes on the executor's
// resume queue, whatever executor the group was given.
//
// Cancellation: a group built with a parent context gives its tasks a derived
// context, cancelled at the first failure (its `Cause()` is that error) or
// when `Wait` returns (cause Cancelled), or when the parent is. The default
// group has no context; its tasks get `Context::Background()`.
//
// Limits and the queue (`Options`, `SetLimit`):
//   * At most `limit` tasks run at once (negative: no limit). The limit counts
//     every active task, whenever it started, so a limit set while unlimited
//     tasks run could never be honoured — `SetLimit` refuses (returns
//     FailedPrecondition) while any task is active, where x/sync
//     lets `Wait` hang. `SetLimit(0)` is a barrier: `TryGo` fails, `Go`
//     blocks until the limit is raised (callers blocked in `Go` are not
//     active tasks, so raising it is allowed and lets them through).
//   * When the limit is reached, up to `queue_size` tasks wait in a queue
//     (`kUnbounded`: no bound) and `Go` returns at once; beyond that, `Go`
//     blocks until a slot or queue room frees. A queued task starts the moment
//     a slot frees — never later (kratos starts them only at `Wait`).
//   * `TryGo` starts the task only if a slot is free now; otherwise it returns
//     false with no side effect (the queue is not used).
//   * A task may call `Go` on its own group at any time, even when the group
//     is full: such a call queues instead of blocking (blocking could never
//     end).
//
// Errors: `Wait` returns the first error. `Errors()` lists every failure in
// completion order, the first being the context's cause — "cancel on first
// error and report every error". A failing task never stops other tasks from
// running (neilotoole's pool lost its worker).
//
// Exceptions (when the build has them): a throwing task is a failure: the
// group cancels its context with cause
// `absl::UnknownError("task threw <type>: <what()>")`, counts it in
// `Errors()`, and `Wait` rethrows the first exception thrown (after all tasks
// finish), taking priority over status errors. An exception never observed
// by `Wait` is reported on stderr by the destructor.
//
// Waiting and reuse: `Wait` waits for every task, including tasks added by
// running tasks and by callers blocked in `Go`. It may be called again and
// from several threads; all get the same answer. The group may be reused
// after `Wait`, as in Go: the first error sticks, and a derived context stays
// cancelled. While it waits, `Wait` runs tasks that no worker has started yet
// on its own thread ("caller runs", as TBB's task_group::wait), so a short
// task never waits for a thread to wake; a task must therefore not need a
// lock that the caller of `Wait` holds (in Go that would deadlock anyway).
//
// Lifetime: `Wait` returns only after every task has returned and been
// destroyed. Destroying a group without `Wait` cancels its context, waits,
// and never throws.
//
// Memory ordering: everything a task did happens-before `Wait` returns;
// everything before `Go(f)` happens-before `f` starts.
//
// Executor: tasks run on `Options::executor`, by default the blocking-safe
// `DefaultExecutor()`. With your own executor, blocking safety is yours.
//
// Example (the errgroup documentation's "JustErrors"):
//
//   xsync::errgroup::Group g(ctx);
//   for (const std::string& url : urls) {
//     g.Go([&, url](const xsync::Context& ctx) { return Fetch(ctx, url); });
//   }
//   if (absl::Status s = g.Wait(); s.ok()) Print("all fetched");

#ifndef XSYNC_ERRGROUP_ERRGROUP_H_
#define XSYNC_ERRGROUP_ERRGROUP_H_

#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errors.h"     // IWYU pragma: export
#include "xsync/errgroup/waitgroup.h"  // IWYU pragma: export
#include "xsync/executor/executor.h"
#include "xsync/internal/group_engine.h"
#include "xsync/internal/group_task.h"

namespace xsync {
namespace errgroup {

// `Options::limit` (and `SetLimit`) value: no limit (any negative does).
inline constexpr int kNoLimit = -1;
// `Options::queue_size` value: the queue never fills, `Go` never blocks.
inline constexpr int kUnbounded = -1;

struct Options {
  int limit = kNoLimit;  // At most this many tasks at once.
  int queue_size = 0;    // Tasks that may wait for a slot; kUnbounded.
  Executor* executor = nullptr;
};

class Group {
 public:
  Group();
  explicit Group(const Context& parent, Options options = {});
  ~Group() = default;  // The engine cancels, waits, never throws.

  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  // Runs `task`, blocking first if the limit and the queue are full.
  template <typename F>
  void Go(F&& task) {
    internal::CheckGroupTask<std::decay_t<F>>();
    engine_.Submit(internal::GroupTask(std::forward<F>(task)),
                   internal::GroupEngine::Admission::kBlock);
  }

  // Runs `task` if a slot is free now; false, with no side effect, if not.
  template <typename F>
  bool TryGo(F&& task) {
    internal::CheckGroupTask<std::decay_t<F>>();
    return engine_.Submit(internal::GroupTask(std::forward<F>(task)),
                          internal::GroupEngine::Admission::kTry);
  }

  // n < 0 removes the limit; FailedPrecondition while tasks are active.
  absl::Status SetLimit(int n) { return engine_.SetLimit(n); }

  // Waits for every task; returns the first error (rethrows the first
  // exception, if any task threw).
  absl::Status Wait();

#if defined(__cpp_impl_coroutine)
  // The awaitable twin of `Wait` (C++20): `co_await g.WaitAsync()` suspends,
  // holding no thread, until every task has ended, then returns what `Wait`
  // returns (and rethrows as it does). Unlike `Wait`, it does not run ready
  // tasks on its own thread meanwhile.
  Task<absl::Status> WaitAsync() { return internal::WaitAsync(engine_); }
#endif

  // Every failure so far, in completion order.
  std::vector<absl::Status> Errors() const { return engine_.Errors(); }

  // The context tasks receive (Background for the default group).
  const Context& context() const { return engine_.context(); }

 private:
  static internal::GroupEngine::Options EngineOptions(const Options& options);

  internal::GroupEngine engine_;
};

struct GroupAndContext {
  std::unique_ptr<Group> group;
  Context ctx;
};

// Go's `errgroup.WithContext`.
GroupAndContext WithContext(const Context& parent);

// neilotoole/errgroup's `WithContextN`: at most `num_workers` tasks at once
// (<= 0: the number of CPUs) and `queue_size` waiting before `Go` blocks
// (<= 0: num_workers).
GroupAndContext WithContextN(const Context& parent, int num_workers,
                             int queue_size);

}  // namespace errgroup
}  // namespace xsync

#endif  // XSYNC_ERRGROUP_ERRGROUP_H_
