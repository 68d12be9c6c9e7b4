// Copyright 2026 The xsync Authors.
//
// Randomized stress for errgroup (and so for the shared group engine): many
// submitting threads, random limits and queues, random failures, random nested
// Go, TryGo, and cancellation of the parent at random moments. Everything
// accepted runs exactly once, every failure is recorded, and no task closure
// outlives Wait.

#include <atomic>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "xsync/errgroup/errgroup.h"

namespace xsync {
namespace errgroup {
namespace {

constexpr int kTotalTasks = testutil::StressSize(100000, 20000);
constexpr int kSubmitters = 8;
constexpr int kRounds = 20;

struct Tally {
  std::atomic<int> accepted{0};
  std::atomic<int> ran{0};
  std::atomic<int> failed{0};
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};  // The most tasks seen running at once.
};

// `threads` threads spinning until destroyed: busy cores beside a test.
class BusyThreads {
 public:
  explicit BusyThreads(int threads) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] {
        while (!stop_.load(std::memory_order_relaxed)) {
        }
      });
    }
  }
  ~BusyThreads() {
    stop_.store(true, std::memory_order_relaxed);
    for (std::thread& t : threads_) t.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

void RunTask(Group& g, Tally& tally, const std::shared_ptr<int>& sentinel,
             uint32_t seed, int depth);

absl::Status TaskBody(Group& g, Tally& tally,
                      const std::shared_ptr<int>& sentinel, uint32_t seed,
                      int depth) {
  tally.ran.fetch_add(1);
  const int running = tally.running.fetch_add(1) + 1;
  for (int most = tally.most_running.load();
       running > most &&
       !tally.most_running.compare_exchange_weak(most, running);) {
  }
  struct Leave {
    Tally& tally;
    ~Leave() { tally.running.fetch_sub(1); }
  } leave{tally};
  std::minstd_rand rng(seed);
  if (depth < 2 && rng() % 50 == 0) {
    RunTask(g, tally, sentinel, static_cast<uint32_t>(rng()), depth + 1);
  }
  for (int spin = rng() % 64; spin > 0; --spin) std::this_thread::yield();
  if (rng() % 20 == 0) {
    tally.failed.fetch_add(1);
    return absl::InternalError("random failure");
  }
  return absl::OkStatus();
}

void RunTask(Group& g, Tally& tally, const std::shared_ptr<int>& sentinel,
             uint32_t seed, int depth) {
  auto task = [&g, &tally, sentinel, seed, depth] {
    return TaskBody(g, tally, sentinel, seed, depth);
  };
  if (seed % 4 == 0) {
    if (g.TryGo(task)) tally.accepted.fetch_add(1);
  } else {
    tally.accepted.fetch_add(1);  // Before Go: the task may finish first.
    g.Go(task);
  }
}

// Rounds of random limits, queues, submitters, failures, nested Go and
// parent cancellation, `total_tasks` in all, with `busy_threads` threads
// spinning beside them.
void RunStressRounds(int busy_threads, int total_tasks) {
  BusyThreads busy(busy_threads);
  std::mt19937 rng(20261122 + busy_threads);
  const int limits[] = {-1, 1, 2, 8};
  const int queues[] = {0, 4, kUnbounded};
  for (int round = 0; round < kRounds; ++round) {
    auto [parent, cancel_parent] = WithCancel(Context::Background());
    Options options;
    options.limit = limits[rng() % 4];
    options.queue_size = queues[rng() % 3];
    Tally tally;
    auto sentinel = std::make_shared<int>(0);
    {
      Group g(parent, options);
      const int per_submitter = total_tasks / kRounds / kSubmitters;
      const int cancel_after = static_cast<int>(rng() % (per_submitter * 2));
      std::vector<std::thread> submitters;
      for (int s = 0; s < kSubmitters; ++s) {
        const uint32_t seed = static_cast<uint32_t>(rng());
        submitters.emplace_back([&, seed, s] {
          std::minstd_rand local(seed);
          for (int i = 0; i < per_submitter; ++i) {
            if (s == 0 && i == cancel_after) cancel_parent();
            RunTask(g, tally, sentinel, static_cast<uint32_t>(local()), 0);
          }
        });
      }
      for (auto& t : submitters) t.join();
      const absl::Status status = g.Wait();
      ASSERT_EQ(tally.ran.load(), tally.accepted.load()) << "round " << round;
      if (options.limit > 0) {
        EXPECT_LE(tally.most_running.load(), options.limit)
            << "round " << round;
      }
      const std::vector<absl::Status> errors = g.Errors();
      ASSERT_EQ(static_cast<int>(errors.size()), tally.failed.load());
      if (tally.failed.load() > 0) {
        EXPECT_FALSE(status.ok());
        EXPECT_EQ(status, errors.front());
      } else {
        EXPECT_TRUE(status.ok());
      }
      EXPECT_TRUE(g.context().Done());
    }
    EXPECT_EQ(sentinel.use_count(), 1) << "a task closure outlived Wait";
  }
}

TEST(ErrgroupStress, EverythingAcceptedRunsExactlyOnce) {
  RunStressRounds(0, kTotalTasks);
}

// The same with the cores busy: progress must not depend on any one thread
// being scheduled soon.
TEST(ErrgroupStress, EverythingAcceptedRunsExactlyOnceBesideBusyThreads) {
  RunStressRounds(2, kTotalTasks / 5);
}

TEST(ErrgroupStress, DestroyingBusyGroupsNeverHangsOrLeaks) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    auto sentinel = std::make_shared<int>(0);
    {
      Group g(Context::Background(),
              {static_cast<int>(rng() % 3) + 1, kUnbounded, nullptr});
      for (int i = 0; i < 20; ++i) {
        g.Go(
            [sentinel](const Context& ctx) { ctx.WaitFor(absl::Seconds(30)); });
      }
    }  // Destroyed without Wait: cancels, then waits.
    ASSERT_EQ(sentinel.use_count(), 1);
  }
}

}  // namespace
}  // namespace errgroup
}  // namespace xsync
