// Copyright 2026 The xsync Authors.
//
// Randomized stress for the shared runner behind gollback and hunch: many
// Race and Take calls with random outcomes, from two threads. Every call
// returns a result consistent with its inputs and every function it started
// has returned by then.

#include <atomic>
#include <functional>
#include <random>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gollback/gollback.h"
#include "gtest/gtest.h"
#include "hunch/hunch.h"
#include "tests/test_util.h"

namespace xsync {
namespace {

constexpr int kCalls = testing::StressSize(100000, 4000);

using IntFn = std::function<absl::StatusOr<int>(const Context&)>;

TEST(CollectStress, RaceAndTakeWithRandomOutcomes) {
  std::atomic<int> running{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::minstd_rand rng(t + 11);
      for (int call = 0; call < kCalls / 2; ++call) {
        const int n = 1 + static_cast<int>(rng() % 4);
        int successes = 0;
        std::vector<IntFn> fns;
        for (int i = 0; i < n; ++i) {
          const bool ok = rng() % 2 == 0;
          successes += ok ? 1 : 0;
          const bool waits = rng() % 4 == 0;
          fns.push_back([&running, ok, waits,
                         i](const Context& ctx) -> absl::StatusOr<int> {
            running.fetch_add(1);
            if (waits) ctx.WaitFor(absl::Microseconds(50));
            running.fetch_sub(1);
            if (!ok) return absl::InternalError("no");
            return i;
          });
        }
        if (call % 2 == 0) {
          absl::StatusOr<int> won = gollback::Race(Context::Background(), fns);
          ASSERT_EQ(won.ok(), successes > 0);
          if (won.ok()) ASSERT_LT(*won, n);
        } else {
          const int num = 1 + static_cast<int>(rng() % n);
          auto taken = hunch::Take(Context::Background(), num, fns);
          if (taken.ok()) ASSERT_EQ(static_cast<int>(taken->size()), num);
          if (successes < num) ASSERT_FALSE(taken.ok());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(running.load(), 0) << "a function outlived its call";
}

}  // namespace
}  // namespace xsync
