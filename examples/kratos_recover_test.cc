// Copyright 2026 The xsync Authors.

#include <sstream>
#include <string>
#include <vector>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "gtest/gtest.h"

struct KratosRecoverReport {
  std::string rethrown;
  absl::Status sibling;
  absl::Status cause;
  std::vector<absl::Status> errors;
};
KratosRecoverReport RunKratosRecover(std::ostream& out);

TEST(KratosRecover, AThrowIsAFailureThatCancelsAndIsRethrown) {
#ifndef ABSL_HAVE_EXCEPTIONS
  GTEST_SKIP() << "built without exceptions";
#endif
  std::ostringstream out;
  const KratosRecoverReport report = RunKratosRecover(out);
  EXPECT_EQ(report.rethrown, "index out of range");
  EXPECT_TRUE(absl::IsCancelled(report.sibling)) << report.sibling;
  EXPECT_TRUE(absl::IsUnknown(report.cause)) << report.cause;
  EXPECT_NE(report.cause.message().find("index out of range"),
            std::string::npos)
      << report.cause;
  // The sibling's cancellation is a failure too: it returned ctx.Err().
  ASSERT_GE(report.errors.size(), 1u);
  EXPECT_TRUE(absl::IsUnknown(report.errors[0])) << report.errors[0];
}
