// Copyright 2026 The xsync Authors.
//
// Exercise 19, waitgroup_fetch: the WaitGroup lesson — call several
// downstream services at once and wait for all of them; then the reader's
// variant that also collects their errors.
//
// Lesson: ../shared/lessons/000_87d9101e8ed3c68f.txt, "WaitGroup类型"
//   (Add before starting, Done when each ends, Wait blocks), and its first
//   reader comment (collect errors with an error channel or an errs slice;
//   facebookgo/errgroup does it for you).
//
// The Go shape being mirrored:
//
//   var wg sync.WaitGroup
//   wg.Add(3)
//   for _, svc := range services {
//       go func(svc string) { defer wg.Done(); call(svc) }(svc)
//   }
//   wg.Wait()
//
// `go` is `xsync::DefaultExecutor().Schedule`, `defer wg.Done()` a call at
// the end of the task. The three calls (scaled to 100/200/300 ms) overlap,
// so Wait returns after about the longest one, not their sum. The error
// variant uses the same WaitGroup's Error() (facebookgo's): one failure comes
// back unchanged from Wait; several are joined.
//
//   ./tools/bazel run //examples:waitgroup_fetch

#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/errgroup/waitgroup.h"
#include "xsync/executor/executor.h"

struct WaitGroupFetchReport {
  absl::Duration all_three;  // Wait's return, from the first call's start.
  absl::Status with_errors;  // The variant's Wait.
};

// A downstream call: takes `latency`; "b" fails when `fail_b`.
absl::Status CallService(const std::string& name, absl::Duration latency,
                         bool fail_b) {
  absl::SleepFor(latency);
  if (fail_b && name == "b") return absl::UnavailableError("service b down");
  return absl::OkStatus();
}

WaitGroupFetchReport RunWaitGroupFetch(std::ostream& out) {
  WaitGroupFetchReport report;
  const std::vector<std::string> services = {"a", "b", "c"};
  for (bool fail_b : {false, true}) {
    xsync::errgroup::WaitGroup wg;
    (void)wg.Add(static_cast<int>(services.size()));  // Before starting.
    const absl::Time start = absl::Now();
    for (size_t i = 0; i < services.size(); ++i) {
      const absl::Duration latency = absl::Milliseconds(100) * (i + 1);
      xsync::DefaultExecutor().Schedule([&wg, &services, i, latency, fail_b] {
        absl::Status status = CallService(services[i], latency, fail_b);
        if (!status.ok()) (void)wg.Error(status);
        (void)wg.Done();
      });
    }
    const absl::Status status = wg.Wait();
    if (!fail_b) {
      report.all_three = absl::Now() - start;
      out << "3 calls of 100, 200 and 300 ms: Wait returned after "
          << absl::ToInt64Milliseconds(report.all_three) << " ms\n";
    } else {
      report.with_errors = status;
      out << "with b failing: Wait returned " << status << "\n";
    }
  }
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunWaitGroupFetch(std::cout);
  return 0;
}
#endif
