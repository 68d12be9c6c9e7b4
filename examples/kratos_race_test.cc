// Copyright 2026 The xsync Authors.

#include <sstream>

#include "gtest/gtest.h"

struct KratosReport {
  int ran = 0;
  int ran_before_wait = 0;
};
KratosReport RunKratosRace(std::ostream& out);

TEST(KratosRace, AllTenThousandRunAndStartBeforeWait) {
  std::ostringstream out;
  KratosReport report = RunKratosRace(out);
  EXPECT_EQ(report.ran, 10000);
  EXPECT_EQ(report.ran_before_wait, 10000);
}
