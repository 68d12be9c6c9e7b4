// Copyright 2026 The xsync Authors.

#include <sstream>

#include "absl/status/status.h"
#include "gtest/gtest.h"

absl::Status RunFirstError(std::ostream& out);

TEST(FirstError, WaitReturnsTheSecondTasksErrorAfterAllFinish) {
  std::ostringstream out;
  absl::Status status = RunFirstError(out);
  EXPECT_EQ(status, absl::InternalError("task 2 failed"));
  const std::string text = out.str();
  EXPECT_NE(text.find("task 1 done"), std::string::npos);
  EXPECT_NE(text.find("task 3 done"), std::string::npos);
  EXPECT_NE(text.find("Wait: INTERNAL: task 2 failed"), std::string::npos);
}
