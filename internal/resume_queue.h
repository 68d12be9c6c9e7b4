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
#include "executor/executor.h"

namespace xsync {
namespace internal {

class ResumeQueue {
 public:
  // The process-wide queue, drained on DefaultExecutor(). Never destroyed.
  static ResumeQueue& Default();

  ResumeQueue(Executor& executor, int max_drainers);

  // Resumes `handle` on the executor, soon. Never runs it here.
  void Push(std::coroutine_handle<> handle) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Drain() ABSL_LOCKS_EXCLUDED(mu_);
  // True (and counts one more) if another drainer should be asked for.
  bool WantsDrainerLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Executor& executor_;
  const int max_drainers_;
  absl::Mutex mu_;
  std::deque<std::coroutine_handle<>> handles_ ABSL_GUARDED_BY(mu_);
  int drainers_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace internal
}  // namespace xsync

#endif  // defined(__cpp_impl_coroutine)

#endif  // XSYNC_INTERNAL_RESUME_QUEUE_H_
