// Copyright 2026 The xsync Authors.
//
// Exercise 11b, hunch_demo: All, Take, Last, Retry and Waterfall.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "Hunch".
//
// All: every value in input order, failing fast. Take: the first N to
// succeed. Last: all must succeed, keep the last N. Retry: until success or N
// attempts. Waterfall: a typed pipeline where each step gets the previous
// value. Watch out: Take and Last report completion order, which varies from
// run to run; All keeps input order.
//
//   ./tools/bazel run //examples:hunch_demo

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "xsync/hunch/hunch.h"

using Fn = std::function<absl::StatusOr<int>(const xsync::Context&)>;

struct HunchReport {
  std::vector<int> all, take, last;
  int retry = 0;
  std::string waterfall;
};

HunchReport RunHunchDemo(std::ostream& out) {
  const xsync::Context ctx = xsync::Context::Background();
  std::vector<Fn> fns;
  for (int v : {1, 2, 3}) {
    fns.push_back(
        [v](const xsync::Context&) -> absl::StatusOr<int> { return v; });
  }
  HunchReport report;
  report.all = *xsync::hunch::All(ctx, fns);
  report.take = *xsync::hunch::Take(ctx, 2, fns);
  report.last = *xsync::hunch::Last(ctx, 2, fns);
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
