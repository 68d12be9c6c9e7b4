// Copyright 2026 The xsync Authors.
//
// Randomized stress for the shared runner behind gollback and hunch: many
// Race and Take calls with random outcomes and random parent cancellation,
// from two threads. Every call returns a result consistent with its inputs
// and every function it started has returned by then.

#include <atomic>
#include <functional>
#include <random>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "xsync/gollback/gollback.h"
#include "xsync/hunch/hunch.h"

namespace xsync {
namespace {

constexpr int kCalls = testutil::StressSize(100000, 4000);

using IntFn = std::function<absl::StatusOr<int>(const Context&)>;

TEST(CollectStress, RaceAndTakeWithRandomOutcomes) {
  std::atomic<int> running{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::minstd_rand rng(t + 11);
      for (int call = 0; call < kCalls / 2; ++call) {
        const int n = 1 + static_cast<int>(rng() % 4);
        // In one call of eight, one function cancels the parent context
        // (then functions not started yet never run).
        auto [parent, cancel] = WithCancel(Context::Background());
        const int canceller = rng() % 8 == 0 ? static_cast<int>(rng() % n) : -1;
        int successes = 0;
        std::vector<bool> succeeds;
        std::vector<IntFn> fns;
        for (int i = 0; i < n; ++i) {
          const bool ok = rng() % 2 == 0;
          succeeds.push_back(ok);
          successes += ok ? 1 : 0;
          const bool waits = rng() % 4 == 0;
          const bool cancels = i == canceller;
          fns.push_back([&running, ok, waits, cancels, i, cancel = cancel](
                            const Context& ctx) -> absl::StatusOr<int> {
            running.fetch_add(1);
            if (cancels) cancel();
            if (waits) ctx.WaitFor(absl::Microseconds(50));
            running.fetch_sub(1);
            if (!ok) return absl::InternalError("no");
            return i;
          });
        }
        if (call % 2 == 0) {
          absl::StatusOr<int> won = gollback::Race(parent, fns);
          if (won.ok()) {
            ASSERT_LT(*won, n);
            ASSERT_TRUE(succeeds[*won]);
          } else if (successes > 0) {
            ASSERT_GE(canceller, 0) << won.status();
            ASSERT_TRUE(absl::IsCancelled(won.status())) << won.status();
          }
        } else {
          const int num = 1 + static_cast<int>(rng() % n);
          auto taken = hunch::Take(parent, num, fns);
          if (taken.ok()) {
            ASSERT_EQ(static_cast<int>(taken->size()), num);
            for (int v : *taken) ASSERT_TRUE(succeeds[v]);
          }
          if (successes < num) {
            ASSERT_FALSE(taken.ok());
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(running.load(), 0) << "a function outlived its call";
}

}  // namespace
}  // namespace xsync
