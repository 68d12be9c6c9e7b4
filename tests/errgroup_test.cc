// Copyright 2026 The xsync Authors.
//
// The x/sync errgroup suite, the kratos, neilotoole and facebookgo suites,
// and the fixes where those originals fail, re-expressed in GoogleTest.

#include "xsync/errgroup/errgroup.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace xsync {
namespace errgroup {
namespace {

const absl::Status kDoom = absl::InternalError("group_test: doomed");

// --- x/sync errgroup suite -------------------------------------------------

TEST(XSyncSuite, ZeroGroup) {
  const std::vector<std::vector<absl::Status>> cases = {
      {},
      {absl::OkStatus()},
      {kDoom},
      {kDoom, absl::OkStatus()},
      {absl::OkStatus(), kDoom, absl::OkStatus()},
  };
  for (const auto& errs : cases) {
    Group g;
    absl::Status first;
    for (const absl::Status& err : errs) {
      g.Go([err] { return err; });
      if (first.ok()) first = err;
      // Tasks run concurrently; each case has at most one error, so the
      // first error is well defined.
    }
    EXPECT_EQ(g.Wait(), first);
    EXPECT_FALSE(g.context().Done());  // The zero group has no context.
  }
}

TEST(XSyncSuite, WithContext) {
  const std::vector<std::vector<absl::Status>> cases = {
      {}, {absl::OkStatus()}, {kDoom}, {absl::OkStatus(), kDoom}};
  for (const auto& errs : cases) {
    auto [g, ctx] = WithContext(Context::Background());
    absl::Status want;
    for (const absl::Status& err : errs) {
      g->Go([err] { return err; });
      if (!err.ok()) want = err;
    }
    EXPECT_EQ(g->Wait(), want);
    EXPECT_TRUE(ctx.Done()) << "Wait must cancel the derived context";
  }
}

TEST(XSyncSuite, CancelCause) {
  {
    Group g(Context::Background());
    g.Go([] { return kDoom; });
    EXPECT_EQ(g.Wait(), kDoom);
    EXPECT_EQ(g.context().Cause(), kDoom);
    EXPECT_TRUE(absl::IsCancelled(g.context().Err()));
  }
  {
    Group g(Context::Background());
    g.Go([] {});
    EXPECT_TRUE(g.Wait().ok());
    EXPECT_TRUE(absl::IsCancelled(g.context().Cause()));
  }
}

TEST(XSyncSuite, GoLimitIsNeverExceeded) {
  constexpr int kLimit = 10;
  Group g;
  ASSERT_TRUE(g.SetLimit(kLimit).ok());
  testutil::PeakCounter concurrency;
  std::atomic<int> ran{0};
  for (int i = 0; i < 1025; ++i) {
    g.Go([&] {
      concurrency.Enter();
      std::this_thread::yield();
      concurrency.Exit();
      ran.fetch_add(1);
    });
  }
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(ran.load(), 1025);
  EXPECT_LE(concurrency.peak(), kLimit);
  EXPECT_GE(concurrency.peak(), 1);
}

TEST(XSyncSuite, TryGo) {
  Group g;
  constexpr int kLimit = 42;
  ASSERT_TRUE(g.SetLimit(kLimit).ok());
  absl::BlockingCounter started(kLimit);
  absl::Notification release;
  for (int i = 0; i < kLimit; ++i) {
    ASSERT_TRUE(g.TryGo([&] {
      started.DecrementCount();
      release.WaitForNotification();
    }));
  }
  started.Wait();
  bool ran_extra = false;
  EXPECT_FALSE(g.TryGo([&] { ran_extra = true; }))
      << "TryGo must fail when the limit is reached";
  release.Notify();
  ASSERT_TRUE(g.Wait().ok());
  EXPECT_FALSE(ran_extra);

  ASSERT_TRUE(g.SetLimit(1).ok());
  absl::Notification one_started, one_release;
  ASSERT_TRUE(g.TryGo([&] {
    one_started.Notify();
    one_release.WaitForNotification();
  }));
  one_started.WaitForNotification();
  EXPECT_FALSE(g.TryGo([] {}));
  one_release.Notify();
  ASSERT_TRUE(g.Wait().ok());

  ASSERT_TRUE(g.SetLimit(0).ok());
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(g.TryGo([] {}));
}

TEST(XSyncSuite, SetLimitZeroIsABarrier) {
  Group g;
  ASSERT_TRUE(g.SetLimit(0).ok());
  absl::Notification ran;
  std::thread submitter([&] { g.Go([&] { ran.Notify(); }); });
  // Negative check: nothing may run through the barrier.
  EXPECT_FALSE(ran.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  ASSERT_TRUE(g.SetLimit(1).ok());  // A blocked Go is not an active task.
  ran.WaitForNotification();
  submitter.join();
  EXPECT_TRUE(g.Wait().ok());
}

// x/sync bug: SetLimit while unlimited tasks run made Wait hang. Here the
// change is refused and Wait returns.
TEST(XSyncFix, SetLimitWhileTasksRunIsRefusedAndWaitReturns) {
  Group g;
  absl::BlockingCounter started(3);
  absl::Notification release;
  for (int i = 0; i < 3; ++i) {
    g.Go([&] {
      started.DecrementCount();
      release.WaitForNotification();
    });
  }
  started.Wait();
  absl::Status status = g.SetLimit(1);
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_NE(status.message().find("SetLimit(1)"), absl::string_view::npos);
  release.Notify();
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_TRUE(g.SetLimit(1).ok());
}

// --- kratos suite and fixes --------------------------------------------------

// kratos started queued tasks only at Wait; ours start as a slot frees.
TEST(KratosFix, QueuedTaskStartsWhenASlotFreesLongBeforeWait) {
  constexpr int kLimit = 2;
  Group g(Context::Background(), {.limit = kLimit, .queue_size = kUnbounded});
  absl::BlockingCounter first_started(kLimit);
  absl::Notification release_first;
  for (int i = 0; i < kLimit; ++i) {
    g.Go([&] {
      first_started.DecrementCount();
      release_first.WaitForNotification();
    });
  }
  first_started.Wait();
  std::vector<absl::Notification> later(2 * kLimit + 1);
  for (auto& started : later) {
    g.Go([&started] { started.Notify(); });  // Queued: Go must not block.
  }
  release_first.Notify();
  // Task 2n+1 starts with no Wait in sight.
  for (auto& started : later) started.WaitForNotification();
  EXPECT_TRUE(g.Wait().ok());
}

TEST(KratosFix, ConcurrentGoFromEightThreadsLosesNothing) {
  constexpr int kThreads = 8;
  constexpr int kTasks = 10000;
  Group g(Context::Background(), {.limit = 1, .queue_size = kUnbounded});
  std::atomic<int> ran{0};
  testutil::PeakCounter concurrency;
  std::vector<std::thread> submitters;
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([&] {
      for (int i = 0; i < kTasks / kThreads; ++i) {
        g.Go([&] {
          concurrency.Enter();
          ran.fetch_add(1);
          concurrency.Exit();
        });
      }
    });
  }
  for (auto& s : submitters) s.join();
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(ran.load(), kTasks);
  EXPECT_EQ(concurrency.peak(), 1);
}

TEST(KratosSuite, WithCancelCancelsOnFirstError) {
  Group g(Context::Background());
  absl::Notification cancelled;
  g.Go([&](const Context& ctx) {
    ctx.Wait();
    cancelled.Notify();
  });
  g.Go([] { return kDoom; });
  EXPECT_EQ(g.Wait(), kDoom);
  EXPECT_TRUE(cancelled.HasBeenNotified());
}

TEST(KratosFix, SecondWaitAndGoAfterWait) {
  Group g(Context::Background(), {.limit = 2, .queue_size = kUnbounded});
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) g.Go([&] { ran.fetch_add(1); });
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_TRUE(g.Wait().ok());
  for (int i = 0; i < 5; ++i) g.Go([&] { ran.fetch_add(1); });
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(ran.load(), 10);
}

TEST(KratosFix, TaskCallingGoOnItsOwnFullGroupDuringWaitDoesNotDeadlock) {
  Group g(Context::Background(), {.limit = 1});  // No queue: Go would block.
  absl::Notification wait_about_to_start;
  std::atomic<int> nested_ran{0};
  g.Go([&] {
    wait_about_to_start.WaitForNotification();
    for (int i = 0; i < 3; ++i) g.Go([&] { nested_ran.fetch_add(1); });
  });
  wait_about_to_start.Notify();
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(nested_ran.load(), 3);
}

TEST(Group, ManyThreadsMayWaitAndAllGetTheSameAnswer) {
  Group g(Context::Background());
  absl::Notification release;
  g.Go([&] {
    release.WaitForNotification();
    return kDoom;
  });
  std::vector<absl::Status> answers(4);
  std::vector<std::thread> waiters;
  for (auto& answer : answers) {
    waiters.emplace_back([&g, &answer] { answer = g.Wait(); });
  }
  release.Notify();
  for (auto& w : waiters) w.join();
  for (const auto& answer : answers) EXPECT_EQ(answer, kDoom);
}

// --- neilotoole suite and fixes ---------------------------------------------

// neilotoole's pool lost a worker per failing task, so queued tasks were
// dropped and a full queue deadlocked.
TEST(NeilotooleFix, FailingTaskNeverDropsQueuedTasks) {
  for (int run = 0; run < 2000; ++run) {
    auto [g, ctx] = WithContextN(Context::Background(), 1, 1);
    std::atomic<int> ran{0};
    const absl::Status fourth = absl::AbortedError("task 4 failed");
    for (int i = 1; i <= 7; ++i) {
      g->Go([&, i]() -> absl::Status {
        ran.fetch_add(1);
        return i == 4 ? fourth : absl::OkStatus();
      });
    }
    ASSERT_EQ(g->Wait(), fourth) << "run " << run;
    ASSERT_EQ(ran.load(), 7) << "run " << run;
  }
}

TEST(NeilotooleSuite, EquivalentToErrgroupAndReusableAfterWait) {
  for (int workers : {1, 2, 16}) {
    auto [g, ctx] = WithContextN(Context::Background(), workers, 0);
    for (int round = 0; round < 3; ++round) {
      std::atomic<int> sum{0};
      for (int i = 1; i <= 100; ++i) g->Go([&, i] { sum.fetch_add(i); });
      EXPECT_TRUE(g->Wait().ok());
      EXPECT_EQ(sum.load(), 5050);
    }
  }
}

TEST(NeilotooleSuite, DefaultsApplyForNonPositiveSizes) {
  auto [g, ctx] = WithContextN(Context::Background(), 0, -5);
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) g->Go([&] { ran.fetch_add(1); });
  EXPECT_TRUE(g->Wait().ok());
  EXPECT_EQ(ran.load(), 100);
}

// --- facebookgo suite --------------------------------------------------------

TEST(FacebookgoSuite, OneErrorIsReturnedUnchanged) {
  WaitGroup wg;
  ASSERT_TRUE(wg.Add(1).ok());
  std::thread t([&] {
    ASSERT_TRUE(wg.Error(kDoom).ok());
    ASSERT_TRUE(wg.Done().ok());
  });
  EXPECT_EQ(wg.Wait(), kDoom);
  t.join();
}

TEST(FacebookgoSuite, TwoErrorsAreJoinedInCallOrder) {
  WaitGroup wg;
  ASSERT_TRUE(wg.Error(absl::NotFoundError("first")).ok());
  ASSERT_TRUE(wg.Error(absl::InternalError("second")).ok());
  absl::Status status = wg.Wait();
  EXPECT_TRUE(absl::IsNotFound(status));
  EXPECT_EQ(status.message(), "2 error(s) occurred: [0] {first}, [1] {second}");
  std::vector<absl::Status> parts = SplitErrors(status);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], absl::NotFoundError("first"));
  EXPECT_EQ(parts[1], absl::InternalError("second"));
}

TEST(FacebookgoSuite, ErrorWithOkStatusIsRejected) {
  WaitGroup wg;
  EXPECT_TRUE(absl::IsInvalidArgument(wg.Error(absl::OkStatus())));
  EXPECT_TRUE(wg.Wait().ok());
}

TEST(FacebookgoSuite, MoreDoneThanAddIsAnErrorNotACrash) {
  WaitGroup wg;
  EXPECT_TRUE(absl::IsFailedPrecondition(wg.Done()));
  EXPECT_TRUE(wg.Wait().ok());
}

TEST(JoinErrors, OkAndSplitRoundTrip) {
  EXPECT_TRUE(JoinErrors({}).ok());
  EXPECT_TRUE(JoinErrors({absl::OkStatus(), absl::OkStatus()}).ok());
  EXPECT_TRUE(SplitErrors(absl::OkStatus()).empty());
  absl::Status single = absl::UnavailableError("x");
  EXPECT_EQ(SplitErrors(single), std::vector<absl::Status>{single});
  absl::Status joined = JoinErrors({absl::OkStatus(), single});
  EXPECT_EQ(joined.message(), "1 error(s) occurred: [0] {x}");
  absl::Status copy = joined;
  EXPECT_EQ(SplitErrors(copy), std::vector<absl::Status>{single});
}

// --- every error, exceptions, lifetime ---------------------------------------

TEST(Group, ErrorsListsEveryFailureFirstBeingTheCause) {
  Group g(Context::Background());
  g.Go([] { return absl::NotFoundError("one"); });
  // Fails only once the first failure has cancelled the context, which the
  // group does after recording it: a deterministic completion order.
  g.Go([](const Context& ctx) {
    ctx.Wait();
    return absl::InternalError("two");
  });
  EXPECT_EQ(g.Wait(), absl::NotFoundError("one"));
  std::vector<absl::Status> errors = g.Errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], absl::NotFoundError("one"));
  EXPECT_EQ(errors[1], absl::InternalError("two"));
  EXPECT_EQ(errors[0], g.context().Cause());
}

#ifdef ABSL_HAVE_EXCEPTIONS
TEST(Group, ThrowingTaskCancelsAndWaitRethrows) {
  Group g(Context::Background());
  absl::Notification sibling_saw_cancel;
  g.Go([&](const Context& ctx) {
    ctx.Wait();
    sibling_saw_cancel.Notify();
  });
  g.Go([]() -> absl::Status { throw std::runtime_error("kaboom"); });
  EXPECT_THROW(
      {
        try {
          (void)g.Wait();
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "kaboom");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_TRUE(sibling_saw_cancel.HasBeenNotified());
  absl::Status cause = g.context().Cause();
  EXPECT_TRUE(absl::IsUnknown(cause));
  EXPECT_EQ(cause.message(), "task threw std::runtime_error: kaboom");
}

TEST(Group, SeveralThrowingTasksRethrowExactlyOneAndCountAll) {
  Group g;
  for (int i = 0; i < 5; ++i) {
    g.Go([i] { throw std::logic_error(absl::StrCat("bad ", i)); });
  }
  g.Go([] { return kDoom; });
  int caught = 0;
  try {
    (void)g.Wait();
  } catch (const std::logic_error&) {
    ++caught;
  }
  EXPECT_EQ(caught, 1);
  std::vector<absl::Status> errors = g.Errors();
  EXPECT_EQ(errors.size(), 6u);
  EXPECT_EQ(
      std::count_if(errors.begin(), errors.end(),
                    [](const absl::Status& s) { return absl::IsUnknown(s); }),
      5);
}

TEST(Group, NonStdExceptionIsNamed) {
  Group g(Context::Background());
  g.Go([] { throw 7; });
  EXPECT_THROW((void)g.Wait(), int);
  EXPECT_EQ(g.context().Cause().message(),
            "task threw int: (not a std::exception)");
}
#endif  // ABSL_HAVE_EXCEPTIONS

TEST(Group, DestroyWithoutWaitCancelsAndWaits) {
  std::atomic<bool> task_saw_cancel{false};
  std::atomic<bool> task_finished{false};
  absl::Notification started;
  {
    Group g(Context::Background());
    g.Go([&](const Context& ctx) {
      started.Notify();
      ctx.Wait();
      task_saw_cancel = ctx.Done();
      task_finished = true;
    });
    started.WaitForNotification();
  }
  EXPECT_TRUE(task_finished.load());
  EXPECT_TRUE(task_saw_cancel.load());
}

// Go's guarantee: every task starts without waiting for another to finish,
// so tasks that all wait for each other complete — before anyone calls Wait.
TEST(Group, TasksWaitingForEachOtherAllStartWithoutWait) {
  const int tasks = testutil::ThreadHeavyTasks(500);
  testutil::Rendezvous all_started(tasks);
  Group g;
  for (int i = 0; i < tasks; ++i) {
    g.Go([&] { all_started.ArriveAndWait(); });
  }
  all_started.WaitForAll();
  EXPECT_TRUE(g.Wait().ok());
}

// Caller runs: while it waits, Wait runs tasks no worker has picked up yet,
// on its own thread. Here no worker ever comes before Wait returns.
TEST(Group, WaitRunsTasksNoWorkerHasTakenYet) {
  testutil::HeldExecutor held;
  std::vector<std::thread::id> ran_on;
  {
    Group g(Context::Background(), {.executor = &held});
    for (int i = 0; i < 3; ++i) {
      g.Go([&] { ran_on.push_back(std::this_thread::get_id()); });
    }
    EXPECT_TRUE(g.Wait().ok());
    EXPECT_EQ(ran_on.size(), 3u);
    for (std::thread::id id : ran_on) EXPECT_EQ(id, std::this_thread::get_id());
  }
  // The helpers asked for arrive after the group is gone: they hold no
  // reference to it that could dangle, and find nothing to run.
  EXPECT_GE(held.RunHeld(), 1);
  EXPECT_EQ(ran_on.size(), 3u);
}

// A helper that does come runs every ready task, not only "its" one.
TEST(Group, OneHelperRunsEveryReadyTask) {
  testutil::HeldExecutor held;
  std::atomic<int> ran{0};
  Group g(Context::Background(), {.executor = &held});
  for (int i = 0; i < 5; ++i) g.Go([&] { ran.fetch_add(1); });
  EXPECT_EQ(held.RunHeld(), 1);  // One burst, one helper.
  EXPECT_EQ(ran.load(), 5);
  EXPECT_TRUE(g.Wait().ok());
}

TEST(Group, TaskClosuresAreDestroyedBeforeWaitReturns) {
  auto sentinel = std::make_shared<int>(0);
  Group g(Context::Background(), {.limit = 2, .queue_size = kUnbounded});
  for (int i = 0; i < 50; ++i) g.Go([sentinel] {});
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_EQ(sentinel.use_count(), 1);
}

TEST(Group, ParentCancellationReachesTasks) {
  auto [parent, cancel] = WithCancel(Context::Background());
  Group g(parent);
  g.Go([](const Context& ctx) { ctx.Wait(); });
  cancel();
  EXPECT_TRUE(g.Wait().ok());
  EXPECT_TRUE(g.context().Done());
}

TEST(Group, BoundedQueueBlocksGoUntilRoom) {
  Group g(Context::Background(), {.limit = 1, .queue_size = 1});
  absl::Notification release;
  g.Go([&] { release.WaitForNotification(); });  // Runs.
  g.Go([] {});                                   // Queued.
  absl::Notification third_submitted;
  std::thread submitter([&] {
    g.Go([] {});  // Must block: slot and queue full.
    third_submitted.Notify();
  });
  EXPECT_FALSE(
      third_submitted.WaitForNotificationWithTimeout(absl::Milliseconds(50)));
  release.Notify();
  third_submitted.WaitForNotification();
  submitter.join();
  EXPECT_TRUE(g.Wait().ok());
}

// --- the errgroup documentation's MD5All pipeline ---------------------------

// A bounded, closable channel for the pipeline.
template <typename T>
class Channel {
 public:
  explicit Channel(size_t capacity) : capacity_(capacity) {}
  // False if the context ended first.
  bool Send(const Context& ctx, T value) {
    absl::MutexLock lock(&mu_);
    while (items_.size() >= capacity_) {
      if (ctx.Done()) return false;
      mu_.AwaitWithTimeout(absl::Condition(this, &Channel::HasRoom),
                           absl::Milliseconds(5));
    }
    items_.push_back(std::move(value));
    return true;
  }
  std::optional<T> Receive() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &Channel::Ready));
    if (items_.empty()) return std::nullopt;
    T value = std::move(items_.front());
    items_.erase(items_.begin());
    return value;
  }
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

 private:
  bool HasRoom() const { return items_.size() < capacity_; }
  bool Ready() const { return closed_ || !items_.empty(); }

  absl::Mutex mu_;
  const size_t capacity_;
  std::vector<T> items_;
  bool closed_ = false;
};

// FNV-1a: the pipeline's concurrency is the subject, not the digest.
uint64_t Digest(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  uint64_t hash = 1469598103934665603ull;
  char c;
  while (in.get(c)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

absl::StatusOr<std::map<std::string, uint64_t>> DigestAll(
    const Context& parent, const std::filesystem::path& root) {
  Group g(parent);
  Channel<std::filesystem::path> paths(16);
  g.Go([&](const Context& ctx) -> absl::Status {
    std::error_code error;
    for (auto it = std::filesystem::recursive_directory_iterator(root, error);
         !error && it != std::filesystem::recursive_directory_iterator();
         it.increment(error)) {
      if (!it->is_regular_file()) continue;
      if (!paths.Send(ctx, it->path())) break;
    }
    paths.Close();
    if (error) return absl::NotFoundError(error.message());
    return ctx.Err();
  });
  absl::Mutex mu;
  std::map<std::string, uint64_t> digests;
  constexpr int kDigesters = 20;
  for (int i = 0; i < kDigesters; ++i) {
    g.Go([&](const Context& ctx) -> absl::Status {
      while (std::optional<std::filesystem::path> path = paths.Receive()) {
        const uint64_t digest = Digest(*path);
        absl::MutexLock lock(&mu);
        digests[path->string()] = digest;
        if (ctx.Done()) return ctx.Err();
      }
      return absl::OkStatus();
    });
  }
  if (absl::Status status = g.Wait(); !status.ok()) return status;
  return digests;
}

TEST(Pipeline, DigestAllMatchesSerialComputation) {
  const std::filesystem::path root =
      std::filesystem::path(::testing::TempDir()) / "md5all_tree";
  std::filesystem::remove_all(root);
  for (int d = 0; d < 8; ++d) {
    const auto dir = root / absl::StrCat("dir", d) / absl::StrCat("sub", d % 3);
    std::filesystem::create_directories(dir);
    for (int f = 0; f < 12; ++f) {
      std::ofstream(dir / absl::StrCat("file", f, ".txt"))
          << std::string(100 + 37 * f * d, static_cast<char>('a' + f));
    }
  }
  absl::StatusOr<std::map<std::string, uint64_t>> concurrent =
      DigestAll(Context::Background(), root);
  ASSERT_TRUE(concurrent.ok()) << concurrent.status();
  std::map<std::string, uint64_t> serial;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      serial[entry.path().string()] = Digest(entry.path());
    }
  }
  EXPECT_EQ(serial.size(), 96u);
  EXPECT_EQ(*concurrent, serial);

  EXPECT_FALSE(DigestAll(Context::Background(), root / "missing").ok());
  auto [cancelled, cancel] = WithCancel(Context::Background());
  cancel();
  EXPECT_TRUE(absl::IsCancelled(DigestAll(cancelled, root).status()));
}

}  // namespace
}  // namespace errgroup
}  // namespace xsync
