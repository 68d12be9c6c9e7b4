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
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/errgroup/errgroup.h"

// The lesson's three tasks, its sleeps of 5, 10 and 15 s scaled to `unit`
// (100 ms by default) each: task 2 fails. Each prints when it finishes,
// with the elapsed time, and so does Wait.
//
//   g.Go(func() error {
//       time.Sleep(5 * time.Second); fmt.Println("exec #1"); return nil })
//   g.Go(func() error {
//       time.Sleep(10 * time.Second); fmt.Println("exec #2")
//       return errors.New("failed to exec #2") })
//   g.Go(func() error {
//       time.Sleep(15 * time.Second); fmt.Println("exec #3"); return nil })
//   if err := g.Wait(); err == nil {
//       fmt.Println("Successfully exec all")
//   } else { fmt.Println("failed:", err) }
absl::Status RunFirstError(std::ostream& out,
                           absl::Duration unit = absl::Milliseconds(100)) {
  std::mutex mu;  // The tasks share `out`.
  const absl::Time start = absl::Now();
  auto elapsed = [start] {
    return absl::StrCat(absl::ToInt64Milliseconds(absl::Now() - start), " ms");
  };
  xsync::errgroup::Group g;  // Go's zero value: no context.
  for (int i = 1; i <= 3; ++i) {
    g.Go([&, i]() -> absl::Status {
      absl::SleepFor(i * unit);
      {
        std::lock_guard<std::mutex> lock(mu);
        out << "exec #" << i << " (" << elapsed() << ")\n";
      }
      if (i == 2) return absl::UnknownError("failed to exec #2");
      return absl::OkStatus();
    });
  }
  // Returns only after all three finished, with task 2's error.
  absl::Status status = g.Wait();
  if (status.ok()) {
    out << "Successfully exec all\n";
  } else {
    out << "failed: " << status.message() << " (" << elapsed() << ")\n";
  }
  return status;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  (void)RunFirstError(std::cout);  // The error is the lesson: exit 0.
  return 0;
}
#endif
