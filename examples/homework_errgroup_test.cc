// Copyright 2026 The xsync Authors.

#include <sstream>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

struct HomeworkReport {
  absl::Duration answer_cancel_took;
  absl::Status answer_first_error;
  absl::Status library_first_error;
  absl::Duration library_took;
};
HomeworkReport RunHomework(std::ostream& out);

// The subtasks would take a minute each: returning in far less proves they
// were cancelled (the bound is generous for a loaded machine).
TEST(Homework, CancelStopsRunningSubtasks) {
  std::ostringstream out;
  const HomeworkReport report = RunHomework(out);
  EXPECT_LT(report.answer_cancel_took, absl::Seconds(20)) << out.str();
}

TEST(Homework, TheFirstErrorCancelsTheRestInTheAnswerAndTheLibrary) {
  std::ostringstream out;
  const HomeworkReport report = RunHomework(out);
  EXPECT_EQ(report.answer_first_error, absl::InternalError("subtask 2 failed"));
  EXPECT_EQ(report.library_first_error,
            absl::InternalError("subtask 2 failed"));
  EXPECT_LT(report.library_took, absl::Seconds(20)) << out.str();
}
