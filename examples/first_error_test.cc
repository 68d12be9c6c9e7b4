// Copyright 2026 The xsync Authors.

#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

absl::Status RunFirstError(std::ostream& out, absl::Duration unit);

// The lesson's point: Wait returns task 2's error, and only after task 3
// (the slowest) has run.
TEST(FirstError, WaitReturnsTheSecondTasksErrorAfterAllFinish) {
  std::ostringstream out;
  absl::Status status = RunFirstError(out, absl::Milliseconds(100));
  EXPECT_EQ(status, absl::UnknownError("failed to exec #2"));
  const std::string text = out.str();
  const size_t one = text.find("exec #1");
  const size_t two = text.find("exec #2");
  const size_t three = text.find("exec #3");
  const size_t failed = text.find("failed: failed to exec #2");
  ASSERT_NE(one, std::string::npos) << text;
  ASSERT_NE(two, std::string::npos) << text;
  ASSERT_NE(three, std::string::npos) << text;
  ASSERT_NE(failed, std::string::npos) << text;
  EXPECT_LT(three, failed) << text;  // Wait waited for task 3.
  EXPECT_LT(one, two) << text;       // 100 ms apart.
  EXPECT_LT(two, three) << text;
}
