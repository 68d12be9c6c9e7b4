// Copyright 2026 The xsync Authors.
//
// Exercise 11a, gollback_demo: All, Race and Retry with the lesson's inputs.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "gollback".
//
// All runs every callback and keeps results and errors side by side, in
// input order. Race returns the first success and cancels the rest, or, if
// all fail, the last error. Retry makes up to N attempts and returns the
// last error. Watch out: Race's losers must
// watch their context, or Race waits for them anyway (it is structured).
//
//   ./tools/bazel run //examples:gollback_demo

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/gollback/gollback.h"

using Callback =
    std::function<absl::StatusOr<std::string>(const xsync::Context&)>;

struct GollbackReport {
  std::vector<absl::StatusOr<std::string>> all;
  absl::StatusOr<std::string> race;
  absl::StatusOr<std::string> race_all_fail;
  absl::StatusOr<std::string> retry;
  int retry_attempts = 0;
};

GollbackReport RunGollbackDemo(std::ostream& out) {
  GollbackReport report;
  // The lesson's All: the first sleeps 3 s (300 ms here) and returns 1, the
  // second fails, the third returns 3.
  std::vector<Callback> callbacks = {
      [](const xsync::Context&) -> absl::StatusOr<std::string> {
        absl::SleepFor(absl::Milliseconds(300));
        return "1";
      },
      [](const xsync::Context&) -> absl::StatusOr<std::string> {
        return absl::UnknownError("failed");
      },
      [](const xsync::Context&) -> absl::StatusOr<std::string> { return "3"; },
  };
  const xsync::Context background = xsync::Context::Background();
  report.all = xsync::gollback::All(background, callbacks);
  out << "All:";
  for (const auto& r : report.all) {
    out << " [" << (r.ok() ? *r : std::string(r.status().message())) << "]";
  }
  out << "\n";

  // "Replace All with Race": the first success wins (3, at once); the
  // sleeping one does not look at its context, so Race still waits for it.
  report.race = xsync::gollback::Race(background, callbacks);
  out << "Race: " << (report.race.ok() ? *report.race : "error") << "\n";

  // Every function failing: Race returns the error of the one that failed
  // last.
  std::vector<Callback> failing = {
      [](const xsync::Context&) -> absl::StatusOr<std::string> {
        return absl::UnknownError("failed first");
      },
      [](const xsync::Context&) -> absl::StatusOr<std::string> {
        absl::SleepFor(absl::Milliseconds(300));
        return absl::UnknownError("failed last");
      },
  };
  report.race_all_fail = xsync::gollback::Race(background, failing);
  out << "Race, all failing: " << report.race_all_fail.status() << "\n";

  // The lesson's Retry: a function that always fails, 5 attempts, within a
  // 5 s timeout: the last error after the fifth attempt.
  auto [ctx, cancel] = xsync::WithTimeout(background, absl::Seconds(5));
  report.retry = xsync::gollback::Retry(
      ctx, 5, [&report](const xsync::Context&) -> absl::StatusOr<std::string> {
        ++report.retry_attempts;
        return absl::UnknownError("failed");
      });
  out << "Retry: " << report.retry.status() << " after "
      << report.retry_attempts << " attempts\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunGollbackDemo(std::cout);
  return 0;
}
#endif
