// Copyright 2026 The xsync Authors.
//
// Exercise 9, waitgroup_errors: facebookgo/errgroup's Add/Done/Error.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "扩展库" >
//   "facebookgo/errgroup".
//
// Pattern: you start the threads yourself; the WaitGroup counts them and
// collects their errors. Wait returns OK, the single error unchanged, or all
// errors joined in call order. Watch out: Add before starting the thread, and
// Done exactly once per Add (more Done than Add is reported as an error).
//
//   ./tools/bazel run //examples:waitgroup_errors

#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "xsync/errgroup/errors.h"
#include "xsync/errgroup/waitgroup.h"

absl::Status RunWaitGroupErrors(std::ostream& out, int failures) {
  xsync::errgroup::WaitGroup wg;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    (void)wg.Add(1);
    threads.emplace_back([&wg, i, failures] {
      if (i < failures) {
        (void)wg.Error(absl::UnavailableError("fetch " + std::to_string(i)));
      }
      (void)wg.Done();
    });
  }
  absl::Status status = wg.Wait();
  for (auto& t : threads) t.join();
  // The message and each part's, not `out << status`: a joined status
  // carries its parts as a binary payload, which operator<< prints raw.
  if (status.ok()) {
    out << "Wait: OK\n";
  } else {
    out << "Wait: " << absl::StatusCodeToString(status.code()) << ": "
        << status.message() << "\n";
    for (const absl::Status& part : xsync::errgroup::SplitErrors(status)) {
      out << "  part: " << part.message() << "\n";
    }
  }
  return status;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  for (int failures : {0, 1, 2}) {
    (void)RunWaitGroupErrors(std::cout, failures);  // It prints the result.
  }
  return 0;
}
#endif
