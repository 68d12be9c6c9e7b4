// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: schedgroup/schedgroup.h
// -----------------------------------------------------------------------------
//
// `xsync::schedgroup::Group` is mdlayher/schedgroup: a group whose tasks run
// at given times, and a `Wait` for all of them.
//
//   xsync::schedgroup::Group g(ctx);
//   g.Delay(absl::Milliseconds(200), [] { Print(2); });
//   g.Delay(absl::Milliseconds(100), [] { Print(1); });
//   absl::Status status = g.Wait();  // prints 1, 2
//
// Pending tasks are entries in the group's own deadline queue, with one timer
// on the process-wide timer heap armed for the earliest: no thread, no OS
// timer and no shared timer per task, so a million pending tasks cost memory
// in proportion, not threads (`BM_Schedgroup_MillionPending`).
//
// Where it differs from Go: misuse returns FailedPrecondition instead of
// panicking; `Wait` cannot miss a task firing as it starts (the Go original
// can hang in that race); a pending task can be cancelled by its handle.
// Memory ordering: everything before `Schedule(t, f)` happens-before `f`
// runs; everything a task did happens-before `Wait` returns.

#ifndef XSYNC_SCHEDGROUP_SCHEDGROUP_H_
#define XSYNC_SCHEDGROUP_SCHEDGROUP_H_

#include <memory>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "xsync/context/context.h"
#include "xsync/executor/executor.h"
#include "xsync/internal/group_engine.h"
#include "xsync/internal/group_task.h"
#include "xsync/internal/timer_heap.h"

namespace xsync {
namespace schedgroup {

class Group;

// Cancels one scheduled task before it runs.
class TaskHandle {
 public:
  TaskHandle() = default;
  // True if the task was pending and now never runs; false if it already
  // started or ran, was cancelled before, or the group ended.
  bool Cancel();

 private:
  friend class Group;
  class State;
  std::weak_ptr<State> state_;
  internal::DeadlineHandle entry_;
};

class Group {
 public:
  // Stored as the engine runs it, so a due task is handed over without
  // being wrapped (or allocated) again.
  using Task = internal::GroupEngine::Task;

  // Tasks get `ctx`; once it is done, pending tasks never run. Due tasks run
  // concurrently on `executor` (default: the blocking-safe DefaultExecutor):
  // one runner takes due tasks back to back while they keep up, and a due
  // task left unstarted for the engine's stall delay brings another,
  // doubling the runners each such period, so tasks that block still all
  // start. `timers`: the timer heap to use (tests pass one on a
  // SimulatedClock); default: the process-wide heap.
  explicit Group(const Context& ctx, Executor* executor = nullptr,
                 internal::TimerHeap* timers = nullptr);
  // Without a `Wait`: cancels pending tasks and waits for running ones.
  ~Group();

  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  // Runs `f` at `when` (a past time: at once). `f` takes `const Context&`
  // (the group's) or nothing and returns void, or (C++20) `Task<void>`,
  // which holds no thread while suspended. With `handle`, the task can be
  // cancelled while pending. Due tasks are handed over when the shared timer
  // fires, and also by every `kDrainEvery`-th call on the calling thread, so
  // a thread arming timers as earlier ones fall due keeps them moving.
  // Returns the context's error if it is done, else FailedPrecondition once
  // `Wait` has started.
  template <typename F>
  absl::Status Schedule(absl::Time when, F&& f, TaskHandle* handle = nullptr) {
    return ScheduleTask(when, Wrap(std::forward<F>(f)), handle);
  }

  // `Schedule(Now() + delay, f, handle)`.
  template <typename F>
  absl::Status Delay(absl::Duration delay, F&& f,
                     TaskHandle* handle = nullptr) {
    return ScheduleTask(Now() + delay, Wrap(std::forward<F>(f)), handle);
  }

  // OK once every scheduled task has run and returned; the context's error
  // if it ended first (pending tasks never run, running ones are waited
  // for), or was already done when `Wait` began (as in Go, even if every
  // task had run). Waits on a predicate over the pending count and the
  // context under the group's mutex, so no firing is missed.
  // FailedPrecondition if called twice (the Go original panics).
  absl::Status Wait();

#if defined(__cpp_impl_coroutine)
  // The awaitable twin of `Wait` (C++20), with the same results; one of the
  // two may be called, once. It suspends, holding no thread, until every
  // scheduled task has run (or the context ended). The group must outlive
  // the await.
  xsync::Task<absl::Status> WaitAsync();
#endif

  // The clock the group schedules by.
  absl::Time Now() const;

 private:
  template <typename F>
  static Task Wrap(F&& f) {
    using Fn = std::decay_t<F>;
    internal::CheckGroupTask<Fn>();
    static_assert(internal::ReturnsNothing<Fn>(),
                  "xsync::schedgroup tasks return void (or Task<void>)");
    return internal::GroupTask(std::forward<F>(f));
  }

  absl::Status ScheduleTask(absl::Time when, Task task, TaskHandle* handle);

  std::shared_ptr<TaskHandle::State> state_;
};

}  // namespace schedgroup
}  // namespace xsync

#endif  // XSYNC_SCHEDGROUP_SCHEDGROUP_H_
