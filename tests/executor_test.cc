// Copyright 2026 The xsync Authors.

#include "xsync/executor/executor.h"

#include <pthread.h>

#include <atomic>
#include <stdexcept>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace xsync {
namespace {

using ::xsync::testutil::EventuallyTrue;
using ::xsync::testutil::ThreadHeavyTasks;

// Go's guarantee: no task waits for another to finish before starting. 1,000
// tasks that each block until all 1,000 have started can only finish if all
// run at once.
void ThousandMutuallyBlockingTasks(Executor& executor) {
  const int kTasks = ThreadHeavyTasks(1000);
  absl::BlockingCounter started(kTasks);
  absl::BlockingCounter finished(kTasks);
  absl::Notification all_started;
  for (int i = 0; i < kTasks; ++i) {
    executor.Schedule([&] {
      started.DecrementCount();
      all_started.WaitForNotification();
      finished.DecrementCount();
    });
  }
  started.Wait();
  all_started.Notify();
  finished.Wait();
}

TEST(ElasticExecutorTest, BlockingTasksNeverStarveEachOther) {
  ElasticExecutor executor;
  ThousandMutuallyBlockingTasks(executor);
  EXPECT_GE(executor.threads_started(), ThreadHeavyTasks(1000));
}

TEST(ElasticExecutorTest, DefaultExecutorIsBlockingSafe) {
  ThousandMutuallyBlockingTasks(DefaultExecutor());
}

#ifdef __linux__
// Workers are named, so ps, perf and gdb tell them from the caller's threads.
TEST(ElasticExecutorTest, WorkersAreNamed) {
  ElasticExecutor executor;
  char name[16] = {};
  absl::Notification ran;
  executor.Schedule([&] {
    pthread_getname_np(pthread_self(), name, sizeof(name));
    ran.Notify();
  });
  ran.WaitForNotification();
  EXPECT_STREQ(name, "xsync-worker");
}
#endif

TEST(ElasticExecutorTest, TinyTasksReuseThreads) {
  ElasticExecutor::Options options;
  options.eager_threads = 2;
  ElasticExecutor executor(options);
  constexpr int kTasks = 10000;
  absl::BlockingCounter done(kTasks);
  std::atomic<int> ran{0};
  for (int i = 0; i < kTasks; ++i) {
    executor.Schedule([&] {
      ran.fetch_add(1, std::memory_order_relaxed);
      done.DecrementCount();
    });
  }
  done.Wait();
  EXPECT_EQ(ran.load(), kTasks);
  // Far fewer threads than tasks (the starvation check may add a few on a
  // loaded machine, never one per task).
  EXPECT_LT(executor.threads_started(), kTasks / 10);
}

TEST(ElasticExecutorTest, IdleThreadsRetire) {
  ElasticExecutor::Options options;
  options.idle_timeout = absl::Milliseconds(20);
  ElasticExecutor executor(options);
  constexpr int kTasks = 16;
  absl::BlockingCounter started(kTasks);
  absl::Notification release;
  for (int i = 0; i < kTasks; ++i) {
    executor.Schedule([&] {
      started.DecrementCount();
      release.WaitForNotification();
    });
  }
  started.Wait();
  EXPECT_GE(executor.thread_count(), kTasks);
  release.Notify();
  EXPECT_TRUE(EventuallyTrue([&] { return executor.thread_count() == 0; }));
}

TEST(ElasticExecutorTest, IdleThreadIsReusedBeforeANewOneStarts) {
  ElasticExecutor::Options options;
  options.starvation_delay = absl::Seconds(30);  // Only reuse is at stake.
  ElasticExecutor executor(options);
  absl::Notification first;
  executor.Schedule([&] { first.Notify(); });
  first.WaitForNotification();
  ASSERT_TRUE(
      EventuallyTrue([&] { return executor.idle_thread_count() == 1; }));
  absl::Notification second;
  executor.Schedule([&] { second.Notify(); });
  second.WaitForNotification();
  EXPECT_EQ(executor.threads_started(), 1);
}

#ifdef ABSL_HAVE_EXCEPTIONS
TEST(ElasticExecutorTest, ThrowingTaskDoesNotKillItsWorker) {
  ElasticExecutor::Options options;
  options.eager_threads = 1;
  options.starvation_delay = absl::Seconds(30);  // Never adds a thread here.
  ElasticExecutor executor(options);
  absl::Notification after;
  executor.Schedule([] { throw std::runtime_error("boom"); });
  executor.Schedule([] { throw 42; });
  executor.Schedule([&] { after.Notify(); });
  after.WaitForNotification();
  EXPECT_EQ(executor.threads_started(), 1);
  EXPECT_EQ(executor.thread_count(), 1);
}
#endif

TEST(ElasticExecutorTest, DestructorWaitsForScheduledTasks) {
  std::atomic<int> ran{0};
  {
    ElasticExecutor::Options options;
    options.eager_threads = 2;
    ElasticExecutor executor(options);
    for (int i = 0; i < 1000; ++i) {
      executor.Schedule([&] { ran.fetch_add(1); });
    }
  }
  EXPECT_EQ(ran.load(), 1000);
}

TEST(ElasticExecutorTest, ScheduleFromManyThreadsLosesNothing) {
  ElasticExecutor executor;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  absl::BlockingCounter done(kThreads * kPerThread);
  std::atomic<int> ran{0};
  absl::BlockingCounter submitters(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    executor.Schedule([&] {
      for (int i = 0; i < kPerThread; ++i) {
        executor.Schedule([&] {
          ran.fetch_add(1);
          done.DecrementCount();
        });
      }
      submitters.DecrementCount();
    });
  }
  submitters.Wait();
  done.Wait();
  EXPECT_EQ(ran.load(), kThreads * kPerThread);
}

}  // namespace
}  // namespace xsync
