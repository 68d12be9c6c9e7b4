// Copyright 2026 The xsync Authors.

#include <sstream>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

struct CancellableReport {
  absl::Status wait;
  absl::Status cause;
  int slices_done = 0;
  absl::Duration elapsed;
};
CancellableReport RunCancellableErrgroup(std::ostream& out);

TEST(CancellableErrgroup, LongTaskStopsPromptlyWhenASiblingFails) {
  std::ostringstream out;
  CancellableReport report = RunCancellableErrgroup(out);
  EXPECT_EQ(report.wait, absl::AbortedError("sibling failed"));
  EXPECT_EQ(report.cause, absl::AbortedError("sibling failed"));
  EXPECT_LT(report.slices_done, 10000);  // It did not run to completion.
  EXPECT_LT(report.elapsed, absl::Seconds(10));  // 10 s was the full run.
}
