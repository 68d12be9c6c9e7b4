// Copyright 2026 The xsync Authors.
//
// Exercise 12, schedgroup_demo: tasks delayed 100/200/300 ms print 1, 2, 3; and
// a variant cancelled after the first.
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
#include "absl/time/time.h"
#include "xsync/schedgroup/schedgroup.h"

struct SchedReport {
  std::vector<int> printed;
  std::vector<absl::Duration> at;  // When each printed, from the start.
  absl::Status wait;
};

// The lesson's program: sg.Delay(n*100ms, func() { log.Println(n) }) for
// n = 1..3, then Wait; each line shows the elapsed time, as log's timestamp
// does, and is flushed at once. With `cancel_after_first`, the first task
// cancels the context: the others never run and Wait returns its error.
SchedReport RunSchedgroupDemo(std::ostream& out, bool cancel_after_first) {
  auto [ctx, cancel] = xsync::WithCancel(xsync::Context::Background());
  // Tasks run on the timer thread here, so they print in deadline order.
  xsync::schedgroup::Group g(ctx, &xsync::InlineExecutorInstance());
  std::mutex mu;
  SchedReport report;
  const absl::Time start = absl::Now();
  // Each Delay is armed after the one before it and due later, so the
  // print order is the deadline order however slow arming is.
  for (int i = 1; i <= 3; ++i) {
    (void)g.Delay(absl::Milliseconds(100 * i), [&, i, cancel = cancel] {
      const absl::Duration at = absl::Now() - start;
      {
        std::lock_guard<std::mutex> lock(mu);
        report.printed.push_back(i);
        report.at.push_back(at);
      }
      out << absl::ToInt64Milliseconds(at) << " ms: " << i << std::endl;
      if (cancel_after_first) cancel();
    });
  }
  report.wait = g.Wait();
  out << "Wait: " << report.wait << std::endl;
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunSchedgroupDemo(std::cout, false);
  RunSchedgroupDemo(std::cout, true);
  return 0;
}
#endif
