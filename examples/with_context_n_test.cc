// Copyright 2026 The xsync Authors.

#include <sstream>

#include "gtest/gtest.h"

struct WithContextNReport {
  bool fifth_go_blocked = false;
  int ran = 0;
};
WithContextNReport RunWithContextN(std::ostream& out);

TEST(WithContextN, AFullQueueMakesGoBlockUntilAWorkerFrees) {
  std::ostringstream out;
  const WithContextNReport report = RunWithContextN(out);
  EXPECT_TRUE(report.fifth_go_blocked) << out.str();
  EXPECT_EQ(report.ran, 5);
}
