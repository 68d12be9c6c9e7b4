// Copyright 2026 The xsync Authors.

#include <sstream>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

struct WaitGroupFetchReport {
  absl::Duration all_three;
  absl::Status with_errors;
};
WaitGroupFetchReport RunWaitGroupFetch(std::ostream& out);

// Wait returns only after the longest call (300 ms) has ended. (That the
// calls overlap shows in the printed time; a bound on it would be a timed
// test, and a loaded machine can stretch it.)
TEST(WaitGroupFetch, WaitsForAllCalls) {
  std::ostringstream out;
  const WaitGroupFetchReport report = RunWaitGroupFetch(out);
  EXPECT_GE(report.all_three, absl::Milliseconds(300)) << out.str();
}

TEST(WaitGroupFetch, TheErrorVariantReturnsTheFailureUnchanged) {
  std::ostringstream out;
  const WaitGroupFetchReport report = RunWaitGroupFetch(out);
  EXPECT_EQ(report.with_errors, absl::UnavailableError("service b down"));
}
