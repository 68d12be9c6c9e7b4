// Copyright 2026 The xsync Authors.

#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

struct SchedReport {
  std::vector<int> printed;
  absl::Status wait;
};
SchedReport RunSchedgroupDemo(std::ostream& out, bool cancel_after_first);

TEST(SchedgroupDemo, PrintsOneTwoThree) {
  std::ostringstream out;
  SchedReport r = RunSchedgroupDemo(out, false);
  EXPECT_TRUE(r.wait.ok());
  EXPECT_EQ(r.printed, (std::vector<int>{1, 2, 3}));
}

TEST(SchedgroupDemo, CancellationStopsThePendingTasks) {
  std::ostringstream out;
  SchedReport r = RunSchedgroupDemo(out, true);
  EXPECT_TRUE(absl::IsCancelled(r.wait)) << r.wait;
  EXPECT_EQ(r.printed, std::vector<int>{1});
}
