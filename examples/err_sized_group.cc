// Copyright 2026 The xsync Authors.
//
// Exercise 15, err_sized_group: go-pkgz's ErrSizedGroup — a size limit,
// every error, and TermOnErr.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt,
//   "其它实用的Group并发原语" > "SizedGroup/ErrSizedGroup".
//
// 1. Without TermOnErr, every task runs and Wait returns every error,
//    joined ("N error(s) occurred: [0] {...}, ..."; SplitErrors takes them
//    apart).
// 2. With TermOnErr, the first error cancels the group's context: queued
//    tasks never start, and Go returns false from then on. The lesson regrets
//    that go-pkgz's ErrSizedGroup passes no context to its tasks; xsync's does.
//
//   ./tools/bazel run //examples:err_sized_group

#include <atomic>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errors.h"
#include "xsync/sizedgroup/sizedgroup.h"

struct ErrSizedGroupReport {
  std::vector<absl::Status> every_error;  // Part 1, split.
  int term_ran = 0;                       // Part 2: tasks that ran.
  absl::Status term_wait;                 // Part 2: Wait's result.
  bool go_after_error = true;             // Part 2: Go after the error.
};

ErrSizedGroupReport RunErrSizedGroup(std::ostream& out) {
  ErrSizedGroupReport report;

  // 1. Ten tasks, three at a time; tasks 3 and 7 fail.
  xsync::ErrSizedGroup all(3);
  for (int i = 1; i <= 10; ++i) {
    all.Go([i](const xsync::Context&) {
      if (i == 3 || i == 7) {
        return absl::InternalError(absl::StrCat("task ", i, " failed"));
      }
      return absl::OkStatus();
    });
  }
  const absl::Status joined = all.Wait();
  report.every_error = xsync::errgroup::SplitErrors(joined);
  out << "without TermOnErr: " << joined.message() << "\n";

  // 2. One at a time, in order; task 3 fails.
  xsync::ErrSizedGroup term(1, xsync::TermOnErr());
  std::atomic<int> ran{0};
  for (int i = 1; i <= 10; ++i) {
    term.Go([i, &ran](const xsync::Context&) {
      ran.fetch_add(1);
      if (i == 3) return absl::InternalError("task 3 failed");
      return absl::OkStatus();
    });
  }
  report.term_wait = term.Wait();
  report.term_ran = ran.load();
  report.go_after_error = term.Go([] {});
  out << "with TermOnErr: " << report.term_wait.message() << "; "
      << report.term_ran << " of 10 tasks ran; Go afterwards returned "
      << (report.go_after_error ? "true" : "false") << "\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunErrSizedGroup(std::cout);
  return 0;
}
#endif
