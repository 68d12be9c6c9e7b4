// Copyright 2026 The xsync Authors.

#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

struct AllErrorsReport {
  std::vector<absl::Status> errgroup_errors;
  std::vector<absl::StatusOr<int>> gollback_results;
};
AllErrorsReport RunAllErrors(std::ostream& out);

TEST(AllErrors, EveryResultAndError) {
  std::ostringstream out;
  AllErrorsReport report = RunAllErrors(out);
  ASSERT_EQ(report.errgroup_errors.size(), 1u);
  EXPECT_EQ(report.errgroup_errors[0], absl::InternalError("task 2 failed"));
  ASSERT_EQ(report.gollback_results.size(), 3u);
  EXPECT_EQ(*report.gollback_results[0], 10);
  EXPECT_EQ(report.gollback_results[1].status(),
            absl::InternalError("task 2 failed"));
  EXPECT_EQ(*report.gollback_results[2], 30);
  EXPECT_NE(out.str().find("task 3: 30"), std::string::npos);
}
