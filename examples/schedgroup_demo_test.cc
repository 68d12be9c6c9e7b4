// Copyright 2026 The xsync Authors.

#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

struct SchedReport {
  std::vector<int> printed;
  std::vector<absl::Duration> at;
  absl::Status wait;
};
SchedReport RunSchedgroupDemo(std::ostream& out, bool cancel_after_first);

TEST(SchedgroupDemo, PrintsOneTwoThree) {
  std::ostringstream out;
  SchedReport r = RunSchedgroupDemo(out, false);
  EXPECT_TRUE(r.wait.ok());
  EXPECT_EQ(r.printed, (std::vector<int>{1, 2, 3}));
  // Never early: task n prints no sooner than n * 100 ms after the start.
  ASSERT_EQ(r.at.size(), 3u);
  for (int n = 1; n <= 3; ++n) {
    EXPECT_GE(r.at[n - 1], absl::Milliseconds(100 * n)) << n;
  }
}

TEST(SchedgroupDemo, CancellationStopsThePendingTasks) {
  std::ostringstream out;
  SchedReport r = RunSchedgroupDemo(out, true);
  EXPECT_TRUE(absl::IsCancelled(r.wait)) << r.wait;
  EXPECT_EQ(r.printed, std::vector<int>{1});
}
