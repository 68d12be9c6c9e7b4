// Copyright 2026 The xsync Authors.
//
// coro/: Task (laziness, results, exceptions, symmetric transfer),
// SyncWait, and the awaitables Sleep, SleepUntil and WhenDone.

#include "xsync/coro/coro.h"

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "xsync/context/context.h"

namespace xsync {
namespace {

Task<int> Answer() { co_return 42; }

Task<int> Plus(int a, int b) {
  const int x = co_await Answer();
  co_return x + a + b - 42;
}

TEST(TaskTest, IsLazyAndReturnsItsValue) {
  bool started = false;
  auto make = [&]() -> Task<std::string> {
    started = true;
    co_return "done";
  };
  Task<std::string> task = make();
  EXPECT_FALSE(started);
  EXPECT_EQ(SyncWait(std::move(task)), "done");
  EXPECT_TRUE(started);
  EXPECT_EQ(SyncWait(Plus(2, 3)), 5);
}

TEST(TaskTest, DestroyingAnUnstartedTaskRunsNothing) {
  bool started = false;
  {
    auto make = [&]() -> Task<void> {
      started = true;
      co_return;
    };
    Task<void> task = make();
    EXPECT_TRUE(task.valid());
  }
  EXPECT_FALSE(started);
}

TEST(TaskTest, StatusAndStatusOrResults) {
  auto fail = []() -> Task<absl::Status> {
    co_return absl::NotFoundError("nope");
  };
  EXPECT_EQ(SyncWait(fail()), absl::NotFoundError("nope"));
  auto value = []() -> Task<absl::StatusOr<int>> { co_return 7; };
  EXPECT_EQ(*SyncWait(value()), 7);
}

#ifdef ABSL_HAVE_EXCEPTIONS
Task<int> Throws() {
  throw std::runtime_error("boom");
  co_return 0;
}

Task<int> CatchesChild() {
  try {
    co_return co_await Throws();
  } catch (const std::runtime_error& e) {
    co_return static_cast<int>(std::string(e.what()).size());
  }
}

TEST(TaskTest, ExceptionsPropagateThroughCoAwait) {
  EXPECT_EQ(SyncWait(CatchesChild()), 4);
  EXPECT_THROW(SyncWait(Throws()), std::runtime_error);
}
#endif

Task<int> One() { co_return 1; }

Task<long> SumOfMany(int n) {
  long sum = 0;
  for (int i = 0; i < n; ++i) sum += co_await One();
  co_return sum;
}

// Every child completes at once: symmetric transfer must not grow the
// stack (a million transfers would overflow it otherwise).
TEST(TaskTest, LongChainsOfSynchronousAwaitsDoNotGrowTheStack) {
  EXPECT_EQ(SyncWait(SumOfMany(1000000)), 1000000);
}

TEST(SleepTest, ResumesWithOkAfterTheDuration) {
  const absl::Time start = absl::Now();
  auto sleeper = [](Context ctx) -> Task<absl::Status> {
    co_return co_await Sleep(ctx, absl::Milliseconds(20));
  };
  EXPECT_TRUE(SyncWait(sleeper(Context::Background())).ok());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(19));
}

TEST(SleepTest, PastTimesAndDoneContextsResumeAtOnce) {
  auto cancelled = WithCancel(Context::Background());
  cancelled.cancel();
  auto sleeper = [](Context ctx, absl::Duration d) -> Task<absl::Status> {
    co_return co_await Sleep(ctx, d);
  };
  EXPECT_TRUE(
      SyncWait(sleeper(Context::Background(), absl::ZeroDuration())).ok());
  EXPECT_TRUE(
      absl::IsCancelled(SyncWait(sleeper(cancelled.ctx, absl::Hours(1)))));
  auto until = [](Context ctx) -> Task<absl::Status> {
    co_return co_await SleepUntil(ctx, absl::InfinitePast());
  };
  EXPECT_TRUE(SyncWait(until(Context::Background())).ok());
}

// A cancel wakes a sleeper long before its timer; the timer's entry goes.
TEST(SleepTest, CancellationEndsTheSleepWithTheContextsError) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  std::atomic<bool> suspended{false};
  std::thread canceller([&, cancel = cancel] {
    while (!suspended.load()) std::this_thread::yield();
    cancel();
  });
  auto sleeper = [&](Context c) -> Task<absl::Status> {
    suspended.store(true);
    co_return co_await Sleep(c, absl::Hours(1));
  };
  EXPECT_TRUE(absl::IsCancelled(SyncWait(sleeper(ctx))));
  canceller.join();
}

TEST(SleepTest, DeadlineContextsEndSleepsWithDeadlineExceeded) {
  auto [ctx, cancel] =
      WithTimeout(Context::Background(), absl::Milliseconds(5));
  auto sleeper = [](Context c) -> Task<absl::Status> {
    co_return co_await Sleep(c, absl::Hours(1));
  };
  EXPECT_TRUE(absl::IsDeadlineExceeded(SyncWait(sleeper(ctx))));
}

TEST(WhenDoneTest, ResumesOnceTheContextIsDone) {
  auto [ctx, cancel] = WithCancelCause(Context::Background());
  std::atomic<bool> suspended{false};
  std::thread canceller([&, cancel = cancel] {
    while (!suspended.load()) std::this_thread::yield();
    cancel(absl::AbortedError("stop"));
  });
  auto waiter = [&](Context c) -> Task<absl::Status> {
    suspended.store(true);
    co_return co_await WhenDone(c);
  };
  EXPECT_TRUE(absl::IsCancelled(SyncWait(waiter(ctx))));
  EXPECT_EQ(ctx.Cause(), absl::AbortedError("stop"));
  canceller.join();
}

// Many waiters on one context all resume exactly once, none inside cancel.
TEST(WhenDoneTest, ACancelResumesEveryWaiterExactlyOnceOffTheCancellingThread) {
  constexpr int kWaiters = 2000;
  auto [ctx, cancel] = WithCancel(Context::Background());
  std::atomic<int> resumed{0};
  std::atomic<int> on_cancelling_thread{0};
  std::atomic<int> ended{0};
  const std::thread::id main_thread = std::this_thread::get_id();
  auto waiter = [&](Context c) -> Task<void> {
    co_await WhenDone(c);
    resumed.fetch_add(1);
    if (std::this_thread::get_id() == main_thread) on_cancelling_thread++;
  };
  for (int i = 0; i < kWaiters; ++i) {
    internal::Drive(waiter(ctx), [&](internal::Finished<void>) { ended++; });
  }
  EXPECT_EQ(resumed.load(), 0);
  cancel();
  while (ended.load() < kWaiters) std::this_thread::yield();
  EXPECT_EQ(resumed.load(), kWaiters);
  EXPECT_EQ(on_cancelling_thread.load(), 0);
}

// Timers and cancels racing on many sleepers: each resumes exactly once.
TEST(SleepTest, TimerAndCancelRacingResumeEachSleeperOnce) {
  constexpr int kSleepers = 500;
  for (int round = 0; round < 5; ++round) {
    auto [ctx, cancel] = WithCancel(Context::Background());
    std::atomic<int> ended{0};
    std::atomic<int> ok{0};
    auto sleeper = [&](Context c, int i) -> Task<void> {
      absl::Status s = co_await Sleep(c, absl::Microseconds(i % 400));
      if (s.ok()) ok++;
    };
    for (int i = 0; i < kSleepers; ++i) {
      internal::Drive(sleeper(ctx, i),
                      [&](internal::Finished<void>) { ended++; });
    }
    cancel();
    while (ended.load() < kSleepers) std::this_thread::yield();
    EXPECT_LE(ok.load(), kSleepers);
  }
}

}  // namespace
}  // namespace xsync
