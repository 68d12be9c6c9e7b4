// Copyright 2026 The xsync Authors.
//
// The aaronjan/hunch suite re-expressed in GoogleTest, plus the degenerate
// inputs the Go version hangs or crashes on.

#include "xsync/hunch/hunch.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace xsync {
namespace hunch {
namespace {

using IntFn = std::function<absl::StatusOr<int>(const Context&)>;

// Functions that complete in a chosen order: function i waits for its turn.
class Turns {
 public:
  explicit Turns(int n) : done_(n) {}
  // Makes function `i` finish after the functions listed before it in
  // `order` (indices of functions).
  void Await(int position) {
    if (position > 0) done_[position - 1].WaitForNotification();
  }
  void Done(int position) { done_[position].Notify(); }

 private:
  std::vector<absl::Notification> done_;
};

std::vector<IntFn> InOrder(Turns& turns, const std::vector<int>& order) {
  // order[k] = the value of the function finishing k-th; functions are
  // listed by value 1..n.
  std::vector<IntFn> fns(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const int value = order[k];
    fns[value - 1] = [&turns, k, value](const Context&) -> absl::StatusOr<int> {
      turns.Await(static_cast<int>(k));
      turns.Done(static_cast<int>(k));
      return value;
    };
  }
  return fns;
}

// Completion order is what the runner sees, which a test cannot steer
// without sleeping; what is deterministic: the two functions that can finish
// are taken, the one that can only finish after cancellation is not.
TEST(TakeSuite, TakesTheFirstFinishersAndCancelsTheRest) {
  absl::Notification blocked_cancelled;
  std::vector<IntFn> fns = {
      [](const Context&) -> absl::StatusOr<int> { return 3; },
      [&](const Context& ctx) -> absl::StatusOr<int> {
        ctx.Wait();
        blocked_cancelled.Notify();
        return 2;
      },
      [](const Context&) -> absl::StatusOr<int> { return 1; }};
  auto result = Take(Context::Background(), 2, fns);
  ASSERT_TRUE(result.ok()) << result.status();
  std::vector<int> taken = *result;
  std::sort(taken.begin(), taken.end());
  EXPECT_EQ(taken, (std::vector<int>{1, 3}));
  EXPECT_TRUE(blocked_cancelled.HasBeenNotified());
}

// The winner finishes only once the loser has started, so the loser is
// running when the outcome is known: it sees the cancellation and is joined.
TEST(TakeSuite, CancelsTheRestOnceEnough) {
  absl::Notification loser_started;
  absl::Notification cancelled;
  std::vector<IntFn> fns = {[&](const Context&) -> absl::StatusOr<int> {
                              loser_started.WaitForNotification();
                              return 1;
                            },
                            [&](const Context& ctx) -> absl::StatusOr<int> {
                              loser_started.Notify();
                              ctx.Wait();
                              cancelled.Notify();
                              return ctx.Err();
                            }};
  auto result = Take(Context::Background(), 1, fns);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, std::vector<int>{1});
  EXPECT_TRUE(cancelled.HasBeenNotified());
}

TEST(TakeSuite, ErrorBeforeEnoughFailsAndCancels) {
  absl::Notification other_started;
  absl::Notification cancelled;
  std::vector<IntFn> fns = {[&](const Context&) -> absl::StatusOr<int> {
                              other_started.WaitForNotification();
                              return absl::InternalError("boom");
                            },
                            [&](const Context& ctx) -> absl::StatusOr<int> {
                              other_started.Notify();
                              ctx.Wait();
                              cancelled.Notify();
                              return 2;
                            }};
  auto result = Take(Context::Background(), 2, fns);
  EXPECT_EQ(result.status(), absl::InternalError("boom"));
  EXPECT_TRUE(cancelled.HasBeenNotified());
}

TEST(TakeSuite, RootCancelReturnsTheParentsError) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  std::vector<IntFn> fns(3, [](const Context& c) -> absl::StatusOr<int> {
    c.Wait();
    return absl::InternalError("saw cancel");
  });
  std::thread canceller([cancel = cancel] { cancel(); });
  auto result = Take(ctx, 2, fns);
  canceller.join();
  EXPECT_TRUE(absl::IsCancelled(result.status())) << result.status();
}

TEST(TakeSuite, DegenerateInputs) {
  std::vector<IntFn> one = {
      [](const Context&) -> absl::StatusOr<int> { return 1; }};
  EXPECT_TRUE(
      absl::IsInvalidArgument(Take(Context::Background(), 0, one).status()));
  EXPECT_TRUE(
      absl::IsInvalidArgument(Take(Context::Background(), -1, one).status()));
  auto clamped = Take(Context::Background(), 5, one);
  ASSERT_TRUE(clamped.ok());
  EXPECT_EQ(*clamped, std::vector<int>{1});
  auto empty = Take(Context::Background(), 3, std::vector<IntFn>{});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(AllSuite, InputOrderDespiteOutOfOrderCompletion) {
  Turns turns(4);
  auto result = All(Context::Background(), InOrder(turns, {4, 2, 3, 1}));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, (std::vector<int>{1, 2, 3, 4}));
}

TEST(AllSuite, FirstErrorCancelsTheRest) {
  absl::Notification cancelled;
  std::vector<IntFn> fns = {[&](const Context& ctx) -> absl::StatusOr<int> {
                              ctx.Wait();
                              cancelled.Notify();
                              return 1;
                            },
                            [](const Context&) -> absl::StatusOr<int> {
                              return absl::DataLossError("bad");
                            }};
  auto result = All(Context::Background(), fns);
  EXPECT_EQ(result.status(), absl::DataLossError("bad"));
  EXPECT_TRUE(cancelled.HasBeenNotified());
}

TEST(AllSuite, EmptyIsOkAndEmpty) {
  auto result = All(Context::Background(), std::vector<IntFn>{});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->empty());
}

TEST(AllSuite, PlainValueFunctions) {
  std::vector<std::function<std::string()>> fns = {
      [] { return std::string("a"); }, [] { return std::string("b"); }};
  auto result = All(Context::Background(), fns);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, (std::vector<std::string>{"a", "b"}));
}

TEST(LastSuite, KeepsTheLastNumOfAllSuccesses) {
  std::vector<IntFn> fns;
  for (int v = 1; v <= 4; ++v) {
    fns.push_back([v](const Context&) -> absl::StatusOr<int> { return v; });
  }
  auto two = Last(Context::Background(), 2, fns);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_NE((*two)[0], (*two)[1]);
  auto all = Last(Context::Background(), 10, fns);  // Clamped: every value.
  ASSERT_TRUE(all.ok());
  std::vector<int> sorted = *all;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int>{1, 2, 3, 4}));
}

TEST(LastSuite, EveryFunctionMustSucceedAndDegenerateNum) {
  std::vector<IntFn> fns = {
      [](const Context&) -> absl::StatusOr<int> { return 1; },
      [](const Context&) -> absl::StatusOr<int> {
        return absl::InternalError("x");
      }};
  EXPECT_FALSE(Last(Context::Background(), 1, fns).ok());
  EXPECT_TRUE(
      absl::IsInvalidArgument(Last(Context::Background(), -1, fns).status()));
  EXPECT_TRUE(
      absl::IsInvalidArgument(Last(Context::Background(), 0, fns).status()));
}

TEST(WaterfallSuite, TypedChain) {
  auto result = Waterfall(
      Context::Background(), [](const Context&) { return 2; },
      [](const Context&, int x) { return x * 21; },
      [](const Context&, int x) -> absl::StatusOr<std::string> {
        return std::to_string(x);
      });
  static_assert(std::is_same_v<decltype(result), absl::StatusOr<std::string>>);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, "42");
}

TEST(WaterfallSuite, FirstErrorStopsTheChain) {
  bool third_ran = false;
  auto result = Waterfall(
      Context::Background(), [] { return 1; },
      [](const Context&, int) -> absl::StatusOr<int> {
        return absl::NotFoundError("missing");
      },
      [&](const Context&, int x) {
        third_ran = true;
        return x;
      });
  EXPECT_EQ(result.status(), absl::NotFoundError("missing"));
  EXPECT_FALSE(third_ran);
}

TEST(WaterfallSuite, EmptyAndCancelled) {
  EXPECT_TRUE(absl::IsInvalidArgument(Waterfall(Context::Background())));
  auto [ctx, cancel] = WithCancel(Context::Background());
  auto result = Waterfall(
      ctx,
      [cancel = cancel] {
        cancel();
        return 1;
      },
      [](const Context&, int x) { return x + 1; });
  EXPECT_TRUE(absl::IsCancelled(result.status()));
}

TEST(RetrySuite, SuccessFirstTime) {
  auto result = Retry(Context::Background(), 3, [] { return 5; });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 5);
}

TEST(RetrySuite, SuccessAfterFailures) {
  int calls = 0;
  auto result = Retry(Context::Background(), 5, [&]() -> absl::StatusOr<int> {
    if (++calls < 4) return absl::UnavailableError("try again");
    return calls;
  });
  EXPECT_EQ(*result, 4);
}

TEST(RetrySuite, ExhaustedKeepsTheLastCodeAndSaysSo) {
  int calls = 0;
  auto result = Retry(Context::Background(), 3, [&]() -> absl::StatusOr<int> {
    return absl::UnavailableError("down " + std::to_string(++calls));
  });
  EXPECT_TRUE(absl::IsUnavailable(result.status()));
  EXPECT_EQ(result.status().message(),
            "max retries exceeded (3 times): down 3");
}

TEST(RetrySuite, ZeroKeepsRetryingUntilRootCanceled) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  std::atomic<int> calls{0};
  auto result = Retry(ctx, 0, [&, cancel = cancel]() -> absl::StatusOr<int> {
    if (calls.fetch_add(1) + 1 == 100) cancel();
    return absl::UnavailableError("down");
  });
  EXPECT_EQ(calls.load(), 100);
  EXPECT_TRUE(absl::IsCancelled(result.status()));
}

TEST(RetrySuite, NegativeRetriesIsInvalidArgument) {
  bool ran = false;
  auto result = Retry(Context::Background(), -1, [&] {
    ran = true;
    return 1;
  });
  EXPECT_TRUE(absl::IsInvalidArgument(result.status()));
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace hunch
}  // namespace xsync
