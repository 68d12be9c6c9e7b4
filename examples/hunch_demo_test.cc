// Copyright 2026 The xsync Authors.

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

struct HunchReport {
  std::vector<int> all, take, last;
  int retry = 0;
  std::string waterfall;
};
HunchReport RunHunchDemo(std::ostream& out);

TEST(HunchDemo, EveryCombinator) {
  std::ostringstream out;
  HunchReport r = RunHunchDemo(out);
  EXPECT_EQ(r.all, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(r.take.size(), 2u);
  EXPECT_EQ(r.last.size(), 2u);
  EXPECT_EQ(r.retry, 2);
  EXPECT_EQ(r.waterfall, "result: 2");
}
