// Copyright 2026 The xsync Authors.

#include <sstream>

#include "absl/status/status.h"
#include "gtest/gtest.h"

struct SetLimitReport {
  int peak = 0;
  bool try_go_when_full = true;
  absl::Status set_limit_while_active;
  int ran = 0;
};
SetLimitReport RunSetLimit(std::ostream& out);

TEST(SetLimit, AtMostTwoAtOnceTryGoFailsWhenFullTheLimitIsFixedWhileActive) {
  std::ostringstream out;
  const SetLimitReport report = RunSetLimit(out);
  EXPECT_LE(report.peak, 2) << out.str();
  EXPECT_FALSE(report.try_go_when_full);
  EXPECT_TRUE(absl::IsFailedPrecondition(report.set_limit_while_active))
      << report.set_limit_while_active;
  EXPECT_EQ(report.ran, 8);
}
