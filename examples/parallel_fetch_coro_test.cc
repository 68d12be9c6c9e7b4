// Copyright 2026 The xsync Authors.

#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "examples/parallel_fetch.h"
#include "gtest/gtest.h"

TEST(ParallelFetchCoro, AllSucceed) {
  std::ostringstream out;
  FetchReport r =
      RunParallelFetchCoro(out, {{"a", absl::Milliseconds(1), false},
                                 {"b", absl::Milliseconds(2), false}});
  EXPECT_TRUE(r.wait.ok());
  EXPECT_EQ(r.responses.size(), 2u);
}

// As in parallel_fetch_test: a generous margin between "fast" and "broken"
// for a loaded two-core machine; "slow" shows the cancellation.
TEST(ParallelFetchCoro, FirstFailureCancelsTheSlowCalls) {
  std::ostringstream out;
  FetchReport r =
      RunParallelFetchCoro(out, {{"fast", absl::Milliseconds(1), false},
                                 {"broken", absl::Milliseconds(300), true},
                                 {"slow", absl::Seconds(60), false}});
  EXPECT_EQ(r.wait, absl::UnavailableError("broken is down"));
  EXPECT_EQ(r.cancelled, std::vector<std::string>{"slow"});
  EXPECT_LT(r.elapsed, absl::Seconds(60));  // Did not wait for "slow".
}

// Thousands of calls wait at once without a thread each.
TEST(ParallelFetchCoro, ThousandsOfWaitingCallsAllFinish) {
  std::vector<Service> many;
  for (int i = 0; i < 5000; ++i) {
    many.push_back({"s" + std::to_string(i), absl::Milliseconds(i % 7), false});
  }
  std::ostringstream out;
  FetchReport r = RunParallelFetchCoro(out, many);
  EXPECT_TRUE(r.wait.ok());
  EXPECT_EQ(r.responses.size(), 5000u);
}
