// Copyright 2026 The xsync Authors.
//
// Exercise 11b, hunch_demo: All, Take, Last, Retry and Waterfall.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "Hunch".
//
// All: every value in input order, failing fast. Take: the first N to
// succeed. Last: all must succeed, keep the last N. Retry: until success or N
// attempts. Waterfall: a typed pipeline where each step gets the previous
// value. The functions end at staggered times (300, 100, 200 ms) so the
// completion order shows: Take and Last report it, All keeps input order.
// A failure makes All and Take return at once with it (fail-fast).
//
//   ./tools/bazel run //examples:hunch_demo

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/hunch/hunch.h"

using Fn = std::function<absl::StatusOr<int>(const xsync::Context&)>;

struct HunchReport {
  std::vector<int> all, take, last;
  absl::Status all_fail_fast, take_fail_fast;
  int retry = 0;
  std::string waterfall;
};

// A function returning `value` after `delay`, or its context's error if the
// context ends first (a sibling failed).
Fn After(absl::Duration delay, int value) {
  return [delay, value](const xsync::Context& ctx) -> absl::StatusOr<int> {
    if (ctx.WaitFor(delay)) return ctx.Err();
    return value;
  };
}

HunchReport RunHunchDemo(std::ostream& out) {
  const xsync::Context ctx = xsync::Context::Background();
  // Staggered, so completion order differs from input order: 1 ends last.
  const std::vector<Fn> fns = {After(absl::Milliseconds(300), 1),
                               After(absl::Milliseconds(100), 2),
                               After(absl::Milliseconds(200), 3)};
  HunchReport report;
  report.all = *xsync::hunch::All(ctx, fns);       // Input order.
  report.take = *xsync::hunch::Take(ctx, 2, fns);  // First 2 to complete.
  report.last = *xsync::hunch::Last(ctx, 2, fns);  // Last 2 to complete.
  // Fail-fast: a function failing at 50 ms ends All and Take at once; the
  // others see their context cancelled.
  std::vector<Fn> with_failure = fns;
  with_failure.push_back([](const xsync::Context&) -> absl::StatusOr<int> {
    absl::SleepFor(absl::Milliseconds(50));
    return absl::UnknownError("failed at 50 ms");
  });
  report.all_fail_fast = xsync::hunch::All(ctx, with_failure).status();
  report.take_fail_fast = xsync::hunch::Take(ctx, 2, with_failure).status();
  int attempts = 0;
  report.retry = *xsync::hunch::Retry(ctx, 3, [&]() -> absl::StatusOr<int> {
    if (++attempts < 2) return absl::UnavailableError("not yet");
    return attempts;
  });
  report.waterfall = *xsync::hunch::Waterfall(
      ctx, [](const xsync::Context&) { return 1; },
      [](const xsync::Context&, int x) { return x + 1; },
      [](const xsync::Context&, int x) {
        return "result: " + std::to_string(x);
      });
  auto print = [&](const char* name, const std::vector<int>& v) {
    out << name << ":";
    for (int x : v) out << " " << x;
    out << "\n";
  };
  print("All", report.all);
  print("Take(2)", report.take);
  print("Last(2)", report.last);
  out << "All with a failure: " << report.all_fail_fast << "\n";
  out << "Take(2) with a failure: " << report.take_fail_fast << "\n";
  out << "Retry: succeeded at attempt " << report.retry << "\n";
  out << "Waterfall: " << report.waterfall << "\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunHunchDemo(std::cout);
  return 0;
}
#endif
