// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/group_engine.h
// -----------------------------------------------------------------------------
//
// The one engine behind every xsync group (errgroup, sizedgroup, gollback,
// hunch, schedgroup): task counting, limit and queue policy, first error and
// all errors, exception capture, the derived context and the structured join.
//
// Admission of a task:
//   * While fewer than `limit` tasks are active, it is admitted at once: it
//     becomes ready and a runner is asked of the executor. Every active
//     (ready or running) task counts, however it was admitted.
//   * Otherwise it waits in the queue if fewer than `queue_capacity` tasks are
//     queued (kUnboundedQueue: always). A queued task starts the moment a slot
//     frees, on the thread whose task just finished.
//   * Otherwise `Submit(kBlock)` queues it beyond the capacity and blocks the
//     caller until it is admitted (dequeued, or within capacity of the
//     front; no engine lock held while blocked), and `Submit(kTry)` rejects
//     it with no side effect.
//   * A task that submits to its own full group is queued beyond the capacity
//     instead of blocking, since blocking there could never end.
//
// Running: runners (executor tasks holding only the shared state) run ready
// tasks one after another until none are left, and `Wait` runs them on its
// own thread while it waits ("caller runs", as TBB's task_group::wait), so a
// short task never waits for an OS thread to wake. Runners are asked for
// while ready tasks outnumber the runners on their way, up to one more than
// the threads running tasks: a burst of short tasks costs one hand-off for
// many tasks, and tasks that block double the runners at each round. A runner
// that runs out of ready tasks lingers a moment (at most two at a time,
// polling a counter) unless the queue is unbounded: a submitter keeping the
// group full then finds it still there instead of asking for another.
// With `eager_runners`, at most that many threads run the group's tasks
// until one of them stalls: a task that stays ready for a whole
// `stall_delay` (a check on the shared timer heap) doubles the cap, and a
// period in which every ready task started restores it. schedgroup uses a
// cap of one, so timers due one after another run back to back on one
// thread instead of waking several that then compete for the cores.
//
// Fixed limits (`fixed_limit`; sizedgroup's Preemptive and Discard): the
// slots are two counters, taken by submitters and freed by finishing tasks,
// and ready tasks go through a lock-free ring with a cell per slot, so a
// submitter and a runner on two cores share no lock and no line but the
// task's cell: a submitter re-reads the freed count only when the slots it
// last saw are all taken, and runners coming and going is the only other
// traffic. A submitter that finds none free polls a moment, then queues its
// task and waits as above, so the finishing task's thread admits it at once
// (runners take the lock only while tasks are queued). Runners are asked
// for when none is running, and by a runner that takes a task while more are
// ready; a task left ready for a whole `stall_delay` while runners exist
// (they are all blocked) adds one, so tasks that wait for each other still
// all start. Errors, skipping and the own-group queue are as above, taken
// under the lock only when they happen.
//
// Errors: each failed task's status is recorded in completion order; the
// first is the group's error. With a derived context and `OnError::kCancel`,
// the first error cancels it with that error as cause (under the engine lock,
// so `Wait` never overtakes it). With `kCancelAndDrop`, queued tasks are also
// destroyed unrun at the first error and later submissions are rejected. With
// `skip_when_done`, a task is not started (at admission, when dequeued, or
// when taken from the ready list) once the group context is done: it is
// destroyed unrun and the context's error is recorded once.
//
// Exceptions (when enabled): a throwing task is a failure with status
// UnknownError("task threw <type>: <what()>"); the first exception is kept for
// `RethrowIfException`.
//
// Lifetime: the state is shared with running tasks, and a task's callable is
// destroyed before the task counts as finished, so nothing a task captured is
// touched after `Wait` returns.

#ifndef XSYNC_INTERNAL_GROUP_ENGINE_H_
#define XSYNC_INTERNAL_GROUP_ENGINE_H_

#include <cstddef>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "xsync/context/context.h"
#include "xsync/executor/executor.h"

namespace xsync {
namespace internal {

class GroupEngine {
 public:
  using Task = absl::AnyInvocable<absl::Status(const Context&) &&>;

  static constexpr size_t kUnboundedQueue = std::numeric_limits<size_t>::max();
  static constexpr int kNoLimit = std::numeric_limits<int>::max();

  // What the first error does besides being recorded.
  enum class OnError {
    kRecord,         // Nothing more.
    kCancel,         // Cancels the derived context (cause: the error).
    kCancelAndDrop,  // Also drops queued tasks and rejects later ones.
  };

  struct Options {
    int limit = kNoLimit;
    size_t queue_capacity = 0;
    Executor* executor = nullptr;
    OnError on_error = OnError::kCancel;
    bool skip_when_done = false;
    // How many threads (runners and `Wait`) may run the group's tasks at
    // once before a stall; kNoLimit asks, as described above, for up to one
    // more than are running. Beyond it, more are asked for only when a task
    // has stayed ready for a whole `stall_delay` (checked on the shared timer
    // heap), doubling the cap each such period and restoring it once every
    // ready task starts within a period. Short tasks then run back to back
    // on few threads, and tasks that block still all start. Not applied
    // with an InlineExecutor.
    int eager_runners = kNoLimit;
    absl::Duration stall_delay = absl::Microseconds(50);  // At least 1 us.
    // The limit never changes (`SetLimit` is FailedPrecondition). With no
    // queue, a limit of 1 to kMaxRingLimit, no runner cap and a non-inline
    // executor, slots are then counted without the engine lock (see "Fixed
    // limits" above).
    bool fixed_limit = false;
  };

  static constexpr int kMaxRingLimit = 1024;

  enum class Admission {
    kBlock,  // Wait for a slot or queue room.
    kTry,    // Reject if no slot is free (the queue is not used).
  };

  // With `parent`, tasks get a context derived from it; without, Background.
  GroupEngine(std::optional<Context> parent, Options options);
  // If `Wait` was never called: cancels the derived context, waits, and
  // reports an unobserved exception on stderr. Never throws.
  ~GroupEngine();

  GroupEngine(const GroupEngine&) = delete;
  GroupEngine& operator=(const GroupEngine&) = delete;

  // True if the task was accepted (started or queued). A task rejected by
  // kTry, or after an error with kCancelAndDrop, is destroyed unrun.
  bool Submit(Task task, Admission admission);

  // Submits `tasks` in order, each as by Submit(task, kBlock), but admits
  // all that find a free slot under one lock and asks for their runners
  // once: a batch known up front (a collector's functions) costs one
  // hand-off, not one per task. Every task is moved out (a rejected one is
  // destroyed unrun), so the caller may reuse its buffer.
  void SubmitAll(absl::Span<Task> tasks);

  // Waits until no task is active, queued or being submitted, then cancels
  // the derived context (cause Cancelled unless an error cancelled it first).
  // Returns the first error. Callable again and from several threads.
  absl::Status Wait();

  // Runs `callback` once no task is active, queued or being submitted: at
  // once if that is so now, else on the thread whose task ends last. It
  // runs under the engine's lock: it must be short and must not call into
  // the group (the awaitable WaitAsync only hands a coroutine to the resume
  // queue).
  void WhenIdle(absl::AnyInvocable<void() &&> callback);

  // `Wait` if the group is idle now (OK or the first error, the derived
  // context cancelled); nullopt, with no effect, if it is not. Never blocks.
  std::optional<absl::Status> WaitIfIdle();

  // Rethrows the first exception a task threw, if any (marks it observed).
  void RethrowIfException();

  std::vector<absl::Status> Errors() const;
  absl::Status FirstError() const;

  // FailedPrecondition while any task is active. Queued tasks start under
  // the new limit.
  absl::Status SetLimit(int limit);

  // Cancels the derived context (no-op without one). An OK cause is none.
  void Cancel(absl::Status cause);

  const Context& context() const;
  size_t active() const;

  class State;

  // A running task that ends later, on any thread (a coroutine task that
  // suspended): until `Finish` is called, it holds its slot, counts as
  // active and `Wait` waits for it.
  class Completion {
   public:
    Completion() = default;
    Completion(Completion&&) noexcept;
    Completion& operator=(Completion&&) noexcept;
    ~Completion();

    // Ends the task with `status` (or, if `exception` is set, as a task
    // that threw it). Call exactly once; an empty Completion ignores it.
    void Finish(absl::Status status, std::exception_ptr exception = nullptr) &&;

   private:
    friend class GroupEngine;
    explicit Completion(std::shared_ptr<State> state);
    std::shared_ptr<State> state_;
  };

  // Called by a task while the engine runs it on this thread: the task then
  // ends when the returned Completion is finished, not when it returns (its
  // returned status is ignored). Empty if no task is running here (or it
  // was detached already).
  static Completion DetachRunningTask();

  // Undoes DetachRunningTask, from the same task before it returns (it
  // ended meanwhile): it then ends as a plain task, with the status it
  // returns, and `completion` is dropped unfinished.
  static void UndoDetach(Completion completion);

 private:
  std::shared_ptr<State> state_;
};

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_GROUP_ENGINE_H_
