// Copyright 2026 The xsync Authors.

#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

struct AllErrorsReport {
  std::vector<absl::Status> slice_results;
  std::vector<absl::Status> errgroup_errors;
  std::vector<absl::StatusOr<int>> gollback_results;
};
AllErrorsReport RunAllErrors(std::ostream& out, absl::Duration unit);

TEST(AllErrors, EveryResultAndError) {
  std::ostringstream out;
  AllErrorsReport report = RunAllErrors(out, absl::Milliseconds(10));
  // The lesson's slice: all three results, task 2's error in its slot.
  ASSERT_EQ(report.slice_results.size(), 3u);
  EXPECT_TRUE(report.slice_results[0].ok());
  EXPECT_EQ(report.slice_results[1], absl::UnknownError("failed to exec #2"));
  EXPECT_TRUE(report.slice_results[2].ok());
  EXPECT_NE(out.str().find("failed: [ OK UNKNOWN: failed to exec #2 OK ]"),
            std::string::npos)
      << out.str();
  ASSERT_EQ(report.errgroup_errors.size(), 1u);
  EXPECT_EQ(report.errgroup_errors[0], absl::InternalError("task 2 failed"));
  ASSERT_EQ(report.gollback_results.size(), 3u);
  EXPECT_EQ(*report.gollback_results[0], 10);
  EXPECT_EQ(report.gollback_results[1].status(),
            absl::InternalError("task 2 failed"));
  EXPECT_EQ(*report.gollback_results[2], 30);
  EXPECT_NE(out.str().find("task 3: 30"), std::string::npos);
}
