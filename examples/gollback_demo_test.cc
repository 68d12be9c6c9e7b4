// Copyright 2026 The xsync Authors.

#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

struct GollbackReport {
  std::vector<absl::StatusOr<std::string>> all;
  absl::StatusOr<std::string> race;
  absl::StatusOr<std::string> race_all_fail;
  absl::StatusOr<std::string> retry;
  int retry_attempts = 0;
};
GollbackReport RunGollbackDemo(std::ostream& out);

TEST(GollbackDemo, AllRaceRetry) {
  std::ostringstream out;
  GollbackReport r = RunGollbackDemo(out);
  ASSERT_EQ(r.all.size(), 3u);
  EXPECT_EQ(*r.all[0], "1");
  EXPECT_FALSE(r.all[1].ok());
  EXPECT_EQ(*r.all[2], "3");
  EXPECT_EQ(*r.race, "3");
  EXPECT_EQ(r.race_all_fail.status().message(), "failed last");
  EXPECT_EQ(r.retry.status().message(), "failed");
  EXPECT_EQ(r.retry_attempts, 5);
  EXPECT_NE(out.str().find("All: [1] [failed] [3]"), std::string::npos);
}
