// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/spin_wait.h
// -----------------------------------------------------------------------------
//
// The one policy for a thread that waits a moment for another before it
// sleeps (a blocked submitter, `Wait`, a runner out of ready tasks): pause
// the CPU a few times, then yield a few times, then give up and sleep.
//
// A yield only pays while the cores have room. When more threads are
// runnable than there are cores plus one, a yield hands the core to another
// thread for a whole time slice, and the thread the waiter waits for is as
// likely as not the one left without a core: each yield then costs a slice,
// and a runner that yields while waiting for more work keeps a submitter
// from running. So a spin-wait first asks whether the cores are busy (runnable
// threads, from /proc/loadavg, read at most every kBusyRefresh by whichever
// thread asks first): if they are, it does not yield; it pauses the CPU for
// its `busy_pauses` checks and then stops, and the caller sleeps (or
// leaves) and is woken by whoever makes its check true. Where the count of
// runnable threads cannot be read, the cores never count as busy.

#ifndef XSYNC_INTERNAL_SPIN_WAIT_H_
#define XSYNC_INTERNAL_SPIN_WAIT_H_

#include <chrono>
#include <thread>

namespace xsync {
namespace internal {

// One CPU pause (a spin-loop hint); nothing where there is none.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

class SpinWait {
 public:
  // How often the count of runnable threads is read, at most.
  static constexpr std::chrono::milliseconds kBusyRefresh{4};

  // `pauses` checks after `pauses_per_check` CPU pauses each; then, while
  // the cores have room, `yields` checks after a yield each, or when they
  // are busy, `busy_pauses` checks after one CPU pause each.
  SpinWait(int pauses, int pauses_per_check, int yields, int busy_pauses)
      : pauses_(pauses),
        pauses_per_check_(pauses_per_check),
        yields_(yields),
        busy_pauses_(busy_pauses) {}

  // Waits a moment before the caller's next check. False once the caller
  // should stop checking and sleep (or leave).
  bool Next() {
    if (pauses_ > 0) {
      --pauses_;
      for (int i = 0; i < pauses_per_check_; ++i) CpuRelax();
      return true;
    }
    if (!busy_known_) {
      busy_known_ = true;
      if (CoresBusy())
        yields_ = 0;
      else
        busy_pauses_ = 0;
    }
    if (yields_ > 0) {
      --yields_;
      std::this_thread::yield();
      return true;
    }
    if (busy_pauses_ > 0) {
      --busy_pauses_;
      CpuRelax();
      return true;
    }
    return false;
  }

  // Polls `ready` until it holds (true) or the wait is over (false).
  template <typename Pred>
  bool PollFor(Pred& ready) {
    while (!ready()) {
      if (!Next()) return ready();
    }
    return true;
  }

  // True if more threads are runnable than there are cores plus one (one
  // thread over the cores still finds a yield paying), as last read.
  static bool CoresBusy();

 private:
  int pauses_;
  int pauses_per_check_;
  int yields_;
  int busy_pauses_;
  bool busy_known_ = false;
};

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_SPIN_WAIT_H_
