// Copyright 2026 The xsync Authors.
//
// Coroutine tasks in every group: they hold their slot while suspended (no
// thread), Wait waits for them, failures and exceptions count as for plain
// tasks, the callable lives until the task ends, and a group destroyed with
// suspended tasks cancels them and waits.

#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "xsync/context/context.h"
#include "xsync/coro/coro.h"
#include "xsync/errgroup/errgroup.h"
#include "xsync/gollback/gollback.h"
#include "xsync/hunch/hunch.h"
#include "xsync/schedgroup/schedgroup.h"
#include "xsync/sizedgroup/semaphore.h"
#include "xsync/sizedgroup/sizedgroup.h"

namespace xsync {
namespace {

// Tracks how many tasks are between start and end at once.
struct Concurrency {
  std::atomic<int> now{0};
  std::atomic<int> most{0};
  void Enter() {
    const int n = now.fetch_add(1) + 1;
    for (int m = most.load(); n > m && !most.compare_exchange_weak(m, n);) {
    }
  }
  void Leave() { now.fetch_sub(1); }
};

TEST(CoroErrgroupTest, SuspendedTasksHoldTheirSlots) {
  Concurrency c;
  std::atomic<int> done{0};
  errgroup::Group g;
  ASSERT_TRUE(g.SetLimit(2).ok());
  for (int i = 0; i < 12; ++i) {
    g.Go([&](const Context& ctx) -> Task<void> {
      c.Enter();
      co_await Sleep(ctx, absl::Milliseconds(2));
      c.Leave();
      done++;
    });
  }
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(done.load(), 12);
  EXPECT_EQ(c.most.load(), 2);
}

TEST(CoroErrgroupTest, WaitWaitsForSuspendedTasks) {
  errgroup::Group g;
  std::atomic<bool> ended{false};
  g.Go([&](const Context& ctx) -> Task<absl::Status> {
    co_await Sleep(ctx, absl::Milliseconds(20));
    ended = true;
    co_return absl::OkStatus();
  });
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_TRUE(ended.load());
}

// The lesson's fail-fast fan-out: thousands of tasks parked on the group
// context, one failure wakes them all, and no thread is held meanwhile.
TEST(CoroErrgroupTest, FailFastFanOutWakesEveryParkedTask) {
  constexpr int kTasks = 5000;
  std::atomic<int> woke{0};
  errgroup::Group g(Context::Background());
  for (int i = 0; i < kTasks; ++i) {
    if (i == kTasks / 2) {
      g.Go([]() -> Task<absl::Status> {
        co_return absl::AbortedError("fail fast");
      });
    } else {
      g.Go([&](const Context& ctx) -> Task<void> {
        co_await WhenDone(ctx);
        woke++;
      });
    }
  }
  EXPECT_EQ(g.Wait(), absl::AbortedError("fail fast"));
  EXPECT_EQ(woke.load(), kTasks - 1);
}

TEST(CoroErrgroupTest, ErrorsAreRecordedInCompletionOrder) {
  errgroup::Group g(Context::Background());
  g.Go([](const Context& ctx) -> Task<absl::Status> {
    co_await Sleep(ctx, absl::Milliseconds(1));
    co_return absl::InternalError("first");
  });
  EXPECT_EQ(g.Wait(), absl::InternalError("first"));
  EXPECT_EQ(g.Errors().size(), 1u);
}

#ifdef ABSL_HAVE_EXCEPTIONS
TEST(CoroErrgroupTest, AThrowingCoroutineIsAFailureAndWaitRethrows) {
  errgroup::Group g(Context::Background());
  g.Go([](const Context& ctx) -> Task<void> {
    co_await Sleep(ctx, absl::Milliseconds(1));
    throw std::runtime_error("coroutine boom");
  });
  EXPECT_THROW((void)g.Wait(), std::runtime_error);
  ASSERT_EQ(g.Errors().size(), 1u);
  EXPECT_TRUE(absl::IsUnknown(g.Errors()[0]));
}
#endif

// A lambda coroutine's captures live in the lambda: the group keeps it
// alive until the task ends, and destroys it before Wait returns.
TEST(CoroErrgroupTest, TheCallableLivesUntilTheTaskEnds) {
  auto sentinel = std::make_shared<int>(7);
  std::atomic<int> seen{0};
  {
    errgroup::Group g;
    for (int i = 0; i < 8; ++i) {
      g.Go([sentinel, &seen, i](const Context& ctx) -> Task<void> {
        co_await Sleep(ctx, absl::Milliseconds(1 + i));
        seen += *sentinel;  // After the suspension: the capture is alive.
      });
    }
    EXPECT_TRUE(g.Wait().ok());
    EXPECT_EQ(sentinel.use_count(), 1);
  }
  EXPECT_EQ(seen.load(), 56);
}

TEST(CoroErrgroupTest, DestroyingTheGroupCancelsAndWaitsForSuspendedTasks) {
  std::atomic<int> ended{0};
  {
    errgroup::Group g(Context::Background());
    for (int i = 0; i < 100; ++i) {
      g.Go([&](const Context& ctx) -> Task<absl::Status> {
        absl::Status s = co_await Sleep(ctx, absl::Hours(1));
        ended++;
        co_return s;
      });
    }
  }  // No Wait: the destructor cancels the context, then waits.
  EXPECT_EQ(ended.load(), 100);
}

TEST(CoroErrgroupTest, TryGoCountsSuspendedTasks) {
  errgroup::Group g;
  ASSERT_TRUE(g.SetLimit(1).ok());
  auto [ctx, cancel] = WithCancel(Context::Background());
  g.Go([ctx = ctx]() -> Task<void> { co_await WhenDone(ctx); });
  EXPECT_FALSE(g.TryGo([]() -> Task<void> { co_return; }));
  cancel();
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_TRUE(g.TryGo([]() -> Task<void> { co_return; }));
  EXPECT_TRUE(g.Wait().ok());
}

// DESIGN: a task may call Go on its own group at any time. A coroutine task
// resumed on another thread is still the group's task: Go queues instead of
// blocking (every slot is held by tasks that would wait for each other).
TEST(CoroErrgroupTest, ResumedTasksMayGoOnTheirOwnFullGroup) {
  std::atomic<int> ran{0};
  errgroup::Group g;
  ASSERT_TRUE(g.SetLimit(2).ok());
  for (int i = 0; i < 4; ++i) {
    g.Go([&](const Context& ctx) -> Task<void> {
      co_await Sleep(ctx, absl::Milliseconds(1));  // Resumes on a drainer.
      for (int j = 0; j < 3; ++j) g.Go([&ran] { ran++; });
      co_await Sleep(ctx, absl::Milliseconds(1));
      ran++;
    });
  }
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(ran.load(), 4 * 3 + 4);
}

TEST(CoroErrgroupTest, PlainAndCoroutineTasksMix) {
  std::atomic<int> ran{0};
  errgroup::Group g;
  ASSERT_TRUE(g.SetLimit(3).ok());
  for (int i = 0; i < 50; ++i) {
    if (i % 2 == 0) {
      g.Go([&] { ran++; });
    } else {
      g.Go([&](const Context& ctx) -> Task<void> {
        co_await Sleep(ctx, absl::Microseconds(100));
        ran++;
      });
    }
  }
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(ran.load(), 50);
}

TEST(CoroSizedGroupTest, EveryOptionHoldsTheLimit) {
  for (int variant = 0; variant < 3; ++variant) {
    Concurrency c;
    std::atomic<int> done{0};
    auto task = [&](const Context& ctx) -> Task<void> {
      c.Enter();
      co_await Sleep(ctx, absl::Microseconds(500));
      c.Leave();
      done++;
    };
    int accepted = 0;
    if (variant == 0) {
      SizedGroup g(3);
      for (int i = 0; i < 20; ++i) accepted += g.Go(task) ? 1 : 0;
      ASSERT_TRUE(g.Wait().ok());
    } else if (variant == 1) {
      SizedGroup g(3, Preemptive());
      for (int i = 0; i < 20; ++i) accepted += g.Go(task) ? 1 : 0;
      ASSERT_TRUE(g.Wait().ok());
    } else {
      ErrSizedGroup g(3);
      for (int i = 0; i < 20; ++i) accepted += g.Go(task) ? 1 : 0;
      EXPECT_TRUE(g.Wait().ok());
    }
    EXPECT_EQ(done.load(), accepted) << variant;
    EXPECT_EQ(accepted, 20) << variant;
    EXPECT_LE(c.most.load(), 3) << variant;
  }
}

TEST(CoroSchedgroupTest, DelayedCoroutineTasksRunAndAreWaitedFor) {
  schedgroup::Group g(Context::Background());
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        g.Delay(absl::Milliseconds(i), [&](const Context& ctx) -> Task<void> {
           co_await Sleep(ctx, absl::Milliseconds(2));
           ran++;
         }).ok());
  }
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(ran.load(), 5);
}

// A coroutine fans out and awaits its group without holding a thread.
TEST(CoroWaitAsyncTest, ErrgroupWaitAsyncReturnsTheFirstErrorOnceAllEnd) {
  auto fan_out = [](Context parent) -> Task<absl::Status> {
    errgroup::Group g(parent);
    std::atomic<int> ended{0};
    for (int i = 0; i < 20; ++i) {
      g.Go([&ended, i](const Context& ctx) -> Task<absl::Status> {
        co_await Sleep(ctx, absl::Milliseconds(i % 5));
        ended++;
        if (i == 7) co_return absl::DataLossError("seven");
        co_return absl::OkStatus();
      });
    }
    absl::Status status = co_await g.WaitAsync();
    EXPECT_EQ(ended.load(), 20);
    EXPECT_TRUE(g.context().Done());
    co_return status;
  };
  EXPECT_EQ(SyncWait(fan_out(Context::Background())),
            absl::DataLossError("seven"));
}

TEST(CoroWaitAsyncTest, WaitAsyncOnAnIdleGroupReturnsAtOnce) {
  auto idle = []() -> Task<absl::Status> {
    errgroup::Group g;
    co_return co_await g.WaitAsync();
  };
  EXPECT_TRUE(SyncWait(idle()).ok());
}

TEST(CoroWaitAsyncTest, PlainTasksAreAwaitedToo) {
  auto plain = []() -> Task<int> {
    std::atomic<int> ran{0};
    errgroup::Group g;
    EXPECT_TRUE(g.SetLimit(2).ok());
    for (int i = 0; i < 100; ++i) g.Go([&ran] { ran++; });
    (void)co_await g.WaitAsync();
    co_return ran.load();
  };
  EXPECT_EQ(SyncWait(plain()), 100);
}

TEST(CoroWaitAsyncTest, SizedGroupsWaitAsync) {
  auto run = []() -> Task<absl::Status> {
    std::atomic<int> ran{0};
    SizedGroup sized(2, Preemptive());
    ErrSizedGroup errs(3);
    for (int i = 0; i < 30; ++i) {
      sized.Go([&ran](const Context& ctx) -> Task<void> {
        co_await Sleep(ctx, absl::Microseconds(200));
        ran++;
      });
      errs.Go([i]() -> absl::Status {
        return i % 10 == 0 ? absl::InternalError("tenth") : absl::OkStatus();
      });
    }
    absl::Status sized_status = co_await sized.WaitAsync();
    EXPECT_TRUE(sized_status.ok());
    EXPECT_EQ(ran.load(), 30);
    co_return co_await errs.WaitAsync();
  };
  const absl::Status joined = SyncWait(run());
  EXPECT_TRUE(absl::IsInternal(joined));
  EXPECT_EQ(errgroup::SplitErrors(joined).size(), 3u);
}

TEST(CoroWaitAsyncTest, SchedgroupWaitAsyncWaitsForEveryScheduledTask) {
  auto run = []() -> Task<int> {
    std::atomic<int> ran{0};
    schedgroup::Group g(Context::Background());
    for (int i = 0; i < 10; ++i) {
      EXPECT_TRUE(g.Delay(absl::Milliseconds(i), [&ran] { ran++; }).ok());
    }
    EXPECT_TRUE((co_await g.WaitAsync()).ok());
    EXPECT_TRUE(absl::IsFailedPrecondition(co_await g.WaitAsync()));
    co_return ran.load();
  };
  EXPECT_EQ(SyncWait(run()), 10);
}

// A task of the group cancels its context: the hour-long one never runs and
// WaitAsync returns the context's error.
TEST(CoroWaitAsyncTest, SchedgroupWaitAsyncEndsWithTheContext) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  std::atomic<int> ran{0};
  auto run = [&ran, cancel = cancel](Context c) -> Task<absl::Status> {
    schedgroup::Group g(c);
    EXPECT_TRUE(g.Delay(absl::Hours(1), [&ran] { ran++; }).ok());
    EXPECT_TRUE(g.Delay(absl::Milliseconds(1), [cancel] { cancel(); }).ok());
    co_return co_await g.WaitAsync();
  };
  EXPECT_TRUE(absl::IsCancelled(SyncWait(run(ctx))));
  EXPECT_EQ(ran.load(), 0);
}

TEST(CoroSemaphoreTest, AcquireAsyncHoldsNoThreadAndKeepsTheLimit) {
  Semaphore sem(3);
  Concurrency c;
  errgroup::Group g;
  for (int i = 0; i < 40; ++i) {
    g.Go([&](const Context& ctx) -> Task<absl::Status> {
      if (absl::Status s = co_await sem.AcquireAsync(ctx); !s.ok()) {
        co_return s;
      }
      c.Enter();
      co_await Sleep(ctx, absl::Microseconds(300));
      c.Leave();
      co_return sem.Release();
    });
  }
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_LE(c.most.load(), 3);
  EXPECT_TRUE(sem.TryAcquire(3));
}

// The first waiter queues while the semaphore is full; the second then
// queues behind it whenever it arrives (a queued waiter blocks the fast
// path), so the first is served first.
TEST(CoroSemaphoreTest, AsyncWaitersAreServedInQueueOrder) {
  Semaphore sem(1);
  ASSERT_TRUE(sem.TryAcquire(1));
  std::vector<int> order;
  absl::Mutex mu;
  errgroup::Group g;
  auto waiter = [&](int i) {
    return [&, i]() -> Task<void> {
      if ((co_await sem.AcquireAsync(Context::Background())).ok()) {
        absl::MutexLock lock(&mu);
        order.push_back(i);
      }
      (void)sem.Release();
    };
  };
  g.Go(waiter(0));
  while (sem.TryAcquire(0)) std::this_thread::yield();  // 0 is queued.
  g.Go(waiter(1));
  (void)sem.Release();
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(order, (std::vector<int>{0, 1}));
}

// A cancelled front waiter leaves, and the one behind it, which fits in the
// free tokens, is woken (or, if it arrives later, takes them at once).
TEST(CoroSemaphoreTest, CancellationEndsAnAsyncWaitAndWakesThoseBehind) {
  Semaphore sem(2);
  ASSERT_TRUE(sem.TryAcquire(2));
  auto [ctx, cancel] = WithCancel(Context::Background());
  absl::Status big, small;
  errgroup::Group g;
  g.Go([&, ctx = ctx]() -> Task<void> {
    big = co_await sem.AcquireAsync(ctx, 2);
  });
  // TryAcquire never jumps the queue: it fails while a waiter is queued.
  while (sem.TryAcquire(0)) std::this_thread::yield();
  g.Go([&]() -> Task<void> {
    small = co_await sem.AcquireAsync(Context::Background(), 1);
  });
  EXPECT_TRUE(sem.Release(1).ok());  // One free: the front needs two.
  cancel();
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_TRUE(absl::IsCancelled(big));
  EXPECT_TRUE(small.ok());
}

TEST(CoroSemaphoreTest, AcquireAsyncRejectsBadWeightsAndMoreThanTheSize) {
  Semaphore sem(2);
  auto [ctx, cancel] = WithCancel(Context::Background());
  auto acquire = [&sem](Context c, int64_t n) -> Task<absl::Status> {
    co_return co_await sem.AcquireAsync(c, n);
  };
  EXPECT_TRUE(
      absl::IsInvalidArgument(SyncWait(acquire(Context::Background(), -1))));
  std::thread canceller([cancel = cancel] {
    absl::SleepFor(absl::Milliseconds(5));
    cancel();
  });
  // More than the size: only the context ends it.
  EXPECT_TRUE(absl::IsCancelled(SyncWait(acquire(ctx, 3))));
  canceller.join();
  EXPECT_TRUE(sem.TryAcquire(2));
}

TEST(CoroCollectorsTest, GollbackAllAndRaceAwaitCoroutineFunctions) {
  using Fn = std::function<Task<absl::StatusOr<int>>(const Context&)>;
  std::vector<Fn> fns;
  for (int i = 0; i < 6; ++i) {
    fns.push_back([i](const Context& ctx) -> Task<absl::StatusOr<int>> {
      co_await Sleep(ctx, absl::Milliseconds(6 - i));
      if (i == 2) co_return absl::NotFoundError("two");
      co_return i * 10;
    });
  }
  std::vector<absl::StatusOr<int>> all =
      gollback::All(Context::Background(), fns);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(*all[0], 0);
  EXPECT_TRUE(absl::IsNotFound(all[2].status()));
  EXPECT_EQ(*all[5], 50);
  // The fastest success wins (index 5 sleeps least); the others see their
  // context cancelled and end early.
  absl::StatusOr<int> first = gollback::Race(Context::Background(), fns);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 50);
}

TEST(CoroCollectorsTest, HunchAllFailsFastAndTakeCountsCompletions) {
  using Fn = std::function<Task<absl::StatusOr<int>>(const Context&)>;
  std::vector<Fn> fns;
  for (int i = 0; i < 5; ++i) {
    fns.push_back([i](const Context& ctx) -> Task<absl::StatusOr<int>> {
      if (absl::Status s = co_await Sleep(ctx, absl::Milliseconds(2 * i));
          !s.ok()) {
        co_return s;
      }
      co_return i;
    });
  }
  absl::StatusOr<std::vector<int>> all = hunch::All(Context::Background(), fns);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<int>{0, 1, 2, 3, 4}));
  absl::StatusOr<std::vector<int>> two =
      hunch::Take(Context::Background(), 2, fns);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
}

}  // namespace
}  // namespace xsync
