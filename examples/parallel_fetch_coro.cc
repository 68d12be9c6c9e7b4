// Copyright 2026 The xsync Authors.
//
// Exercise 3 again, parallel_fetch, with coroutine tasks (C++20): the same
// calls, the same first-failure cancellation, but a call waits for its
// latency at `co_await xsync::Sleep(ctx, latency)` and holds no thread while
// it waits — Go's goroutine parked in `select { case <-time.After(d): case
// <-ctx.Done(): }`. Sleep resumes with the context's error if the context
// ends first, so a cancelled call returns at once with that error and the
// first real failure stays the group's error.
//
// Lesson: ../shared/lessons/as parallel_fetch (000 and 002), with coroutine
//   tasks.
//
// Compared with parallel_fetch.cc: `ctx.WaitFor(d)` (which parks a thread)
// becomes `co_await Sleep(ctx, d)`, the task returns
// `xsync::Task<absl::Status>`, and `return` becomes `co_return`.
//
//   ./tools/bazel run //examples:parallel_fetch_coro

#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "examples/parallel_fetch.h"
#include "xsync/coro/coro.h"
#include "xsync/errgroup/errgroup.h"

FetchReport RunParallelFetchCoro(std::ostream& out,
                                 const std::vector<Service>& services) {
  const absl::Time start = absl::Now();
  xsync::errgroup::Group g(xsync::Context::Background());
  std::mutex mu;
  FetchReport report;
  for (const Service& s : services) {
    g.Go([&, s](const xsync::Context& ctx) -> xsync::Task<absl::Status> {
      if (absl::Status slept = co_await xsync::Sleep(ctx, s.latency);
          !slept.ok()) {  // The context ended first.
        std::lock_guard<std::mutex> lock(mu);
        report.cancelled.push_back(s.name);
        co_return slept;
      }
      if (s.fails) co_return absl::UnavailableError(s.name + " is down");
      std::lock_guard<std::mutex> lock(mu);
      report.responses[s.name] = "200 OK from " + s.name;
      co_return absl::OkStatus();
    });
  }
  report.wait = g.Wait();
  report.elapsed = absl::Now() - start;
  PrintFetchReport(out, report);
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunParallelFetchCoro(std::cout, DemoServices());
  return 0;
}
#endif
