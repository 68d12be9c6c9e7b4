// Copyright 2026 The xsync Authors.

#include <sstream>

#include "absl/status/status.h"
#include "errgroup/errors.h"
#include "gtest/gtest.h"

absl::Status RunWaitGroupErrors(std::ostream& out, int failures);

TEST(WaitGroupErrors, NoneOneAndSeveral) {
  std::ostringstream out;
  EXPECT_TRUE(RunWaitGroupErrors(out, 0).ok());
  EXPECT_EQ(RunWaitGroupErrors(out, 1), absl::UnavailableError("fetch 0"));
  absl::Status two = RunWaitGroupErrors(out, 2);
  EXPECT_TRUE(absl::IsUnavailable(two));
  EXPECT_EQ(xsync::errgroup::SplitErrors(two).size(), 2u);
  EXPECT_NE(std::string(two.message()).find("2 error(s) occurred"),
            std::string::npos);
}
