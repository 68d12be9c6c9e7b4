// Copyright 2026 The xsync Authors.

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

struct ErrSizedGroupReport {
  std::vector<absl::Status> every_error;
  int term_ran = 0;
  absl::Status term_wait;
  bool go_after_error = true;
};
ErrSizedGroupReport RunErrSizedGroup(std::ostream& out);

TEST(ErrSizedGroup, WithoutTermOnErrWaitReturnsEveryError) {
  std::ostringstream out;
  const ErrSizedGroupReport report = RunErrSizedGroup(out);
  ASSERT_EQ(report.every_error.size(), 2u) << out.str();
  std::vector<std::string> messages;
  for (const absl::Status& e : report.every_error) {
    messages.push_back(std::string(e.message()));
  }
  std::sort(messages.begin(), messages.end());
  EXPECT_EQ(messages,
            (std::vector<std::string>{"task 3 failed", "task 7 failed"}));
}

TEST(ErrSizedGroup, TermOnErrStopsEverythingAfterTheFirstError) {
  std::ostringstream out;
  const ErrSizedGroupReport report = RunErrSizedGroup(out);
  EXPECT_EQ(report.term_ran, 3) << out.str();  // 1, 2, then 3 fails.
  EXPECT_NE(report.term_wait.message().find("task 3 failed"), std::string::npos)
      << report.term_wait;
  EXPECT_FALSE(report.go_after_error);
}
