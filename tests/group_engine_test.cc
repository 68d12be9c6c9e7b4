// Copyright 2026 The xsync Authors.
//
// The group engine's batch submission, which only the collectors use
// directly, its runner cap and its fixed limits (every other path is covered
// through the public groups).

#include "xsync/internal/group_engine.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "xsync/executor/executor.h"

namespace xsync {
namespace internal {
namespace {

using Task = GroupEngine::Task;

// Tasks 0..n-1, each appending its index to `order`.
std::vector<Task> Appending(std::vector<int>& order, int n) {
  std::vector<Task> tasks;
  for (int i = 0; i < n; ++i) {
    tasks.push_back([&order, i](const Context&) {
      order.push_back(i);
      return absl::OkStatus();
    });
  }
  return tasks;
}

// Submits a batch of 8 to an engine with `options` on a held executor,
// expects one runner request whose runner runs the batch in order, and
// returns how many runners that runner asked for while it ran.
int RunnersAskedWhileOneRunsABatch(GroupEngine::Options options) {
  testutil::HeldExecutor held;
  options.executor = &held;
  std::vector<int> order;
  GroupEngine engine(std::nullopt, options);
  std::vector<Task> tasks = Appending(order, 8);
  engine.SubmitAll(absl::MakeSpan(tasks));
  EXPECT_EQ(held.RunHeld(), 1);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  const int asked = held.RunHeld();
  EXPECT_TRUE(engine.Wait().ok());
  return asked;
}

// A batch costs one runner request, and a runner runs it in order. While it
// ran, that runner asked for two more (one more than running).
TEST(GroupEngineSubmitAll, OneRunnerForABatchRunsItInOrder) {
  EXPECT_EQ(RunnersAskedWhileOneRunsABatch({}), 2);
}

// An inline executor runs a batch in order, one task at a time: the runner
// a running task asks for (so the others need not wait for it) must not
// start them inside it, nested one level per task.
TEST(GroupEngineSubmitAll, InlineExecutorRunsInOrderWithoutNesting) {
  constexpr int kTasks = 20000;
  std::vector<int> order;
  int depth = 0;
  int max_depth = 0;
  GroupEngine engine(std::nullopt, {.executor = &InlineExecutorInstance()});
  std::vector<Task> tasks;
  for (int i = 0; i < kTasks; ++i) {
    tasks.push_back([&, i](const Context&) {
      max_depth = std::max(max_depth, ++depth);
      order.push_back(i);
      --depth;
      return absl::OkStatus();
    });
  }
  engine.SubmitAll(absl::MakeSpan(tasks));
  EXPECT_TRUE(engine.Wait().ok());
  ASSERT_EQ(order.size(), static_cast<size_t>(kTasks));
  for (int i = 0; i < kTasks; ++i) ASSERT_EQ(order[i], i);
  EXPECT_EQ(max_depth, 1);
}

// Beyond the limit, the rest of the batch is admitted as slots free: the
// limit holds and every task runs once.
TEST(GroupEngineSubmitAll, RespectsTheLimitAndRunsEveryTask) {
  constexpr int kTasks = 200;
  testutil::PeakCounter peak;
  std::atomic<int> ran{0};
  GroupEngine engine(std::nullopt, {.limit = 3});
  std::vector<Task> tasks;
  for (int i = 0; i < kTasks; ++i) {
    tasks.push_back([&](const Context&) {
      peak.Enter();
      ran.fetch_add(1);
      peak.Exit();
      return absl::OkStatus();
    });
  }
  engine.SubmitAll(absl::MakeSpan(tasks));
  EXPECT_TRUE(engine.Wait().ok());
  EXPECT_EQ(ran.load(), kTasks);
  EXPECT_LE(peak.peak(), 3);
}

// After an error with OnError::kCancelAndDrop, a batch is rejected unrun, and
// its closures are destroyed.
TEST(GroupEngineSubmitAll, RejectedAfterErrorWhenDropping) {
  GroupEngine engine(std::nullopt,
                     {.on_error = GroupEngine::OnError::kCancelAndDrop});
  engine.Submit([](const Context&) { return absl::InternalError("boom"); },
                GroupEngine::Admission::kBlock);
  ASSERT_EQ(engine.Wait().code(), absl::StatusCode::kInternal);
  auto sentinel = std::make_shared<int>(0);
  bool ran = false;
  std::vector<Task> tasks;
  tasks.push_back([&ran, sentinel](const Context&) {
    ran = true;
    return absl::OkStatus();
  });
  engine.SubmitAll(absl::MakeSpan(tasks));
  EXPECT_EQ(sentinel.use_count(), 1);
  EXPECT_EQ(engine.Wait().code(), absl::StatusCode::kInternal);
  EXPECT_FALSE(ran);
}

// With skip_when_done, a batch submitted on a done context is accepted and
// never run, and the context's error is recorded once.
TEST(GroupEngineSubmitAll, SkippedOnADoneContext) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  cancel();
  GroupEngine engine(ctx, {.skip_when_done = true});
  std::atomic<int> ran{0};
  std::vector<Task> tasks;
  for (int i = 0; i < 3; ++i) {
    tasks.push_back([&ran](const Context&) {
      ran.fetch_add(1);
      return absl::OkStatus();
    });
  }
  engine.SubmitAll(absl::MakeSpan(tasks));
  EXPECT_EQ(engine.Wait().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(engine.Errors().size(), 1u);
}

// With skip_when_done, tasks already admitted but not started when the
// context is done never start: the first task cancels, the rest of the
// batch is destroyed unrun, and Wait returns at once (the held runner is
// never needed).
TEST(GroupEngineSubmitAll, ReadyTasksAreSkippedOnceTheContextIsDone) {
  testutil::HeldExecutor held;
  auto [ctx, cancel] = WithCancel(Context::Background());
  GroupEngine engine(ctx, {.executor = &held, .skip_when_done = true});
  auto sentinel = std::make_shared<int>(0);
  std::atomic<int> ran{0};
  std::vector<Task> tasks;
  tasks.push_back([&ran, cancel = cancel](const Context&) {
    ran.fetch_add(1);
    cancel();
    return absl::OkStatus();
  });
  for (int i = 0; i < 4; ++i) {
    tasks.push_back([&ran, sentinel](const Context&) {
      ran.fetch_add(1);
      return absl::OkStatus();
    });
  }
  engine.SubmitAll(absl::MakeSpan(tasks));
  EXPECT_EQ(engine.Wait().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(sentinel.use_count(), 1);  // The skipped closures are gone.
  EXPECT_EQ(engine.Errors().size(), 1u);
  EXPECT_EQ(engine.active(), 0u);
  held.RunHeld();  // Late runners find nothing to run.
  EXPECT_EQ(ran.load(), 1);
}

// A group that cancels on its first error does not also report the
// cancellation of the tasks it then skips.
TEST(GroupEngineSubmitAll, SkippingAfterTheGroupsOwnErrorAddsNoError) {
  testutil::HeldExecutor held;
  GroupEngine engine(Context::Background(),
                     {.executor = &held,
                      .on_error = GroupEngine::OnError::kCancel,
                      .skip_when_done = true});
  std::atomic<int> ran{0};
  std::vector<Task> tasks;
  tasks.push_back([&ran](const Context&) {
    ran.fetch_add(1);
    return absl::InternalError("boom");
  });
  tasks.push_back([&ran](const Context&) {
    ran.fetch_add(1);
    return absl::OkStatus();
  });
  engine.SubmitAll(absl::MakeSpan(tasks));
  EXPECT_EQ(engine.Wait(), absl::InternalError("boom"));
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(engine.Errors().size(), 1u);
  held.RunHeld();
}

// Under a runner cap of one, the one runner runs a batch alone: it asks for
// no more (compare OneRunnerForABatchRunsItInOrder) while no task stalls.
TEST(GroupEngineRunnerCap, OneRunnerAsksForNoMoreRunners) {
  EXPECT_EQ(RunnersAskedWhileOneRunsABatch(
                {.eager_runners = 1, .stall_delay = absl::Hours(1)}),
            0);
}

// Go's guarantee holds under a cap of one: tasks that all wait for each
// other all start, as the stall check doubles the cap while ready tasks
// wait. (Without the check the first task would hold the only runner.)
TEST(GroupEngineRunnerCap, TasksWaitingForEachOtherAllStart) {
  const int tasks = testutil::ThreadHeavyTasks(64);
  testutil::Rendezvous all_started(tasks);
  GroupEngine engine(std::nullopt, {.eager_runners = 1});
  std::vector<Task> batch;
  for (int i = 0; i < tasks; ++i) {
    batch.push_back([&](const Context&) {
      all_started.ArriveAndWait();
      return absl::OkStatus();
    });
  }
  engine.SubmitAll(absl::MakeSpan(batch));
  all_started.WaitForAll();  // Before Wait, which would run some.
  EXPECT_TRUE(engine.Wait().ok());
}

// A fixed limit counts its slots without the lock (see group_engine.h).
constexpr GroupEngine::Options kFixedLimitOf(int limit) {
  GroupEngine::Options options;
  options.limit = limit;
  options.fixed_limit = true;
  return options;
}

// Tasks each waiting for all the others, each submitted once the previous
// one started: every runner is then blocked when the next task is made
// ready, so each starts only because a task left ready for a stall_delay
// adds a runner.
TEST(GroupEngineFixedLimit, TasksWaitingForEachOtherAllStart) {
  constexpr int kTasks = 8;
  testutil::Rendezvous all_started(kTasks);
  std::vector<absl::Notification> started(kTasks);
  GroupEngine engine(std::nullopt, kFixedLimitOf(kTasks));
  for (int i = 0; i < kTasks; ++i) {
    ASSERT_TRUE(engine.Submit(
        [&, i](const Context&) {
          started[i].Notify();
          all_started.ArriveAndWait();
          return absl::OkStatus();
        },
        GroupEngine::Admission::kBlock));
    started[i].WaitForNotification();
  }
  all_started.WaitForAll();
  EXPECT_TRUE(engine.Wait().ok());
  EXPECT_EQ(engine.active(), 0u);
}

// A task submitting to its own full group is queued on its own slot rather
// than blocked (it would wait for itself), and runs once the slot frees;
// kTry still refuses it.
TEST(GroupEngineFixedLimit, ATaskSubmittingToItsFullGroupIsQueued) {
  GroupEngine engine(std::nullopt, kFixedLimitOf(1));
  std::vector<int> order;
  bool queued = false;
  bool tried = true;
  engine.Submit(
      [&](const Context&) {
        queued = engine.Submit(
            [&](const Context&) {
              order.push_back(2);
              return absl::OkStatus();
            },
            GroupEngine::Admission::kBlock);
        tried = engine.Submit([](const Context&) { return absl::OkStatus(); },
                              GroupEngine::Admission::kTry);
        EXPECT_EQ(engine.active(), 1u);
        order.push_back(1);
        return absl::OkStatus();
      },
      GroupEngine::Admission::kBlock);
  EXPECT_TRUE(engine.Wait().ok());
  EXPECT_TRUE(queued);
  EXPECT_FALSE(tried);
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(GroupEngineFixedLimit, SetLimitIsRefused) {
  GroupEngine engine(std::nullopt, kFixedLimitOf(4));
  const absl::Status status = engine.SetLimit(8);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "SetLimit(8): this group's limit is fixed");
}

}  // namespace
}  // namespace internal
}  // namespace xsync
