// Copyright 2026 The xsync Authors.
//
// Exercise 7, timeout_control: tasks racing their context against a timer.
//
// Lesson: ../shared/lessons/002_56a1ca8aea146394.txt, "实战: 多协程的错误处理"
// > "例子用法"
//   (timeout control with select).
//
// Pattern: derive the group's context from one with a deadline; each task
// waits for its work (simulated by a timer) or for the context, whichever
// comes first. The group's deadline wins over slow tasks: Wait returns
// DeadlineExceeded once every task has noticed. Watch out: report
// ctx.Err(), not your own error, so callers can tell a timeout from a
// failure.
//
//   ./tools/bazel run //examples:timeout_control

#include <iostream>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "xsync/errgroup/errgroup.h"

struct TimeoutReport {
  absl::Status wait;
  std::vector<int> finished;  // Tasks whose work beat the deadline.
};

TimeoutReport RunTimeoutControl(std::ostream& out, absl::Duration deadline) {
  auto [ctx, cancel] =
      xsync::WithTimeout(xsync::Context::Background(), deadline);
  xsync::errgroup::Group g(ctx);
  std::mutex mu;
  TimeoutReport report;
  const int work_ms[] = {1, 5, 10000, 20000};  // The last two are too slow.
  for (int i = 0; i < 4; ++i) {
    g.Go([&, i](const xsync::Context& task_ctx) -> absl::Status {
      // Race the work's timer against the context.
      if (task_ctx.WaitFor(absl::Milliseconds(work_ms[i]))) {
        return task_ctx.Err();  // The deadline won.
      }
      std::lock_guard<std::mutex> lock(mu);
      report.finished.push_back(i);
      return absl::OkStatus();
    });
  }
  report.wait = g.Wait();
  out << "Wait: " << report.wait << "; " << report.finished.size()
      << " of 4 tasks finished before the deadline\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunTimeoutControl(std::cout, absl::Milliseconds(200));
  return 0;
}
#endif
