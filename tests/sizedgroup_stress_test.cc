// Copyright 2026 The xsync Authors.
//
// Randomized stress for SizedGroup/ErrSizedGroup and Semaphore: many
// submitting threads, random options, failures and cancellation, tasks
// submitting to their own group; everything accepted runs at most once and
// exactly once unless the group stopped it, the size is never exceeded, and the
// semaphore ends with every token back.

#include <atomic>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "xsync/errgroup/errors.h"
#include "xsync/sizedgroup/sizedgroup.h"

namespace xsync {
namespace {

constexpr int kTasksPerRound = testutil::StressSize(5000, 1000);

TEST(SizedGroupStress, RandomOptionsFailuresAndCancellation) {
  std::mt19937 rng(99);
  for (int round = 0; round < 20; ++round) {
    const int size = 1 + static_cast<int>(rng() % 8);
    const int mode = static_cast<int>(rng() % 5);
    auto [ctx, cancel] = WithCancel(Context::Background());
    std::atomic<int> accepted{0}, ran{0}, failed{0};
    testutil::PeakCounter peak;
    auto sentinel = std::make_shared<int>(0);
    absl::Status status;
    {
      std::unique_ptr<ErrSizedGroup> g;
      switch (mode) {
        case 0:
          g = std::make_unique<ErrSizedGroup>(size, GroupContext(ctx));
          break;
        case 1:
          g = std::make_unique<ErrSizedGroup>(size, GroupContext(ctx),
                                              Preemptive());
          break;
        case 2:
          g = std::make_unique<ErrSizedGroup>(size, GroupContext(ctx),
                                              Discard());
          break;
        case 3:
          g = std::make_unique<ErrSizedGroup>(size, GroupContext(ctx),
                                              TermOnErr());
          break;
        default:
          g = std::make_unique<ErrSizedGroup>(size, GroupContext(ctx),
                                              Preemptive(), TermOnErr());
          break;
      }
      // Some tasks submit a task to their own group (with Preemptive, one
      // that finds no slot is queued, never blocked).
      auto child = [&, sentinel] {
        peak.Enter();
        ran.fetch_add(1);
        peak.Exit();
      };
      const int cancel_at = static_cast<int>(rng() % (kTasksPerRound * 2));
      std::vector<std::thread> submitters;
      for (int s = 0; s < 8; ++s) {
        submitters.emplace_back([&, s, seed = rng()] {
          std::minstd_rand local(seed);
          for (int i = s; i < kTasksPerRound; i += 8) {
            if (i == cancel_at) cancel();
            const bool fail = local() % 25 == 0;
            const int spin = static_cast<int>(local() % 32);
            const bool spawns = local() % 64 == 0;
            if (g->Go([&, fail, spin, spawns, sentinel]() -> absl::Status {
                  peak.Enter();
                  for (int k = 0; k < spin; ++k) std::this_thread::yield();
                  ran.fetch_add(1);
                  peak.Exit();
                  if (spawns && g->Go(child)) accepted.fetch_add(1);
                  if (fail) {
                    failed.fetch_add(1);
                    return absl::InternalError("random");
                  }
                  return absl::OkStatus();
                })) {
              accepted.fetch_add(1);
            }
          }
        });
      }
      for (auto& t : submitters) t.join();
      status = g->Wait();
    }
    EXPECT_EQ(sentinel.use_count(), 1) << "round " << round;
    EXPECT_LE(peak.peak(), size) << "round " << round;
    EXPECT_LE(ran.load(), accepted.load()) << "round " << round;
    const bool may_skip = ctx.Done() || mode >= 3;
    if (!may_skip) {
      EXPECT_EQ(ran.load(), accepted.load()) << "round " << round;
    }
    const size_t errors = errgroup::SplitErrors(status).size();
    EXPECT_GE(errors, static_cast<size_t>(failed.load() > 0 ? 1 : 0));
    if (mode < 3 && !ctx.Done()) {
      EXPECT_EQ(errors, static_cast<size_t>(failed.load()));
    }
  }
}

// Fast (compare-and-swap) and queued paths interleaved: random weights,
// TryAcquire, contexts cancelled before or while acquiring. The size is never
// exceeded, no waiter is lost (everything returns), and every token is back
// at the end.
TEST(SemaphoreStress, RandomWeightsAndCancelsReturnEveryToken) {
  constexpr int64_t kSize = 6;
  const int iterations = testutil::StressSize(3000, 500);
  Semaphore sem(kSize);
  std::atomic<int64_t> in_use{0};
  std::atomic<bool> exceeded{false};
  std::atomic<int> acquired{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      std::minstd_rand rng(t + 100);
      for (int i = 0; i < iterations; ++i) {
        const int64_t n = 1 + rng() % kSize;
        bool got = false;
        switch (rng() % 4) {
          case 0:
            got = sem.TryAcquire(n);
            break;
          case 1: {  // A done context wins, even with free tokens.
            auto [ctx, cancel] = WithCancel(Context::Background());
            cancel();
            EXPECT_TRUE(absl::IsCancelled(sem.Acquire(ctx, n)));
            break;
          }
          case 2: {  // Cancelled while acquiring, or not.
            auto [ctx, cancel] = WithCancel(Context::Background());
            std::thread canceller([cancel = cancel] { cancel(); });
            absl::Status status = sem.Acquire(ctx, n);
            canceller.join();
            got = status.ok();
            if (!got) {
              EXPECT_TRUE(absl::IsCancelled(status)) << status;
            }
            break;
          }
          default:
            got = sem.Acquire(Context::Background(), n).ok();
            EXPECT_TRUE(got);
        }
        if (!got) continue;
        acquired.fetch_add(1);
        if (in_use.fetch_add(n) + n > kSize) exceeded = true;
        in_use.fetch_sub(n);
        EXPECT_TRUE(sem.Release(n).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(exceeded.load());
  EXPECT_GT(acquired.load(), 0);
  EXPECT_TRUE(sem.TryAcquire(kSize)) << "a token was lost";
  EXPECT_TRUE(absl::IsFailedPrecondition(sem.Release(kSize + 1)));
}

}  // namespace
}  // namespace xsync
