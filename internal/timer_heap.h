// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/timer_heap.h
// -----------------------------------------------------------------------------
//
// `TimerHeap` runs callbacks at given times from one thread that sleeps until
// the earliest pending entry is due. It serves every time-driven part of
// xsync: Context deadlines, the executor's starvation check and schedgroup.
// The process-wide instance, `TimerHeap::Default()`, is the only timer thread
// xsync ever starts; there is no thread and no OS timer per timer.
//
// Cost: pending timers sit in a `DeadlineQueue` (a calendar queue): timers
// due within its wheel are armed in O(1) and taken from a small heap of
// their bucket; `Cancel` is O(log n) at most. A pending
// timer costs a 16-byte entry, a 12-byte slot (its position and generation)
// and the callback (sizeof(absl::AnyInvocable)).
//
// Semantics:
//   * Callbacks run on the timer thread, one at a time, in deadline order
//     (FIFO among equal deadlines), without any lock of the heap held: they
//     may `Schedule` and `Cancel`. They must be short; hand real work to an
//     executor. Due entries are taken in batches of up to 256 per lock
//     acquisition; `Cancel` of an entry already taken returns false.
//   * `Cancel(handle)` returns true if it removed the entry before its
//     callback started; false if the callback has started or finished, or the
//     handle was already cancelled or is empty. Handles are generation-checked,
//     so a stale handle never cancels a newer timer.
//   * Memory ordering: everything before `Schedule` happens-before the
//     callback runs.
//   * A callback that throws is reported on stderr; the timer thread survives.

#ifndef XSYNC_INTERNAL_TIMER_HEAP_H_
#define XSYNC_INTERNAL_TIMER_HEAP_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "xsync/internal/deadline_queue.h"

namespace xsync {
namespace internal {

// The timer heap's notion of time: now, and how to sleep until a time. Tests
// substitute a SimulatedClock so ordering and cancellation run without
// sleeping.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
  // With `mu` held: sleeps until `deadline` by this clock or until `cv` is
  // signalled, whichever is first (spurious returns allowed).
  virtual void WaitUntil(absl::CondVar& cv, absl::Mutex& mu,
                         absl::Time deadline) = 0;
};

// Wall-clock time (absl::Now).
Clock& RealClock();

class TimerHeap;

// A clock that moves only when told to. `Advance` wakes every heap using it.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(absl::Time start = absl::UnixEpoch()) : now_(start) {}

  absl::Time Now() override ABSL_LOCKS_EXCLUDED(mu_);
  void WaitUntil(absl::CondVar& cv, absl::Mutex& mu,
                 absl::Time deadline) override;
  void Advance(absl::Duration by) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  friend class TimerHeap;
  void Subscribe(TimerHeap* heap) ABSL_LOCKS_EXCLUDED(mu_);
  void Unsubscribe(TimerHeap* heap) ABSL_LOCKS_EXCLUDED(mu_);

  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  std::vector<TimerHeap*> heaps_ ABSL_GUARDED_BY(mu_);
};

// `when` as Unix nanoseconds, the key of a DeadlineQueue entry; the infinite
// past and future map to the int64 extremes.
int64_t DeadlineNanos(absl::Time when);

// Identifies one scheduled timer. A default-constructed handle is empty.
using TimerHandle = DeadlineHandle;

class TimerHeap {
 public:
  using Callback = absl::AnyInvocable<void() &&>;

  // The process-wide heap. Never destroyed.
  static TimerHeap& Default();

  explicit TimerHeap(Clock& clock = RealClock());
  // Stops the thread; pending callbacks are destroyed without running.
  ~TimerHeap();

  TimerHeap(const TimerHeap&) = delete;
  TimerHeap& operator=(const TimerHeap&) = delete;

  // Runs `callback` on the timer thread at `when` (at once if it is past).
  TimerHandle Schedule(absl::Time when, Callback callback)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Removes the entry; true if its callback will now never run.
  bool Cancel(TimerHandle handle) ABSL_LOCKS_EXCLUDED(mu_);

  // Number of pending (not yet started) timers.
  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);

  // The heap's clock, for computing times to schedule at.
  absl::Time Now() { return clock_.Now(); }

  // Makes the timer thread re-read the clock (SimulatedClock::Advance).
  void Poke() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Takes the earliest entry out, with mu_ held.
  Callback PopFrontLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  // Starts the timer thread (once, from the first Schedule).
  void StartThread() ABSL_LOCKS_EXCLUDED(mu_);
  // Mirrors the earliest deadline into front_due_ns_.
  void PublishFrontLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Clock& clock_;
  mutable absl::Mutex mu_;
  absl::CondVar wake_;
  DeadlineQueue<Callback> heap_ ABSL_GUARDED_BY(mu_);
  int64_t sleeping_until_ns_ ABSL_GUARDED_BY(mu_) = 0;
  bool sleeping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool thread_started_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_ ABSL_GUARDED_BY(mu_);
  // The earliest deadline, readable without mu_ (a hint for short waits).
  std::atomic<int64_t> front_due_ns_{std::numeric_limits<int64_t>::max()};
};

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_TIMER_HEAP_H_
