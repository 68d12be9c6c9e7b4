// Copyright 2026 The xsync Authors.

#include "xsync/internal/spin_wait.h"

#include "gtest/gtest.h"

namespace xsync {
namespace internal {
namespace {

TEST(SpinWaitTest, PollForReturnsAsSoonAsTheCheckHolds) {
  int checks = 0;
  auto ready = [&checks] { return ++checks == 3; };
  EXPECT_TRUE(SpinWait(2, 1, 2, 2).PollFor(ready));
  EXPECT_EQ(checks, 3);
}

TEST(SpinWaitTest, GivesUpAfterItsPausesAndYieldsOrBusyPauses) {
  int checks = 0;
  auto never = [&checks] {
    ++checks;
    return false;
  };
  EXPECT_FALSE(SpinWait(3, 1, 4, 5).PollFor(never));
  // The first check, three after a pause each, then four after a yield each
  // (or five after a pause each if the cores are busy), then the last one.
  EXPECT_GE(checks, 1 + 3 + 4 + 1);
  EXPECT_LE(checks, 1 + 3 + 5 + 1);
}

TEST(SpinWaitTest, NoSpinningAtAllStopsAtOnce) {
  SpinWait spin(0, 0, 0, 0);
  EXPECT_FALSE(spin.Next());
}

}  // namespace
}  // namespace internal
}  // namespace xsync
