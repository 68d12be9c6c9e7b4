// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/worker_progress.h
// -----------------------------------------------------------------------------
//
// What an executor worker and the long task it runs tell each other.
//
// The elastic executor starts threads when queued tasks wait and every
// running worker looks stuck: no new task taken for a whole starvation delay.
// A group's helper is one executor task that runs the group's tasks one after
// another, so by that count a helper draining a stream of short tasks looked
// stuck, and the executor started threads it did not need: 8-14 in a case of
// 100k timers firing on two cores (3 iterations), where the two eager
// threads suffice. Here the helper counts each task it finishes as a step; a
// worker whose task steps is making progress. Instead of a new thread, the
// executor then asks it to yield: the helper hands its remaining work to a
// new helper queued behind the waiting tasks and returns, so they run on the
// thread it frees, in order. (A worker the OS preempted for a whole check
// still looks stuck; that is left as it was.)
//
// Memory ordering: none is implied. The executor reads the steps only to
// compare them between checks, and a yield request is a hint acted on at the
// next step; the executor's own lock orders the tasks themselves.

#ifndef XSYNC_INTERNAL_WORKER_PROGRESS_H_
#define XSYNC_INTERNAL_WORKER_PROGRESS_H_

#include <atomic>
#include <cstdint>

namespace xsync {
namespace internal {

// One per executor worker thread; written by that thread (steps) and by the
// starvation check (yield_requested).
struct WorkerProgress {
  std::atomic<uint64_t> steps{0};
  std::atomic<bool> yield_requested{false};
};

// The worker's, on an executor worker thread; null on any other thread.
inline thread_local WorkerProgress* current_worker_progress = nullptr;

// Counts one finished unit of work (a group task) for the current worker.
// Only the worker itself writes its steps, so this needs no atomic add.
inline void NoteWorkerStep() {
  WorkerProgress* progress = current_worker_progress;
  if (progress == nullptr) return;
  progress->steps.store(progress->steps.load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
}

// True once per request: the executor has tasks waiting and asks the current
// worker to return to it. Acting on it is optional but must be prompt (at
// the next step), or the next check treats the worker as stuck.
inline bool TakeYieldRequest() {
  WorkerProgress* progress = current_worker_progress;
  return progress != nullptr &&
         progress->yield_requested.load(std::memory_order_relaxed) &&
         progress->yield_requested.exchange(false, std::memory_order_relaxed);
}

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_WORKER_PROGRESS_H_
