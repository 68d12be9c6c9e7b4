// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: executor/executor.h
// -----------------------------------------------------------------------------
//
// An `Executor` runs tasks on threads. Every xsync group takes an optional
// `Executor*`; when none is given it uses `DefaultExecutor()`.
//
// `DefaultExecutor()` is an `ElasticExecutor`: a process-wide thread pool with
// Go's guarantee that a task never waits for another task to finish before it
// starts. Tasks may block (on I/O, on a latch, on each other) without
// deadlocking or starving the pool:
//
//   * A task is handed to an idle thread when there is one (no thread
//     creation); otherwise, while fewer than `eager_threads` threads exist, a
//     new thread is started for it.
//   * Beyond that, the task is queued for the running threads, which take the
//     next queued task as soon as they finish one, so bursts of tiny tasks run
//     on a few warm threads. If the queue makes no progress for
//     `starvation_delay` (every thread is blocked), more threads are started;
//     the number started doubles each further delay. So a task starts within a
//     bounded time even if every other task blocks forever.
//   * A thread idle for `idle_timeout` exits. The thread count therefore tracks
//     the number of tasks running at once, not the number submitted.
//
// With a user-supplied executor, blocking safety is the user's business: a
// fixed pool of N threads deadlocks when N tasks wait for a task behind them.
//
// Errors: a task that throws is reported on stderr and swallowed; its thread
// keeps serving. (Groups capture their tasks' exceptions before this.)
//
// Memory ordering: everything before `Schedule(task)` happens-before `task`
// starts.
//
// Example:
//
//   xsync::DefaultExecutor().Schedule([] { DoWork(); });

#ifndef XSYNC_EXECUTOR_EXECUTOR_H_
#define XSYNC_EXECUTOR_EXECUTOR_H_

#include <memory>

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"

namespace xsync {

class Executor {
 public:
  using Task = absl::AnyInvocable<void() &&>;

  virtual ~Executor() = default;

  // Runs `task` at some later time on some thread. Must not block the caller
  // for longer than it takes to hand the task over.
  virtual void Schedule(Task task) = 0;
};

// The elastic, blocking-safe pool described in the file comment.
class ElasticExecutor final : public Executor {
 public:
  struct Options {
    // An idle thread exits after this long without work.
    absl::Duration idle_timeout = absl::Seconds(10);
    // Threads started at once, without queueing, while no thread is idle.
    // 0 means the number of CPUs, at least 2.
    int eager_threads = 0;
    // How long queued tasks may make no progress before more threads start.
    absl::Duration starvation_delay = absl::Microseconds(200);
  };

  ElasticExecutor();
  explicit ElasticExecutor(Options options);
  // Waits for every scheduled task to finish, then for the threads to exit.
  ~ElasticExecutor() override;

  ElasticExecutor(const ElasticExecutor&) = delete;
  ElasticExecutor& operator=(const ElasticExecutor&) = delete;

  void Schedule(Task task) override;

  // Observability (mainly for tests and benchmarks).
  int thread_count() const;
  int idle_thread_count() const;
  // Threads started since construction.
  long long threads_started() const;

 private:
  class State;
  std::shared_ptr<State> state_;
};

// Runs each task at once, on the thread that schedules it. For callbacks that
// are short and must be finished when the scheduling call returns (xsync uses
// it for AfterFunc wake-ups); never for tasks that block.
class InlineExecutor final : public Executor {
 public:
  void Schedule(Task task) override;
};

// The process-wide elastic executor. Never destroyed.
Executor& DefaultExecutor();

// A process-wide InlineExecutor. Never destroyed.
Executor& InlineExecutorInstance();

// `executor` if non-null, else `DefaultExecutor()`.
inline Executor& ExecutorOrDefault(Executor* executor) {
  return executor != nullptr ? *executor : DefaultExecutor();
}

}  // namespace xsync

#endif  // XSYNC_EXECUTOR_EXECUTOR_H_
