// Copyright 2026 The xsync Authors.
//
// Exercise 20, set_limit: errgroup's SetLimit and TryGo, which a reader
// points out x/sync added after the lesson was written.
//
// Lesson: ../shared/lessons/003_b19a9a7e90b2b6c3.txt, reader comments
//   ("ErrGroup支持设置并发个数了，即方法SetLimit").
//
// SetLimit(2): at most two tasks run at once and Go blocks for a slot; TryGo
// starts a task only if a slot is free now. Changing the limit while tasks
// run is refused with FailedPrecondition (x/sync panics: "errgroup: modify
// limit while 2 goroutines in the group are still active").
//
//   ./tools/bazel run //examples:set_limit

#include <atomic>
#include <iostream>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/errgroup/errgroup.h"

struct SetLimitReport {
  int peak = 0;  // Most tasks running at once.
  bool try_go_when_full = true;
  absl::Status set_limit_while_active;
  int ran = 0;
};

SetLimitReport RunSetLimit(std::ostream& out) {
  SetLimitReport report;
  xsync::errgroup::Group g;
  (void)g.SetLimit(2);
  std::atomic<int> running{0}, peak{0}, ran{0};
  auto work = [&] {
    const int now = running.fetch_add(1) + 1;
    for (int p = peak.load(); now > p && !peak.compare_exchange_weak(p, now);) {
    }
    absl::SleepFor(absl::Milliseconds(20));
    running.fetch_sub(1);
    ran.fetch_add(1);
  };
  // Two tasks hold both slots until released.
  absl::Notification release;
  for (int i = 0; i < 2; ++i) {
    g.Go([&] {
      work();
      release.WaitForNotification();
    });
  }
  report.try_go_when_full = g.TryGo(work);
  report.set_limit_while_active = g.SetLimit(4);
  out << "full: TryGo returned " << (report.try_go_when_full ? "true" : "false")
      << ", SetLimit(4) returned " << report.set_limit_while_active << "\n";
  release.Notify();
  for (int i = 0; i < 6; ++i) g.Go(work);  // Blocks while both slots are busy.
  (void)g.Wait();
  report.peak = peak.load();
  report.ran = ran.load();
  out << report.ran << " tasks ran, at most " << report.peak << " at once\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunSetLimit(std::cout);
  return 0;
}
#endif
