// Copyright 2026 The xsync Authors.
//
// The golang.org/x/sync/semaphore suite re-expressed in GoogleTest, plus the
// Lockable interface.

#include "xsync/sizedgroup/semaphore.h"

#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace xsync {
namespace {

TEST(Semaphore, WeightedNeverExceedsTheSize) {
  constexpr int64_t kSize = 10;
  Semaphore sem(kSize);
  std::atomic<int64_t> in_use{0};
  std::atomic<bool> exceeded{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::minstd_rand rng(t + 1);
      for (int i = 0; i < 500; ++i) {
        const int64_t n = 1 + rng() % kSize;
        ASSERT_TRUE(sem.Acquire(Context::Background(), n).ok());
        if (in_use.fetch_add(n) + n > kSize) exceeded = true;
        in_use.fetch_sub(n);
        ASSERT_TRUE(sem.Release(n).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(exceeded.load());
}

TEST(Semaphore, SizeTooLargeForTheStateWordIsInvalid) {
  Semaphore huge(int64_t{1} << 62);
  absl::Status status = huge.Acquire(Context::Background(), 1);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_FALSE(huge.TryAcquire(1));
  Semaphore largest((int64_t{1} << 62) - 1);
  EXPECT_TRUE(
      largest.Acquire(Context::Background(), (int64_t{1} << 62) - 1).ok());
  EXPECT_FALSE(largest.TryAcquire(1));
  EXPECT_TRUE(largest.Release((int64_t{1} << 62) - 1).ok());
}

TEST(Semaphore, OverReleaseIsAnErrorNotAPanic) {
  Semaphore sem(1);
  absl::Status status = sem.Release(1);
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  ASSERT_TRUE(sem.Acquire(Context::Background(), 1).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(sem.Release(2)));
  EXPECT_TRUE(sem.Release(1).ok());
}

TEST(Semaphore, NegativeWeightsAndSizesAreInvalid) {
  Semaphore sem(2);
  EXPECT_TRUE(absl::IsInvalidArgument(sem.Acquire(Context::Background(), -1)));
  EXPECT_TRUE(absl::IsInvalidArgument(sem.Release(-1)));
  EXPECT_FALSE(sem.TryAcquire(-1));
  Semaphore negative(-1);
  EXPECT_TRUE(
      absl::IsInvalidArgument(negative.Acquire(Context::Background(), 1)));
  EXPECT_TRUE(sem.Acquire(Context::Background(), 0).ok());
}

TEST(Semaphore, TryAcquire) {
  Semaphore sem(2);
  EXPECT_TRUE(sem.TryAcquire(1));
  EXPECT_TRUE(sem.TryAcquire(1));
  EXPECT_FALSE(sem.TryAcquire(1));
  ASSERT_TRUE(sem.Release(2).ok());
  EXPECT_TRUE(sem.TryAcquire(2));
  EXPECT_FALSE(sem.TryAcquire(1));
  ASSERT_TRUE(sem.Release(2).ok());
  EXPECT_FALSE(sem.TryAcquire(3));
}

TEST(Semaphore, AcquireLargerThanSizeWaitsOnlyForTheContext) {
  Semaphore sem(2);
  auto [ctx, cancel] =
      WithTimeout(Context::Background(), absl::Milliseconds(20));
  absl::Status status = sem.Acquire(ctx, 3);
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
}

TEST(Semaphore, TooBigRequestDoesNotBlockSmallerOnes) {
  Semaphore sem(2);
  auto [ctx, cancel] = WithCancel(Context::Background());
  absl::Notification big_returned;
  std::thread big([&, ctx = ctx] {
    EXPECT_TRUE(absl::IsCancelled(sem.Acquire(ctx, 3)));
    big_returned.Notify();
  });
  EXPECT_TRUE(sem.Acquire(Context::Background(), 2).ok());
  EXPECT_TRUE(sem.Release(2).ok());
  cancel();
  big.join();
}

TEST(Semaphore, DoneContextWinsEvenWithFreeTokens) {
  Semaphore sem(5);
  auto [ctx, cancel] = WithCancel(Context::Background());
  cancel();
  EXPECT_TRUE(absl::IsCancelled(sem.Acquire(ctx, 1)));
  EXPECT_TRUE(sem.TryAcquire(5));  // Nothing was taken.
}

TEST(Semaphore, AcquireCanceledWhileWaiting) {
  Semaphore sem(1);
  ASSERT_TRUE(sem.Acquire(Context::Background(), 1).ok());
  auto [ctx, cancel] = WithCancel(Context::Background());
  absl::Notification done;
  std::thread waiter([&, ctx = ctx] {
    EXPECT_TRUE(absl::IsCancelled(sem.Acquire(ctx, 1)));
    done.Notify();
  });
  cancel();
  done.WaitForNotification();
  waiter.join();
  EXPECT_TRUE(sem.Release(1).ok());
  EXPECT_TRUE(sem.TryAcquire(1));  // The cancelled waiter took nothing.
}

TEST(Semaphore, CancelledFrontWaiterWakesThoseBehind) {
  Semaphore sem(2);
  ASSERT_TRUE(sem.Acquire(Context::Background(), 1).ok());
  auto [front_ctx, cancel_front] = WithCancel(Context::Background());
  absl::Notification front_queued;
  std::thread front([&, ctx = front_ctx] {
    EXPECT_TRUE(absl::IsCancelled(sem.Acquire(ctx, 2)));
  });
  // Wait (by polling TryAcquire's FIFO rule) until the front waiter queued:
  // TryAcquire(1) fails once someone waits, although a token is free.
  ASSERT_TRUE(testutil::EventuallyTrue([&] {
    if (sem.TryAcquire(1)) {
      EXPECT_TRUE(sem.Release(1).ok());
      return false;
    }
    return true;
  }));
  absl::Notification behind_acquired;
  std::thread behind([&] {
    EXPECT_TRUE(sem.Acquire(Context::Background(), 1).ok());
    behind_acquired.Notify();
  });
  // FIFO: the one behind must not jump the queue while the front waits.
  EXPECT_FALSE(
      behind_acquired.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  cancel_front();
  behind_acquired.WaitForNotification();
  front.join();
  behind.join();
}

TEST(Semaphore, LargeAcquireIsNotStarvedBySmallOnes) {
  constexpr int64_t kSize = 4;
  Semaphore sem(kSize);
  std::atomic<bool> stop{false};
  std::vector<std::thread> small;
  for (int t = 0; t < 4; ++t) {
    small.emplace_back([&] {
      while (!stop.load()) {
        if (sem.Acquire(Context::Background(), 1).ok()) {
          std::this_thread::yield();
          EXPECT_TRUE(sem.Release(1).ok());
        }
      }
    });
  }
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(sem.Acquire(Context::Background(), kSize).ok());
    ASSERT_TRUE(sem.Release(kSize).ok());
  }
  stop = true;
  for (auto& t : small) t.join();
}

TEST(Semaphore, WorksWithStandardLocks) {
  Semaphore sem(1);
  int counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        std::lock_guard<Semaphore> guard(sem);
        ++counter;  // Plain int: TSAN checks the exclusion.
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter, 4000);
  std::unique_lock<Semaphore> lock(sem, std::try_to_lock);
  EXPECT_TRUE(lock.owns_lock());
  EXPECT_FALSE(sem.try_lock());
}

}  // namespace
}  // namespace xsync
