// Copyright 2026 The xsync Authors.

#include <sstream>

#include "absl/time/time.h"
#include "gtest/gtest.h"

struct SizedReport {
  int ran = 0;
  int peak = 0;
  absl::Duration submit_time;
  absl::Duration total_time;
};
SizedReport RunSizedGroup(std::ostream& out, bool preemptive, int tasks,
                          absl::Duration task_time);

TEST(SizedGroupExample, AtMostTenRunInBothModes) {
  std::ostringstream out;
  for (bool preemptive : {false, true}) {
    SizedReport r = RunSizedGroup(out, preemptive, 200, absl::Milliseconds(2));
    EXPECT_EQ(r.ran, 200);
    EXPECT_LE(r.peak, 10);
    // 200 tasks of 2 ms, 10 at a time: at least 40 ms (no upper bound).
    EXPECT_GE(r.total_time, absl::Milliseconds(40));
  }
}
