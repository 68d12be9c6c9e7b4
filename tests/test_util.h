// Copyright 2026 The xsync Authors.
//
// Helpers shared by xsync's tests.

#ifndef XSYNC_TESTS_TEST_UTIL_H_
#define XSYNC_TESTS_TEST_UTIL_H_

#include <algorithm>
#include <atomic>
#include <utility>
#include <vector>

#include "absl/base/config.h"
#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/executor/executor.h"

namespace xsync {
namespace testutil {

// ThreadSanitizer cannot map trace memory for thousands of live threads, so
// tests whose tasks each hold a thread use fewer of them under TSAN.
#ifdef ABSL_HAVE_THREAD_SANITIZER
inline constexpr int kMaxThreadHeavyTasks = 200;
#else
inline constexpr int kMaxThreadHeavyTasks = 1 << 30;
#endif
inline int ThreadHeavyTasks(int wanted) {
  return std::min(wanted, kMaxThreadHeavyTasks);
}

// Stress sizes: `full` normally, `sanitized` under TSAN or ASan (5-15x
// slower, and TSAN is thread-limited).
#if defined(ABSL_HAVE_THREAD_SANITIZER) || defined(ABSL_HAVE_ADDRESS_SANITIZER)
inline constexpr bool kUnderSanitizer = true;
#else
inline constexpr bool kUnderSanitizer = false;
#endif
constexpr int StressSize(int full, int sanitized) {
  return kUnderSanitizer ? sanitized : full;
}

// `count` tasks that each wait until all of them have started: Go's
// guarantee that tasks start without waiting for others to finish, which a
// group that ran them on too few threads would turn into a hang.
class Rendezvous {
 public:
  explicit Rendezvous(int count) : remaining_(count) {}
  // Called by each task; returns once all `count` have called it.
  void ArriveAndWait() {
    if (remaining_.fetch_sub(1) == 1) all_arrived_.Notify();
    all_arrived_.WaitForNotification();
  }
  // Returns once all have arrived, without arriving.
  void WaitForAll() { all_arrived_.WaitForNotification(); }

 private:
  std::atomic<int> remaining_;
  absl::Notification all_arrived_;
};

// Tracks how many tasks run at once, and the peak.
class PeakCounter {
 public:
  void Enter() {
    const int now = active_.fetch_add(1) + 1;
    int peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
  }
  void Exit() { active_.fetch_sub(1); }
  int peak() const { return peak_.load(); }

 private:
  std::atomic<int> active_{0};
  std::atomic<int> peak_{0};
};

// An executor that holds what it is given until `RunHeld()`: a stand-in for
// workers that have not woken up yet.
class HeldExecutor : public Executor {
 public:
  void Schedule(absl::AnyInvocable<void() &&> task) override {
    absl::MutexLock lock(&mu_);
    held_.push_back(std::move(task));
  }
  // Runs (on this thread) everything held so far; returns how many.
  int RunHeld() {
    std::vector<absl::AnyInvocable<void() &&>> tasks;
    {
      absl::MutexLock lock(&mu_);
      tasks.swap(held_);
    }
    for (auto& task : tasks) std::move(task)();
    return static_cast<int>(tasks.size());
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::AnyInvocable<void() &&>> held_ ABSL_GUARDED_BY(mu_);
};

// Polls `condition` until it holds or `limit` passes; true if it held. For
// tests whose subject is time itself (idle timeouts), never as a substitute
// for a latch.
template <typename Condition>
bool EventuallyTrue(Condition condition,
                    absl::Duration limit = absl::Seconds(30)) {
  const absl::Time give_up = absl::Now() + limit;
  while (!condition()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

}  // namespace testutil
}  // namespace xsync

#endif  // XSYNC_TESTS_TEST_UTIL_H_
