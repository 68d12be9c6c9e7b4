// Copyright 2026 The xsync Authors.
//
// Exercise 11a, gollback_demo: All, Race and Retry with the lesson's inputs.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "gollback".
//
// All runs every callback and keeps results and errors side by side, in
// input order. Race returns the first success and cancels the rest. Retry
// retries a flaky callback up to N attempts. Watch out: Race's losers must
// watch their context, or Race waits for them anyway (it is structured).
//
//   ./tools/bazel run //examples:gollback_demo

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "xsync/gollback/gollback.h"

using Callback =
    std::function<absl::StatusOr<std::string>(const xsync::Context&)>;

struct GollbackReport {
  std::vector<absl::StatusOr<std::string>> all;
  absl::StatusOr<std::string> race;
  absl::StatusOr<std::string> retry;
  int retry_attempts = 0;
};

GollbackReport RunGollbackDemo(std::ostream& out) {
  const xsync::Context ctx = xsync::Context::Background();
  GollbackReport report;
  std::vector<Callback> callbacks = {
      [](const xsync::Context&) -> absl::StatusOr<std::string> { return "1"; },
      [](const xsync::Context&) -> absl::StatusOr<std::string> {
        return absl::InternalError("failed");
      },
      [](const xsync::Context&) -> absl::StatusOr<std::string> { return "3"; },
  };
  report.all = xsync::gollback::All(ctx, callbacks);
  out << "All:";
  for (const auto& r : report.all) {
    out << " [" << (r.ok() ? *r : std::string(r.status().message())) << "]";
  }
  out << "\n";

  std::vector<Callback> racers = {
      [](const xsync::Context& c) -> absl::StatusOr<std::string> {
        c.Wait();  // Slow: loses, and stops when cancelled.
        return c.Err();
      },
      [](const xsync::Context&) -> absl::StatusOr<std::string> {
        return "fast";
      },
  };
  report.race = xsync::gollback::Race(ctx, racers);
  out << "Race: " << (report.race.ok() ? *report.race : "error") << "\n";

  report.retry = xsync::gollback::Retry(
      ctx, 5, [&report]() -> absl::StatusOr<std::string> {
        if (++report.retry_attempts < 3) {
          return absl::UnavailableError("flaky");
        }
        return "ok after " + std::to_string(report.retry_attempts);
      });
  out << "Retry: " << (report.retry.ok() ? *report.retry : "error") << "\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunGollbackDemo(std::cout);
  return 0;
}
#endif
