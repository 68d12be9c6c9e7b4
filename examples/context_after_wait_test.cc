// Copyright 2026 The xsync Authors.

#include <sstream>

#include "absl/status/status.h"
#include "gtest/gtest.h"

struct ContextAfterWaitReport {
  absl::Status follow_up_with_group_ctx;
  absl::Status follow_up_with_parent;
  bool oblivious_task_finished = false;
  absl::Status checking_task;
};
ContextAfterWaitReport RunContextAfterWait(std::ostream& out);

TEST(ContextAfterWait, TheGroupsContextIsDeadAfterWait) {
  std::ostringstream out;
  const ContextAfterWaitReport report = RunContextAfterWait(out);
  EXPECT_TRUE(absl::IsCancelled(report.follow_up_with_group_ctx))
      << report.follow_up_with_group_ctx;
  EXPECT_TRUE(report.follow_up_with_parent.ok());
}

TEST(ContextAfterWait, CancellingTheParentStopsOnlyTasksThatCheck) {
  std::ostringstream out;
  const ContextAfterWaitReport report = RunContextAfterWait(out);
  EXPECT_TRUE(report.oblivious_task_finished);
  EXPECT_TRUE(absl::IsCancelled(report.checking_task)) << report.checking_task;
}
