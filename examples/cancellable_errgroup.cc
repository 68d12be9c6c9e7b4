// Copyright 2026 The xsync Authors.
//
// Exercise 13, cancellable_errgroup: the lesson's homework — an errgroup
// whose subtasks stop when a sibling fails.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "思考题" (an ErrGroup
// that
//   can cancel its subtasks).
//
// Pattern: give the group a parent context; every task receives the group
// context and checks it (here: waits on it between slices of work). The first
// failure cancels that context with the failure as its cause, so long-running
// siblings stop promptly instead of running to completion. Watch out: a task
// that never looks at its context cannot be stopped — cancellation is
// cooperative.
//
//   ./tools/bazel run //examples:cancellable_errgroup

#include <atomic>
#include <iostream>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "xsync/errgroup/errgroup.h"

struct CancellableReport {
  absl::Status wait;
  absl::Status cause;
  int slices_done = 0;  // By the long task, out of 10,000.
  absl::Duration elapsed;
};

CancellableReport RunCancellableErrgroup(std::ostream& out) {
  const absl::Time start = absl::Now();
  xsync::errgroup::Group g(xsync::Context::Background());
  std::atomic<int> slices{0};
  // A long task: 10,000 slices of 1 ms, stopping when its context is done.
  g.Go([&](const xsync::Context& ctx) -> absl::Status {
    for (int i = 0; i < 10000; ++i) {
      if (ctx.WaitFor(absl::Milliseconds(1))) return ctx.Err();
      slices.fetch_add(1);
    }
    return absl::OkStatus();
  });
  // A sibling that fails quickly.
  g.Go([] { return absl::AbortedError("sibling failed"); });
  CancellableReport report;
  report.wait = g.Wait();
  report.cause = g.context().Cause();
  report.slices_done = slices.load();
  report.elapsed = absl::Now() - start;
  out << "Wait: " << report.wait << " after " << report.elapsed
      << "; the long task did " << report.slices_done << " of 10000 slices\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunCancellableErrgroup(std::cout);
  return 0;
}
#endif
