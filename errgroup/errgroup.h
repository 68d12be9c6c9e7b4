// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: errgroup/errgroup.h
// -----------------------------------------------------------------------------
//
// `xsync::errgroup::Group` runs tasks concurrently, waits for them and returns
// the first error: golang.org/x/sync/errgroup, with the community extensions
// people reach for (a bounded queue in front of the limit, as kratos and
// neilotoole have; every error, not just the first).
//
//   xsync::errgroup::Group g(ctx);  // Go's WithContext; Group() is the zero
//   value for (const std::string& url : urls) {
//     g.Go([&, url](const xsync::Context& ctx) { return Fetch(ctx, url); });
//   }
//   absl::Status first_error = g.Wait();
//
// Where it differs from Go: misuse returns a Status instead of hanging
// (`SetLimit`); a task may call `Go` on its own full group; queued tasks
// start as soon as a slot frees; a throwing task is a failure and `Wait`
// rethrows it; `Errors()` keeps every failure; `Wait` runs not-yet-started
// tasks on its own thread while it waits. Each is stated on its method.
//
// Tasks run on `Options::executor`, by default the blocking-safe
// `DefaultExecutor()` (with your own executor, blocking safety is yours).
// Memory ordering: everything before `Go(f)` happens-before `f` starts;
// everything a task did happens-before `Wait` returns.

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
  // At most this many tasks run at once (kNoLimit: no limit). The limit
  // counts every active task, whenever it started.
  int limit = kNoLimit;
  // When the limit is reached, up to this many tasks wait in a queue and
  // `Go` returns at once (kUnbounded: no bound); beyond it, `Go` blocks. A
  // queued task starts the moment a slot frees (kratos starts them at
  // `Wait`).
  int queue_size = 0;
  // Where tasks run; nullptr: `DefaultExecutor()`.
  Executor* executor = nullptr;
};

class Group {
 public:
  // Go's zero value: no context (tasks get `Context::Background()`), no
  // limit.
  Group();
  // Go's `WithContext`: tasks get a context derived from `parent`, cancelled
  // at the first failure (its `Cause()` is that error), when `Wait` returns
  // (cause Cancelled), or when `parent` is.
  explicit Group(const Context& parent, Options options = {});
  // Without a `Wait`: cancels the group's context and waits for every task.
  // Never throws; an exception no `Wait` observed is reported on stderr.
  ~Group() = default;

  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  // Runs `task`: any callable taking `const xsync::Context&` or nothing and
  // returning void (success) or `absl::Status`; in C++20 also one returning
  // `xsync::Task<void>` or `xsync::Task<absl::Status>`, which holds its slot
  // but no thread while suspended at a `co_await`. Every task runs, even
  // after a failure: a task that should stop early checks its context.
  //
  // Blocks first while the limit and the queue are full (and for ever with
  // `SetLimit(0)`, until the limit is raised) — except when called by a task
  // of this group, which queues instead (blocking could never end).
  template <typename F>
  void Go(F&& task) {
    internal::CheckGroupTask<std::decay_t<F>>();
    engine_.Submit(internal::GroupTask(std::forward<F>(task)),
                   internal::GroupEngine::Admission::kBlock);
  }

  // Runs `task` if a slot is free now; false, with no side effect, if not
  // (the queue is not used).
  template <typename F>
  bool TryGo(F&& task) {
    internal::CheckGroupTask<std::decay_t<F>>();
    return engine_.Submit(internal::GroupTask(std::forward<F>(task)),
                          internal::GroupEngine::Admission::kTry);
  }

  // Sets the limit (negative: none; 0: a barrier, `TryGo` fails and `Go`
  // blocks). FailedPrecondition while any task is active, since the new
  // limit could not be honoured for them (x/sync lets `Wait` hang); callers
  // blocked in `Go` and queued tasks are not active, and start under the
  // new limit.
  absl::Status SetLimit(int n) { return engine_.SetLimit(n); }

  // Waits for every task, including those added by running tasks and by
  // callers blocked in `Go`, then cancels the group's context. Returns the
  // first error; if a task threw, rethrows the first exception instead
  // (after every task ended): a throwing task is a failure with cause
  // UnknownError("task threw <type>: <what()>"). May be called again and
  // from several threads, all getting the same answer; the group may be
  // reused afterwards (the first error sticks, the context stays cancelled).
  //
  // While it waits, it runs tasks no runner has started yet on its own
  // thread (as TBB's task_group::wait), so a task must not need a lock the
  // caller of `Wait` holds. Returns only after every task returned and was
  // destroyed.
  absl::Status Wait();

#if defined(__cpp_impl_coroutine)
  // The awaitable twin of `Wait` (C++20): `co_await g.WaitAsync()` suspends,
  // holding no thread, until every task has ended, then returns what `Wait`
  // returns (and rethrows as it does). Unlike `Wait`, it does not run ready
  // tasks on its own thread meanwhile.
  Task<absl::Status> WaitAsync() { return internal::WaitAsync(engine_); }
#endif

  // Every failure so far, in completion order, the first being the
  // context's cause: "cancel on the first error, report every error".
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
