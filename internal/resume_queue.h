// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/resume_queue.h
// -----------------------------------------------------------------------------
//
// Where suspended coroutines are resumed (C++20): a FIFO of handles drained
// by a few executor tasks. `Push` is cheap and never runs a coroutine, so a
// waker (a cancel, the timer thread firing) can hand over thousands of
// resumptions and return: they reach the executor as at most `max_drainers`
// (the number of cores, at least 2) drainer tasks at a time, not one task
// each. A drainer resumes handles one at a time until the queue is empty.
//
// A coroutine that blocks its thread (a plain sleep, blocking I/O) holds the
// drainer that resumed it; the others keep draining, and if every drainer
// is held so, resumptions wait. Blocking calls belong in plain tasks.

#ifndef XSYNC_INTERNAL_RESUME_QUEUE_H_
#define XSYNC_INTERNAL_RESUME_QUEUE_H_

#if defined(__cpp_impl_coroutine)  // C++20; empty otherwise.

#include <coroutine>
#include <deque>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "xsync/executor/executor.h"
#include "xsync/internal/current_engine.h"

namespace xsync {
namespace internal {

// A suspended coroutine and the engine whose task it is (current_engine on
// the thread where it suspended): made in an awaiter's await_suspend,
// called by whatever wakes it.
class Resumer {
 public:
  explicit Resumer(std::coroutine_handle<> handle)
      : handle_(handle), engine_(current_engine) {}
  // Hands the coroutine to the default resume queue.
  void operator()() const;

 private:
  friend class ResumeQueue;
  std::coroutine_handle<> handle_;
  const void* engine_;
};

class ResumeQueue {
 public:
  // The process-wide queue, drained on DefaultExecutor(). Never destroyed.
  static ResumeQueue& Default();

  ResumeQueue(Executor& executor, int max_drainers);

  // Resumes the coroutine on the executor, soon, with its engine as the
  // current engine while it runs. Never runs it here.
  void Push(Resumer resumer) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Drain() ABSL_LOCKS_EXCLUDED(mu_);
  // True (and counts one more) if another drainer should be asked for.
  bool WantsDrainerLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Executor& executor_;
  const int max_drainers_;
  absl::Mutex mu_;
  std::deque<Resumer> handles_ ABSL_GUARDED_BY(mu_);
  int drainers_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace internal
}  // namespace xsync

#endif  // defined(__cpp_impl_coroutine)

#endif  // XSYNC_INTERNAL_RESUME_QUEUE_H_
