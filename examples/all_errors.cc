// Copyright 2026 The xsync Authors.
//
// Exercise 2, all_errors: every task's result and error.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt,
// "更进一步，返回所有子任务的错误"
//   (every error); 000_87d9101e8ed3c68f.txt, the reader comments on collecting
//   every error.
//
// Pattern: errgroup's Wait reports only the first error. The lesson's trick
// in Go is a slice with one slot per task index, written by each goroutine.
// xsync gives you both without the trick: Errors() lists every failure in
// completion order, and gollback::All returns each task's result or error in
// input order. Watch out with the slice trick: each task must write only its
// own slot, and you may read the slice only after Wait.
//
//   ./tools/bazel run //examples:all_errors

#include <functional>
#include <iostream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/errgroup/errgroup.h"
#include "xsync/gollback/gollback.h"

struct AllErrorsReport {
  std::vector<absl::Status> slice_results;            // The lesson's trick.
  std::vector<absl::Status> errgroup_errors;          // Completion order.
  std::vector<absl::StatusOr<int>> gollback_results;  // Input order.
};

absl::StatusOr<int> Task(int i) {
  if (i == 2) return absl::InternalError("task 2 failed");
  return i * 10;
}

// The lesson's program: `result := make([]error, 3)`, each task writing its
// own slot, read after Wait. Race-free because each task writes a different
// element (no two threads touch the same memory) and Wait happens-after
// every task, so the reads after it see every write; reading before Wait,
// or two tasks sharing a slot, would be a data race (the tests run this
// under TSAN in CI).
std::vector<absl::Status> SliceTrick(std::ostream& out, absl::Duration unit) {
  std::vector<absl::Status> result(3);
  xsync::errgroup::Group g;
  for (int i = 1; i <= 3; ++i) {
    g.Go([&result, &out, i, unit]() -> absl::Status {
      absl::SleepFor(i * unit);  // The lesson's 5/10/15 s, scaled.
      result[i - 1] =
          i == 2 ? absl::UnknownError("failed to exec #2") : absl::OkStatus();
      return result[i - 1];
    });
  }
  const absl::Status first = g.Wait();
  out << (first.ok() ? "Successfully exec all. result: [" : "failed: [");
  for (const absl::Status& r : result) out << " " << r;
  out << " ]\n";
  return result;
}

AllErrorsReport RunAllErrors(std::ostream& out,
                             absl::Duration unit = absl::Milliseconds(100)) {
  AllErrorsReport report;
  report.slice_results = SliceTrick(out, unit);
  xsync::errgroup::Group g;
  for (int i = 1; i <= 3; ++i) {
    g.Go([i] { return Task(i).status(); });
  }
  out << "Wait (first error only): " << g.Wait() << "\n";
  report.errgroup_errors = g.Errors();
  out << "Errors(): " << report.errgroup_errors.size() << " error(s)\n";

  std::vector<std::function<absl::StatusOr<int>()>> fns;
  for (int i = 1; i <= 3; ++i) fns.push_back([i] { return Task(i); });
  report.gollback_results =
      xsync::gollback::All(xsync::Context::Background(), fns);
  for (size_t i = 0; i < report.gollback_results.size(); ++i) {
    const auto& r = report.gollback_results[i];
    out << "task " << i + 1 << ": ";
    if (r.ok()) {
      out << *r << "\n";
    } else {
      out << r.status() << "\n";
    }
  }
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunAllErrors(std::cout);
  return 0;
}
#endif
