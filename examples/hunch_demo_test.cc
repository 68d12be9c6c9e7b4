// Copyright 2026 The xsync Authors.

#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

struct HunchReport {
  std::vector<int> all, take, last;
  absl::Status all_fail_fast, take_fail_fast;
  int retry = 0;
  std::string waterfall;
};
HunchReport RunHunchDemo(std::ostream& out);

TEST(HunchDemo, EveryCombinator) {
  std::ostringstream out;
  HunchReport r = RunHunchDemo(out);
  EXPECT_EQ(r.all, (std::vector<int>{1, 2, 3}));
  // Completion order (the functions end at 300, 100 and 200 ms).
  EXPECT_EQ(r.take, (std::vector<int>{2, 3}));
  EXPECT_EQ(r.last, (std::vector<int>{3, 1}));
  EXPECT_EQ(r.all_fail_fast, absl::UnknownError("failed at 50 ms"));
  EXPECT_EQ(r.take_fail_fast, absl::UnknownError("failed at 50 ms"));
  EXPECT_EQ(r.retry, 2);
  EXPECT_EQ(r.waterfall, "result: 2");
}
