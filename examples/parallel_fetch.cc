// Copyright 2026 The xsync Authors.
//
// Exercise 3, parallel_fetch: concurrent calls to several downstream
// services, cancelling the rest on the first failure.
//
// Lesson: ../shared/lessons/000_87d9101e8ed3c68f.txt, "WaitGroup类型" and the
//   cancel-aware fetch in its comments; 002_56a1ca8aea146394.txt, parallel HTTP
//   requests.
//
// Pattern: each call is a task on a group with a context; a call waits for
// its (simulated) latency *or* the context, whichever comes first — the
// select-on-Done pattern. The first failure cancels the context, so calls
// still waiting return at once instead of wasting their full latency. Watch
// out: return ctx.Err() when cancelled, so the first real error stays the
// group's error.
//
//   ./tools/bazel run //examples:parallel_fetch

#include "examples/parallel_fetch.h"

#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "xsync/errgroup/errgroup.h"

FetchReport RunParallelFetch(std::ostream& out,
                             const std::vector<Service>& services) {
  const absl::Time start = absl::Now();
  xsync::errgroup::Group g(xsync::Context::Background());
  std::mutex mu;
  FetchReport report;
  for (const Service& s : services) {
    g.Go([&, s](const xsync::Context& ctx) -> absl::Status {
      if (ctx.WaitFor(s.latency)) {  // select { case <-ctx.Done(): ... }
        std::lock_guard<std::mutex> lock(mu);
        report.cancelled.push_back(s.name);
        return ctx.Err();
      }
      if (s.fails) return absl::UnavailableError(s.name + " is down");
      std::lock_guard<std::mutex> lock(mu);
      report.responses[s.name] = "200 OK from " + s.name;
      return absl::OkStatus();
    });
  }
  report.wait = g.Wait();
  report.elapsed = absl::Now() - start;
  PrintFetchReport(out, report);
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunParallelFetch(std::cout, DemoServices());
  return 0;
}
#endif
