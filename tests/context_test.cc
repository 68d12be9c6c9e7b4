// Copyright 2026 The xsync Authors.

#include "xsync/context/context.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "xsync/internal/timer_heap.h"

namespace xsync {
namespace {

using ::xsync::InlineExecutor;
using ::xsync::internal::LinkedListenerCountForTesting;

const ContextKey<std::string> kUser("user");
const ContextKey<std::string> kOtherStringKey("other");
const ContextKey<int> kAttempt("attempt");

TEST(ContextTest, BackgroundIsNeverDone) {
  Context ctx = Context::Background();
  EXPECT_FALSE(ctx.Done());
  EXPECT_TRUE(ctx.Err().ok());
  EXPECT_TRUE(ctx.Cause().ok());
  EXPECT_FALSE(ctx.Deadline().has_value());
  EXPECT_FALSE(ctx.WaitFor(absl::Milliseconds(1)));
  EXPECT_EQ(ctx.Value(kUser), nullptr);
}

TEST(ContextTest, CancelMakesDoneWithCanceledError) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  EXPECT_FALSE(ctx.Done());
  EXPECT_TRUE(ctx.Err().ok());
  cancel();
  EXPECT_TRUE(ctx.Done());
  EXPECT_TRUE(absl::IsCancelled(ctx.Err()));
  EXPECT_EQ(ctx.Err().message(), "context canceled");
  EXPECT_EQ(ctx.Cause(), ctx.Err());
  EXPECT_TRUE(ctx.WaitFor(absl::ZeroDuration()));
  ctx.Wait();
  cancel();  // Idempotent.
  EXPECT_TRUE(absl::IsCancelled(ctx.Err()));
}

TEST(ContextTest, CausePropagatesThroughThreeLevels) {
  auto [root, cancel_root] = WithCancelCause(Context::Background());
  auto [mid, cancel_mid] = WithCancel(root);
  auto [leaf, cancel_leaf] = WithCancelCause(mid);
  const absl::Status cause = absl::UnavailableError("backend went away");
  cancel_root(cause);
  for (const Context* ctx : {&root, &mid, &leaf}) {
    EXPECT_TRUE(ctx->Done());
    EXPECT_TRUE(absl::IsCancelled(ctx->Err()));
    EXPECT_EQ(ctx->Cause(), cause);
  }
  cancel_leaf(absl::InternalError("too late"));  // First cause wins.
  EXPECT_EQ(leaf.Cause(), cause);
}

TEST(ContextTest, OkCauseMeansNoCause) {
  auto [ctx, cancel] = WithCancelCause(Context::Background());
  cancel(absl::OkStatus());
  EXPECT_TRUE(absl::IsCancelled(ctx.Cause()));
}

TEST(ContextTest, CancellingAChildLeavesTheParentAlone) {
  auto [parent, cancel_parent] = WithCancel(Context::Background());
  auto [child, cancel_child] = WithCancel(parent);
  cancel_child();
  EXPECT_TRUE(child.Done());
  EXPECT_FALSE(parent.Done());
  EXPECT_EQ(LinkedListenerCountForTesting(parent), 0u);
}

TEST(ContextTest, ChildOfADoneParentIsBornDone) {
  auto [parent, cancel] = WithCancelCause(Context::Background());
  cancel(absl::AbortedError("gone"));
  auto [child, unused] = WithCancel(parent);
  EXPECT_TRUE(child.Done());
  EXPECT_EQ(child.Cause(), absl::AbortedError("gone"));
  EXPECT_EQ(LinkedListenerCountForTesting(parent), 0u);
}

TEST(ContextTest, TimeoutExpiresWithDeadlineExceeded) {
  const absl::Time before = absl::Now();
  auto [ctx, cancel] =
      WithTimeout(Context::Background(), absl::Milliseconds(20));
  ASSERT_TRUE(ctx.Deadline().has_value());
  EXPECT_GE(*ctx.Deadline(), before + absl::Milliseconds(20));
  ctx.Wait();
  EXPECT_GE(absl::Now(), *ctx.Deadline());
  EXPECT_TRUE(absl::IsDeadlineExceeded(ctx.Err()));
  EXPECT_EQ(ctx.Err().message(), "context deadline exceeded");
  EXPECT_EQ(ctx.Cause(), ctx.Err());
}

TEST(ContextTest, PastDeadlineIsDoneAtOnce) {
  auto [ctx, cancel] =
      WithDeadline(Context::Background(), absl::Now() - absl::Seconds(1));
  EXPECT_TRUE(ctx.Done());
  EXPECT_TRUE(absl::IsDeadlineExceeded(ctx.Err()));
}

TEST(ContextTest, ChildDeadlineIsCappedByParent) {
  auto [parent, cancel_parent] =
      WithTimeout(Context::Background(), absl::Milliseconds(30));
  auto [child, cancel_child] = WithTimeout(parent, absl::Hours(1));
  EXPECT_EQ(child.Deadline(), parent.Deadline());
  child.Wait();
  EXPECT_TRUE(absl::IsDeadlineExceeded(child.Err()));
}

TEST(ContextTest, EarlierChildDeadlineIsKept) {
  auto [parent, cancel_parent] =
      WithTimeout(Context::Background(), absl::Hours(1));
  auto [child, cancel_child] = WithTimeout(parent, absl::Milliseconds(10));
  EXPECT_LT(*child.Deadline(), *parent.Deadline());
  child.Wait();
  EXPECT_TRUE(absl::IsDeadlineExceeded(child.Err()));
  EXPECT_FALSE(parent.Done());
}

TEST(ContextTest, EarlyCancelRemovesTheTimerEntry) {
  const size_t before = internal::TimerHeap::Default().size();
  {
    auto [ctx, cancel] = WithTimeout(Context::Background(), absl::Hours(1));
    EXPECT_EQ(internal::TimerHeap::Default().size(), before + 1);
    cancel();
    EXPECT_EQ(internal::TimerHeap::Default().size(), before);
  }
  {
    auto dropped = WithTimeout(Context::Background(), absl::Hours(1));
    EXPECT_EQ(internal::TimerHeap::Default().size(), before + 1);
  }
  EXPECT_EQ(internal::TimerHeap::Default().size(), before);
}

TEST(ContextTest, WithoutCancelKeepsValuesButNeverEnds) {
  auto [parent, cancel] = WithTimeout(
      WithValue(Context::Background(), kUser, "ada"), absl::Hours(1));
  Context detached = WithoutCancel(parent);
  cancel();
  EXPECT_TRUE(parent.Done());
  EXPECT_FALSE(detached.Done());
  EXPECT_FALSE(detached.Deadline().has_value());
  ASSERT_NE(detached.Value(kUser), nullptr);
  EXPECT_EQ(*detached.Value(kUser), "ada");
  auto [child, cancel_child] = WithCancel(detached);
  EXPECT_FALSE(child.Done());
}

TEST(ContextTest, ValuesAreTypedAndShadowed) {
  Context a = WithValue(Context::Background(), kUser, "ada");
  Context b = WithValue(a, kAttempt, 3);
  Context c = WithValue(b, kUser, std::string("grace"));
  auto [d, cancel] = WithCancel(c);
  ASSERT_NE(d.Value(kUser), nullptr);
  EXPECT_EQ(*d.Value(kUser), "grace");
  EXPECT_EQ(*d.Value(kAttempt), 3);
  EXPECT_EQ(*b.Value(kUser), "ada");
  EXPECT_EQ(a.Value(kAttempt), nullptr);
  EXPECT_EQ(d.Value(kOtherStringKey), nullptr);  // Same type, other key.
  cancel();
  EXPECT_EQ(*d.Value(kUser), "grace");  // Values outlive cancellation.
}

TEST(ContextTest, CancelHappensBeforeObservedDone) {
  for (int i = 0; i < 200; ++i) {
    auto [ctx, cancel] = WithCancel(Context::Background());
    int payload = 0;  // Plain int: TSAN checks the ordering.
    std::thread reader([&, ctx = ctx] {
      ctx.Wait();
      EXPECT_EQ(payload, 42);
    });
    payload = 42;
    cancel();
    reader.join();
  }
}

TEST(ContextTest, ManyWaitersAreAllWoken) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  constexpr int kWaiters = 16;
  absl::BlockingCounter woken(kWaiters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWaiters; ++i) {
    threads.emplace_back([&, ctx = ctx] {
      ctx.Wait();
      woken.DecrementCount();
    });
  }
  cancel();
  woken.Wait();
  for (auto& t : threads) t.join();
}

TEST(ContextTest, AfterFuncRunsOnCancel) {
  InlineExecutor inline_executor;
  auto [ctx, cancel] = WithCancel(Context::Background());
  int runs = 0;
  AfterFuncHandle handle = AfterFunc(
      ctx, [&] { ++runs; }, &inline_executor);
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(LinkedListenerCountForTesting(ctx), 1u);
  cancel();
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(handle.Stop());
  cancel();
  EXPECT_EQ(runs, 1);
}

TEST(ContextTest, AfterFuncOnADoneContextRunsAtOnce) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  cancel();
  absl::Notification ran;
  AfterFuncHandle handle = AfterFunc(ctx, [&] { ran.Notify(); });
  ran.WaitForNotification();  // On the default executor.
  EXPECT_FALSE(handle.Stop());
}

TEST(ContextTest, StoppedAfterFuncNeverRuns) {
  InlineExecutor inline_executor;
  auto [ctx, cancel] = WithCancel(Context::Background());
  bool ran = false;
  AfterFuncHandle handle = AfterFunc(
      ctx, [&] { ran = true; }, &inline_executor);
  EXPECT_TRUE(handle.Stop());
  EXPECT_FALSE(handle.Stop());
  EXPECT_EQ(LinkedListenerCountForTesting(ctx), 0u);
  cancel();
  EXPECT_FALSE(ran);
}

TEST(ContextTest, AfterFuncOnBackgroundNeverRuns) {
  AfterFuncHandle handle = AfterFunc(Context::Background(), [] { FAIL(); });
  EXPECT_TRUE(handle.Stop());
  EXPECT_FALSE(handle.Stop());
}

TEST(ContextTest, AfterFuncOutlivesItsDroppedHandle) {
  InlineExecutor inline_executor;
  auto [ctx, cancel] = WithCancel(Context::Background());
  int runs = 0;
  AfterFunc(
      ctx, [&] { ++runs; }, &inline_executor);  // Handle dropped.
  cancel();
  EXPECT_EQ(runs, 1);
}

TEST(ContextTest, StopRacingCancelYieldsExactlyOneOutcome) {
  InlineExecutor inline_executor;
  constexpr int kRounds = 2000;
  for (int i = 0; i < kRounds; ++i) {
    auto [ctx, cancel] = WithCancel(Context::Background());
    std::atomic<int> ran{0};
    AfterFuncHandle handle = AfterFunc(
        ctx, [&] { ran.fetch_add(1); }, &inline_executor);
    bool stopped = false;
    absl::Notification go;
    std::thread canceller([&, cancel = cancel] {
      go.WaitForNotification();
      cancel();
    });
    go.Notify();
    stopped = handle.Stop();
    canceller.join();
    ASSERT_EQ(ran.load() + (stopped ? 1 : 0), 1) << "round " << i;
  }
}

TEST(ContextTest, TenThousandChildrenCancelledConcurrentlyWithTheirOwn) {
  auto [parent, cancel_parent] = WithCancel(Context::Background());
  constexpr int kChildren = 10000;
  std::vector<ContextAndCancel> children;
  children.reserve(kChildren);
  for (int i = 0; i < kChildren; ++i) children.push_back(WithCancel(parent));
  EXPECT_EQ(LinkedListenerCountForTesting(parent), size_t{kChildren});
  absl::Notification go;
  std::thread own_a([&] {
    go.WaitForNotification();
    for (int i = 0; i < kChildren; i += 2) children[i].cancel();
  });
  std::thread own_b([&] {
    go.WaitForNotification();
    for (int i = kChildren - 1; i >= 0; i -= 2) children[i].cancel();
  });
  go.Notify();
  cancel_parent();
  own_a.join();
  own_b.join();
  for (const auto& child : children) EXPECT_TRUE(child.ctx.Done());
  EXPECT_EQ(LinkedListenerCountForTesting(parent), 0u);
}

// A child destroyed while its parent is cancelling it must not be freed
// under the parent's feet (ASan and TSAN check); some children cancel
// themselves first, taking the destructor's short path.
TEST(ContextTest, ChildrenDestroyedWhileTheParentCancelsThem) {
  const int rounds = testutil::StressSize(200, 50);
  for (int round = 0; round < rounds; ++round) {
    auto [parent, cancel_parent] = WithCancel(Context::Background());
    constexpr int kChildren = 200;
    std::vector<ContextAndCancel> children;
    children.reserve(kChildren);
    for (int i = 0; i < kChildren; ++i) children.push_back(WithCancel(parent));
    for (int i = 0; i < kChildren; i += 3) children[i].cancel();
    absl::Notification go;
    std::thread destroyer([&] {
      go.WaitForNotification();
      children.clear();
    });
    go.Notify();
    cancel_parent();
    destroyer.join();
    EXPECT_EQ(LinkedListenerCountForTesting(parent), 0u);
  }
}

TEST(ContextTest, ParentDroppedWhileChildrenLive) {
  ContextAndCancel child;
  CancelFunc cancel_parent;
  {
    auto [parent, cancel] =
        WithCancel(WithValue(Context::Background(), kUser, "ada"));
    child = WithCancel(parent);
    cancel_parent = cancel;
  }  // Every parent context handle is gone; the child keeps the state alive.
  EXPECT_FALSE(child.ctx.Done());
  EXPECT_EQ(*child.ctx.Value(kUser), "ada");
  cancel_parent();
  EXPECT_TRUE(child.ctx.Done());
  // And with nothing of the parent left at all, the child still works.
  ContextAndCancel orphan;
  {
    auto [parent, cancel] = WithCancel(Context::Background());
    orphan = WithCancel(parent);
  }
  EXPECT_FALSE(orphan.ctx.Done());
  orphan.cancel();
  EXPECT_TRUE(orphan.ctx.Done());
}

TEST(ContextTest, NoChildEntryLeaksOverAMillionCycles) {
  auto [root, cancel_root] = WithCancel(Context::Background());
  constexpr int kCycles = 1000000;
  for (int i = 0; i < kCycles; ++i) {
    if (i % 2 == 0) {
      auto [child, cancel] = WithCancel(root);
      cancel();
    } else {
      WithCancel(root);  // Dropped without cancel: unlinks itself.
    }
  }
  EXPECT_EQ(LinkedListenerCountForTesting(root), 0u);
}

TEST(ContextTest, CancelFromManyThreadsIsSafe) {
  for (int round = 0; round < 100; ++round) {
    auto [ctx, cancel] = WithCancelCause(Context::Background());
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i, cancel = cancel] {
        cancel(absl::InternalError(std::to_string(i)));
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_TRUE(absl::IsInternal(ctx.Cause()));
  }
}

}  // namespace
}  // namespace xsync
