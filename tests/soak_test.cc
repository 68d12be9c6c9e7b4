// Copyright 2026 The xsync Authors.
//
// The soak: a million randomized tasks across every group type, then a
// check that the process's threads and resident memory come back to where
// they started. Not in the default test run (tag "manual"):
//
//   ./tools/bazel test -c opt //tests:soak_test --test_output=all
//
// Each round picks a group and a shape at random: errgroup with a limit,
// failures, throws, nested Go and coroutine tasks that sleep; SizedGroup and
// ErrSizedGroup with every option; schedgroup with short delays; gollback
// and hunch collectors; and, in a third of the rounds, a parent context
// cancelled from another thread part-way. Every round checks its own
// accounting (tasks run at most once, exactly once where nothing cut them
// short, the errors reported).

#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "xsync/context/context.h"
#include "xsync/coro/coro.h"
#include "xsync/errgroup/errgroup.h"
#include "xsync/gollback/gollback.h"
#include "xsync/hunch/hunch.h"
#include "xsync/schedgroup/schedgroup.h"
#include "xsync/sizedgroup/sizedgroup.h"

namespace xsync {
namespace {

constexpr long kTasks = 1000000;

// A field of /proc/self/status ("Threads", "VmRSS", "VmHWM"), in its unit.
long ProcStatus(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) != 0) continue;
    long value = 0;
    std::string rest = line.substr(field.size() + 1);
    rest.erase(0, rest.find_first_not_of(" \t"));
    rest = rest.substr(0, rest.find_first_of(" \t"));
    if (absl::SimpleAtoi(rest, &value)) return value;
  }
  return -1;
}

class Soak {
 public:
  explicit Soak(unsigned seed) : rng_(seed) {}

  long tasks() const { return tasks_; }

  void Round() {
    auto [parent, cancel] = WithCancel(Context::Background());
    std::thread canceller;
    const bool cancels = Chance(3);
    if (cancels) {
      const int delay_us = Pick(200);
      canceller = std::thread([cancel = cancel, delay_us] {
        absl::SleepFor(absl::Microseconds(delay_us));
        cancel();
      });
    }
    switch (Pick(6)) {
      case 0:
        Errgroup(parent, cancels);
        break;
      case 1:
        Sized(parent, cancels);
        break;
      case 2:
        ErrSized(parent, cancels);
        break;
      case 3:
        Sched(parent, cancels);
        break;
      case 4:
        Gollback(parent);
        break;
      default:
        Hunch(parent);
        break;
    }
    if (canceller.joinable()) canceller.join();
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % n); }
  bool Chance(int one_in) { return Pick(one_in) == 0; }

  void Errgroup(const Context& parent, bool cancels) {
    errgroup::Options options;
    options.limit = Chance(5) ? errgroup::kNoLimit : 1 + Pick(4);  // Not 0.
    options.queue_size = Pick(3);
    errgroup::Group g(parent, options);
    const int n = 1 + Pick(400);
    std::atomic<int> ran{0}, nested{0}, failed{0};
    bool throws = false;
    for (int i = 0; i < n; ++i) {
      const int kind = Pick(20);
      if (kind == 0) {
        g.Go([&](const Context&) -> absl::Status {
          ran++;
          failed++;
          return absl::InternalError("soak failure");
        });
      } else if (kind == 1) {
        g.Go([&] {
          ran++;
          nested++;
          g.Go([&] { ran++; });
        });
      } else if (kind == 2) {
        g.Go([&](const Context& ctx) -> Task<void> {
          co_await Sleep(ctx, absl::Microseconds(50));
          ran++;
        });
#ifdef ABSL_HAVE_EXCEPTIONS
      } else if (kind == 3 && !throws) {
        throws = true;
        g.Go([&]() -> absl::Status {
          ran++;
          throw std::runtime_error("soak throw");
        });
#endif
      } else {
        g.Go([&] { ran++; });
      }
    }
    tasks_ += n + nested.load();
#ifdef ABSL_HAVE_EXCEPTIONS
    try {
      const absl::Status status = g.Wait();
      ASSERT_EQ(status.ok(), failed.load() == 0) << status;
    } catch (const std::runtime_error&) {
      ASSERT_TRUE(throws);
    }
#else
    const absl::Status status = g.Wait();
    ASSERT_EQ(status.ok(), failed.load() == 0) << status;
#endif
    (void)cancels;  // errgroup runs every task whatever the parent does.
    ASSERT_EQ(ran.load(), n + nested.load());
  }

  void Sized(const Context& parent, bool cancels) {
    const int size = 1 + Pick(8);
    std::atomic<int> ran{0};
    int accepted = 0;
    const int n = 1 + Pick(400);
    {
      SizedGroup g(size, GroupContext(parent));
      SizedGroup p(size, Preemptive(), GroupContext(parent));
      for (int i = 0; i < n; ++i) {
        SizedGroup& target = (i % 2 == 0) ? g : p;
        accepted += target.Go([&](const Context&) { ran++; });
      }
      ASSERT_TRUE(g.Wait().ok());
      ASSERT_TRUE(p.Wait().ok());
    }
    tasks_ += n;
    if (cancels) {
      ASSERT_LE(ran.load(), accepted);
    } else {
      ASSERT_EQ(ran.load(), n);
    }
  }

  void ErrSized(const Context& parent, bool cancels) {
    const int size = 1 + Pick(8);
    ErrSizedGroup g(size, TermOnErr(), GroupContext(parent));
    ErrSizedGroup d(size, Discard(), GroupContext(parent));
    std::atomic<int> ran{0};
    const int n = 1 + Pick(400);
    const int fail_at = Chance(2) ? Pick(n) : -1;
    for (int i = 0; i < n; ++i) {
      ErrSizedGroup& target = (i % 2 == 0) ? g : d;
      target.Go([&, i](const Context&) -> absl::Status {
        ran++;
        if (i == fail_at) return absl::InternalError("soak failure");
        return absl::OkStatus();
      });
    }
    const absl::Status first = g.Wait();
    d.Wait().IgnoreError();
    tasks_ += n;
    ASSERT_LE(ran.load(), n);
    if (!cancels && fail_at < 0) ASSERT_TRUE(first.ok()) << first;
  }

  void Sched(const Context& parent, bool cancels) {
    schedgroup::Group g(parent);
    std::atomic<int> ran{0};
    int scheduled = 0;
    const int n = 1 + Pick(200);
    for (int i = 0; i < n; ++i) {
      const absl::Status status =
          g.Delay(absl::Microseconds(Pick(1000)), [&] { ran++; });
      if (status.ok()) ++scheduled;
    }
    const absl::Status status = g.Wait();
    tasks_ += n;
    ASSERT_LE(ran.load(), scheduled);
    if (!cancels) {
      ASSERT_TRUE(status.ok()) << status;
      ASSERT_EQ(ran.load(), n);
    }
  }

  void Gollback(const Context& parent) {
    const int n = 1 + Pick(64);
    std::vector<std::function<absl::StatusOr<int>(const Context&)>> fns;
    for (int i = 0; i < n; ++i) {
      const bool fails = Chance(4);
      fns.push_back([i, fails](const Context&) -> absl::StatusOr<int> {
        if (fails) return absl::InternalError("soak failure");
        return i;
      });
    }
    const auto all = gollback::All(parent, fns);
    ASSERT_EQ(all.size(), static_cast<size_t>(n));
    (void)gollback::Race(parent, fns);
    tasks_ += 2 * n;
  }

  void Hunch(const Context& parent) {
    const int n = 1 + Pick(64);
    std::vector<std::function<absl::StatusOr<int>(const Context&)>> fns;
    for (int i = 0; i < n; ++i) {
      fns.push_back([i](const Context&) -> absl::StatusOr<int> { return i; });
    }
    const auto all = hunch::All(parent, fns);
    if (all.ok()) ASSERT_EQ(all->size(), static_cast<size_t>(n));
    const auto some = hunch::Take(parent, 1 + Pick(n), fns);
    if (some.ok()) ASSERT_GE(some->size(), 1u);
    tasks_ += 2 * n;
  }

  std::mt19937 rng_;
  long tasks_ = 0;
};

TEST(Soak, AMillionTasksLeaveNoThreadsOrMemoryBehind) {
  // Warm up: every group once, so the executor, the timer thread and the
  // allocator's pools exist before the baseline is read.
  Soak warm(1);
  for (int i = 0; i < 60; ++i) warm.Round();
  ASSERT_TRUE(testutil::EventuallyTrue([] { return ProcStatus("Threads") <= 4; },
                                      absl::Seconds(30)));
  malloc_trim(0);
  const long threads_before = ProcStatus("Threads");
  const long rss_before = ProcStatus("VmRSS");

  const absl::Time start = absl::Now();
  Soak soak(2);
  while (soak.tasks() < kTasks) {
    soak.Round();
    if (::testing::Test::HasFatalFailure()) return;
  }
  const absl::Duration took = absl::Now() - start;
  const long threads_peak_rss = ProcStatus("VmHWM");

  // Idle threads exit after the executor's idle timeout (10 s).
  const bool threads_back = testutil::EventuallyTrue(
      [&] { return ProcStatus("Threads") <= threads_before; },
      absl::Seconds(60));
  malloc_trim(0);
  const long rss_after = ProcStatus("VmRSS");
  std::printf(
      "soak: %ld tasks in %s; peak RSS %ld kB; RSS %ld kB before, %ld kB "
      "after; threads %ld before, %ld after\n",
      soak.tasks(), absl::FormatDuration(took).c_str(), threads_peak_rss,
      rss_before, rss_after, threads_before, ProcStatus("Threads"));
  EXPECT_TRUE(threads_back);
  // Memory: back within 16 MB of the start (allocator caches aside).
  EXPECT_LE(rss_after, rss_before + 16 * 1024);
}

}  // namespace
}  // namespace xsync
