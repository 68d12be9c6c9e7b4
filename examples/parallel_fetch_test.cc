// Copyright 2026 The xsync Authors.

#include "examples/parallel_fetch.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

TEST(ParallelFetch, AllSucceed) {
  std::ostringstream out;
  FetchReport r = RunParallelFetch(out, {{"a", absl::Milliseconds(1), false},
                                         {"b", absl::Milliseconds(2), false}});
  EXPECT_TRUE(r.wait.ok());
  EXPECT_EQ(r.responses.size(), 2u);
}

// "fast" must be done before "broken" fails. A 4 ms margin was not enough
// on a loaded two-core machine (a thread woke too late once and "fast" was
// cancelled too); 300 ms is, and "slow" still shows the cancellation.
TEST(ParallelFetch, FirstFailureCancelsTheSlowCalls) {
  std::ostringstream out;
  FetchReport r =
      RunParallelFetch(out, {{"fast", absl::Milliseconds(1), false},
                             {"broken", absl::Milliseconds(300), true},
                             {"slow", absl::Seconds(60), false}});
  EXPECT_EQ(r.wait, absl::UnavailableError("broken is down"));
  EXPECT_EQ(r.cancelled, std::vector<std::string>{"slow"});
  EXPECT_LT(r.elapsed, absl::Seconds(60));  // Did not wait for "slow".
}
