// Copyright 2026 The xsync Authors.
//
// //testing:tsan_suppressions is all a user's test needs: linking it installs
// the suppression hook TSAN reads at start-up.

#include <cstring>

#include "absl/base/config.h"
#include "gtest/gtest.h"

#ifdef ABSL_HAVE_THREAD_SANITIZER
extern "C" const char* __tsan_default_suppressions();
#endif

namespace {

TEST(TsanSuppressions, LinkingTheTargetInstallsTheRule) {
#ifdef ABSL_HAVE_THREAD_SANITIZER
  EXPECT_NE(std::strstr(__tsan_default_suppressions(), "Waiter::Post"),
            nullptr);
#else
  GTEST_SKIP() << "only under --config=tsan";
#endif
}

}  // namespace
