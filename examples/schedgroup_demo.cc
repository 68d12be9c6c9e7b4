// Copyright 2026 The xsync Authors.
//
// Exercise 12, schedgroup_demo: tasks at 100/200/300 ms print 1, 2, 3; and a
// variant cancelled after the first.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "schedgroup".
//
// Pattern: schedule tasks at times, then Wait for all of them. Pending tasks
// sit in the one shared timer heap (no thread per task). If the context ends
// first, pending tasks never run and Wait returns the context's error.
// Watch out: Schedule/Delay after Wait started is an error.
//
//   ./tools/bazel run //examples:schedgroup_demo

#include <iostream>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "xsync/schedgroup/schedgroup.h"

struct SchedReport {
  std::vector<int> printed;
  absl::Status wait;
};

// With `cancel_after_first`, the context is cancelled by the first task.
SchedReport RunSchedgroupDemo(std::ostream& out, bool cancel_after_first) {
  auto [ctx, cancel] = xsync::WithCancel(xsync::Context::Background());
  // Tasks run on the timer thread here, so they print in deadline order.
  xsync::schedgroup::Group g(ctx, &xsync::InlineExecutorInstance());
  std::mutex mu;
  SchedReport report;
  const absl::Time base = absl::Now();
  // Armed in deadline order: however long arming takes on a loaded machine,
  // each task is armed no later than the one due after it, so the print
  // order is the deadline order even if some are already due when armed.
  for (int i = 1; i <= 3; ++i) {
    (void)g.Schedule(base + absl::Milliseconds(100 * i),
                     [&, i, cancel = cancel] {
                       {
                         std::lock_guard<std::mutex> lock(mu);
                         report.printed.push_back(i);
                       }
                       out << i << "\n";
                       if (cancel_after_first) cancel();
                     });
  }
  report.wait = g.Wait();
  out << "Wait: " << report.wait << "\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunSchedgroupDemo(std::cout, false);
  RunSchedgroupDemo(std::cout, true);
  return 0;
}
#endif
