// Copyright 2026 The xsync Authors.
//
// "The context was done before anything started": every group against its Go
// original, in one place. Each test names what the original does; where xsync
// differs on purpose, the header of the API concerned says so.
//
// Covered elsewhere, with the same question: SizedGroup and ErrSizedGroup
// (sizedgroup_test: CanceledGroupContextRunsNothing,
// DoneGroupContextRecordsItsErrorOnce), Semaphore (semaphore_test:
// DoneContextWinsEvenWithFreeTokens), gollback Race (gollback_test:
// DoneContextStartsNothing), hunch Waterfall (hunch_test: EmptyAndCancelled).

#include <atomic>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errgroup.h"
#include "xsync/gollback/gollback.h"
#include "xsync/hunch/hunch.h"
#include "xsync/schedgroup/schedgroup.h"

namespace xsync {
namespace {

using IntFn = std::function<absl::StatusOr<int>(const Context&)>;

Context CancelledContext() {
  auto [ctx, cancel] = WithCancel(Context::Background());
  cancel();
  return ctx;
}

// x/sync errgroup never looks at the parent: WithContext of a cancelled
// parent still runs every task (with a done context) and Wait returns the
// tasks' result.
TEST(DoneBeforeStart, ErrgroupRunsEveryTaskWithADoneContext) {
  errgroup::Group g(CancelledContext());
  std::atomic<int> saw_done{0};
  for (int i = 0; i < 10; ++i) {
    g.Go([&](const Context& ctx) {
      if (absl::IsCancelled(ctx.Err())) saw_done.fetch_add(1);
      return absl::OkStatus();
    });
  }
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(saw_done.load(), 10);
}

// mdlayher/schedgroup: Wait checks the context first and returns its error;
// nothing scheduled runs. (xsync's Delay also says so at once.)
TEST(DoneBeforeStart, SchedgroupWaitReturnsTheContextsError) {
  schedgroup::Group g(CancelledContext());
  bool ran = false;
  EXPECT_TRUE(
      absl::IsCancelled(g.Delay(absl::ZeroDuration(), [&] { ran = true; })));
  EXPECT_TRUE(absl::IsCancelled(g.Wait()));
  EXPECT_FALSE(ran);
}

// The same with nothing ever scheduled: Go still returns ctx.Err().
TEST(DoneBeforeStart, EmptySchedgroupWaitReturnsTheContextsError) {
  schedgroup::Group g(CancelledContext());
  EXPECT_TRUE(absl::IsCancelled(g.Wait()));
}

// gollback All runs every function with the context it is given and never
// fails fast (DESIGN: "runs all"): each sees the done context and its own
// result comes back.
TEST(DoneBeforeStart, GollbackAllRunsEveryFunctionWithADoneContext) {
  std::vector<IntFn> fns(5, [](const Context& ctx) -> absl::StatusOr<int> {
    if (ctx.Done()) return ctx.Err();
    return 1;
  });
  std::vector<absl::StatusOr<int>> results =
      gollback::All(CancelledContext(), fns);
  ASSERT_EQ(results.size(), 5u);
  for (const auto& result : results) {
    EXPECT_TRUE(absl::IsCancelled(result.status()));
  }
}

// gollback Retry checks the context before each attempt: no attempt.
TEST(DoneBeforeStart, GollbackRetryMakesNoAttempt) {
  int attempts = 0;
  absl::StatusOr<int> result = gollback::Retry(
      CancelledContext(), 3, [&](const Context&) -> absl::StatusOr<int> {
        ++attempts;
        return 1;
      });
  EXPECT_TRUE(absl::IsCancelled(result.status()));
  EXPECT_EQ(attempts, 0);
}

// Hunch All, Take and Last select on the parent's Done: its error, and xsync
// starts nothing.
TEST(DoneBeforeStart, HunchCollectorsReturnTheParentsError) {
  std::atomic<int> ran{0};
  std::vector<IntFn> fns(3, [&](const Context&) -> absl::StatusOr<int> {
    ran.fetch_add(1);
    return 1;
  });
  const Context done = CancelledContext();
  EXPECT_TRUE(absl::IsCancelled(hunch::All(done, fns).status()));
  EXPECT_TRUE(absl::IsCancelled(hunch::Take(done, 2, fns).status()));
  EXPECT_TRUE(absl::IsCancelled(hunch::Last(done, 2, fns).status()));
  EXPECT_EQ(ran.load(), 0);
}

// Hunch Retry returns ctx.Err() once the context is done; xsync checks before
// the first attempt, so none runs.
TEST(DoneBeforeStart, HunchRetryMakesNoAttempt) {
  int attempts = 0;
  absl::StatusOr<int> result = hunch::Retry(
      CancelledContext(), 0, [&](const Context&) -> absl::StatusOr<int> {
        ++attempts;
        return 1;
      });
  EXPECT_TRUE(absl::IsCancelled(result.status()));
  EXPECT_EQ(attempts, 0);
}

}  // namespace
}  // namespace xsync
