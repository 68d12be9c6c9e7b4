// Copyright 2026 The xsync Authors.
//
// Exercise 9, waitgroup_errors: facebookgo/errgroup's Add/Done/Error.
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
#include "errgroup/waitgroup.h"

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
  out << "Wait: " << status << "\n";
  return status;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunWaitGroupErrors(std::cout, 0);
  RunWaitGroupErrors(std::cout, 1);
  RunWaitGroupErrors(std::cout, 2);
  return 0;
}
#endif
