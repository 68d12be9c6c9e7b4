// Copyright 2026 The xsync Authors.

#include <algorithm>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

struct TimeoutReport {
  absl::Status wait;
  std::vector<int> finished;
};
TimeoutReport RunTimeoutControl(std::ostream& out, absl::Duration deadline);

TEST(TimeoutControl, TheGroupDeadlineWinsOverSlowTasks) {
  std::ostringstream out;
  TimeoutReport report = RunTimeoutControl(out, absl::Seconds(3));
  EXPECT_TRUE(absl::IsDeadlineExceeded(report.wait)) << report.wait;
  std::vector<int> finished = report.finished;
  std::sort(finished.begin(), finished.end());
  EXPECT_EQ(finished, (std::vector<int>{0, 1}));  // 1 ms and 5 ms made it.
}
