// Copyright 2026 The xsync Authors.
//
// Exercise 1, first_error: the errgroup basics.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "ErrGroup使用例子" >
//   "简单例子：返回第一个错误" (the first-error example).
//
// Pattern: start tasks with Go, then Wait. Wait blocks until *every* task has
// finished — not just until the first failure — and returns the first error.
// Watch out: the other tasks keep running after a failure; in Go they would
// need a context to stop early (see cancellable_errgroup).
//
//   ./tools/bazel run //examples:first_error

#include <iostream>
#include <mutex>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "xsync/errgroup/errgroup.h"

// Runs three tasks, the second of which fails; reports what happened.
absl::Status RunFirstError(std::ostream& out) {
  std::mutex mu;  // The tasks share `out`.
  xsync::errgroup::Group g;
  for (int i = 1; i <= 3; ++i) {
    g.Go([&, i]() -> absl::Status {
      if (i == 2) return absl::InternalError("task 2 failed");
      std::lock_guard<std::mutex> lock(mu);
      out << "task " << i << " done\n";
      return absl::OkStatus();
    });
  }
  absl::Status status = g.Wait();  // Returns after all three finished.
  out << "Wait: " << status << "\n";
  return status;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  (void)RunFirstError(std::cout);  // The error is the lesson: exit 0.
  return 0;
}
#endif
