// Copyright 2026 The xsync Authors.
//
// The vardius/gollback suite re-expressed in GoogleTest, with latches and
// short timeouts instead of sleeps.

#include "xsync/gollback/gollback.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace xsync {
namespace gollback {
namespace {

using IntFn = std::function<absl::StatusOr<int>(const Context&)>;

TEST(RaceSuite, FirstSuccessWinsAndOthersAreCancelled) {
  absl::Notification loser_cancelled;
  std::vector<IntFn> fns = {
      [&](const Context& ctx) -> absl::StatusOr<int> {
        ctx.Wait();
        loser_cancelled.Notify();
        return ctx.Err();
      },
      [](const Context&) -> absl::StatusOr<int> { return 2; },
  };
  absl::StatusOr<int> result = Race(Context::Background(), fns);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, 2);
  EXPECT_TRUE(loser_cancelled.HasBeenNotified());  // Structured: joined.
}

TEST(RaceSuite, FirstSuccessAfterEarlierErrors) {
  absl::Notification errors_done;
  std::atomic<int> failed{0};
  std::vector<IntFn> fns;
  for (int i = 0; i < 3; ++i) {
    fns.push_back([&](const Context&) -> absl::StatusOr<int> {
      if (failed.fetch_add(1) + 1 == 3) errors_done.Notify();
      return absl::InternalError("no");
    });
  }
  fns.push_back([&](const Context&) -> absl::StatusOr<int> {
    errors_done.WaitForNotification();
    return 7;
  });
  absl::StatusOr<int> result = Race(Context::Background(), fns);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 7);
}

// "The last to fail" is the last failure the runner records, which a test
// cannot order without sleeping: the result must be one of the failures, and
// a lone failure is returned exactly.
TEST(RaceSuite, AllFailReturnsAFailureAndNeverASuccess) {
  std::vector<IntFn> fns = {
      [](const Context&) -> absl::StatusOr<int> {
        return absl::NotFoundError("first");
      },
      [](const Context&) -> absl::StatusOr<int> {
        return absl::InternalError("last");
      },
  };
  absl::Status status = Race(Context::Background(), fns).status();
  EXPECT_TRUE(status == absl::NotFoundError("first") ||
              status == absl::InternalError("last"))
      << status;
  std::vector<IntFn> one = {[](const Context&) -> absl::StatusOr<int> {
    return absl::AbortedError("only");
  }};
  EXPECT_EQ(Race(Context::Background(), one).status(),
            absl::AbortedError("only"));
}

TEST(RaceSuite, TimeoutReachesEveryFunction) {
  auto [ctx, cancel] =
      WithTimeout(Context::Background(), absl::Milliseconds(10));
  std::vector<IntFn> fns(3, [](const Context& c) -> absl::StatusOr<int> {
    c.Wait();
    return c.Err();
  });
  absl::StatusOr<int> result = Race(ctx, fns);
  EXPECT_TRUE(absl::IsDeadlineExceeded(result.status()));
}

TEST(RaceSuite, EmptyIsInvalidArgument) {
  absl::StatusOr<int> result =
      Race(Context::Background(), std::vector<IntFn>{});
  EXPECT_TRUE(absl::IsInvalidArgument(result.status()));
  EXPECT_EQ(result.status().message(), "no callback to run");
}

TEST(RaceSuite, DoneContextStartsNothing) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  cancel();
  bool started = false;
  std::vector<IntFn> fns = {[&](const Context&) -> absl::StatusOr<int> {
    started = true;
    return 1;
  }};
  EXPECT_TRUE(absl::IsCancelled(Race(ctx, fns).status()));
  EXPECT_FALSE(started);
}

TEST(AllSuite, ResultsInInputOrderWithErrorsSideBySide) {
  absl::Notification second_done;
  std::vector<IntFn> fns = {
      [&](const Context&) -> absl::StatusOr<int> {
        second_done.WaitForNotification();  // Finishes last.
        return 1;
      },
      [&](const Context&) -> absl::StatusOr<int> {
        second_done.Notify();
        return absl::InternalError("two");
      },
      [](const Context&) -> absl::StatusOr<int> { return 3; },
  };
  std::vector<absl::StatusOr<int>> results = All(Context::Background(), fns);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(*results[0], 1);
  EXPECT_EQ(results[1].status(), absl::InternalError("two"));
  EXPECT_EQ(*results[2], 3);
}

TEST(AllSuite, StatusFunctionsAndEmptyInput) {
  std::vector<std::function<absl::Status()>> fns = {
      [] { return absl::OkStatus(); }, [] { return absl::AbortedError("x"); }};
  std::vector<absl::Status> results = All(Context::Background(), fns);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(absl::IsAborted(results[1]));
  EXPECT_TRUE(All(Context::Background(), std::vector<IntFn>{}).empty());
}

TEST(AllSuite, VariadicMixedTypesGiveATuple) {
  auto [a, b, c] = All(
      Context::Background(), [] { return 42; },
      [](const Context&) { return std::string("hi"); },
      []() -> absl::Status { return absl::NotFoundError("nope"); });
  EXPECT_EQ(*a, 42);
  EXPECT_EQ(*b, "hi");
  EXPECT_TRUE(absl::IsNotFound(c));
}

TEST(RetrySuite, SucceedsWithinTheAttempts) {
  int calls = 0;
  absl::StatusOr<int> result =
      Retry(Context::Background(), 5, [&]() -> absl::StatusOr<int> {
        if (++calls < 3) return absl::UnavailableError("again");
        return calls;
      });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 3);
}

TEST(RetrySuite, FailsWithTheLastErrorAfterAllAttempts) {
  int calls = 0;
  absl::Status result = Retry(Context::Background(), 4, [&] {
    return absl::InternalError(std::to_string(++calls));
  });
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(result, absl::InternalError("4"));
}

// The third attempt outlasts the deadline, so the count does not depend on
// how fast a loaded machine retries (a 20 ms window once fit only one).
TEST(RetrySuite, ZeroRetriesUntilTheContextTimesOut) {
  auto [ctx, cancel] =
      WithTimeout(Context::Background(), absl::Milliseconds(200));
  std::atomic<int> calls{0};
  absl::Status result = Retry(ctx, 0, [&](const Context& attempt_ctx) {
    if (calls.fetch_add(1) + 1 == 3) attempt_ctx.Wait();
    return absl::UnavailableError("down");
  });
  EXPECT_TRUE(absl::IsDeadlineExceeded(result)) << result;
  EXPECT_EQ(calls.load(), 3);
}

TEST(RetrySuite, ContextIsCheckedBeforeEachAttempt) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  int calls = 0;
  absl::Status result = Retry(ctx, 10, [&, cancel = cancel] {
    if (++calls == 2) cancel();
    return absl::UnavailableError("down");
  });
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(absl::IsCancelled(result));
}

TEST(RetryBackoff, SleepWakesOnCancellation) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  RetryOptions options;
  options.initial_backoff = absl::Hours(1);
  int calls = 0;
  absl::Status result = Retry(
      ctx, 3,
      [&, cancel = cancel] {
        ++calls;
        cancel();  // Cancels during the first attempt: the sleep must end.
        return absl::UnavailableError("down");
      },
      options);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(absl::IsCancelled(result));
}

TEST(RetryBackoff, NeverSleepsPastTheDeadline) {
  auto [ctx, cancel] = WithTimeout(Context::Background(), absl::Seconds(30));
  RetryOptions options;
  options.initial_backoff = absl::Hours(1);  // Would end after the deadline.
  const absl::Time start = absl::Now();
  absl::Status result = Retry(
      ctx, 3, [] { return absl::UnavailableError("down"); }, options);
  EXPECT_TRUE(absl::IsDeadlineExceeded(result)) << result;
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));  // Did not wait it out.
}

TEST(RetryBackoff, ExponentialBackoffRetries) {
  RetryOptions options;
  options.initial_backoff = absl::Microseconds(100);
  options.multiplier = 2;
  options.max_backoff = absl::Milliseconds(1);
  options.jitter = 0.5;
  int calls = 0;
  absl::StatusOr<int> result = Retry(
      Context::Background(), 6,
      [&]() -> absl::StatusOr<int> {
        if (++calls < 6) return absl::UnavailableError("again");
        return 6;
      },
      options);
  EXPECT_EQ(*result, 6);
}

}  // namespace
}  // namespace gollback
}  // namespace xsync
