// Copyright 2026 The xsync Authors.

#include "xsync/internal/timer_heap.h"

#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace xsync {
namespace internal {
namespace {

TEST(TimerHeapTest, RunsDueEntriesInDeadlineOrderFifoOnTies) {
  absl::Mutex mu;
  std::vector<int> order;
  absl::BlockingCounter done(6);
  absl::Notification release;
  absl::Notification blocker_started;
  // Declared after what its callbacks use, so it stops its thread first.
  TimerHeap heap;
  const absl::Time base = absl::Now() - absl::Seconds(10);
  heap.Schedule(base - absl::Seconds(1), [&] {
    blocker_started.Notify();
    release.WaitForNotification();
  });
  blocker_started.WaitForNotification();

  const int offsets[] = {5, 1, 3, 3, 0, 2};  // Two ties at 3: FIFO.
  for (int i = 0; i < 6; ++i) {
    heap.Schedule(base + absl::Milliseconds(offsets[i]), [&, i] {
      {
        absl::MutexLock lock(&mu);
        order.push_back(i);
      }
      done.DecrementCount();
    });
  }
  release.Notify();
  done.Wait();
  EXPECT_EQ(order, (std::vector<int>{4, 1, 5, 2, 3, 0}));
}

TEST(TimerHeapTest, FiresNoEarlierThanItsTime) {
  absl::Notification fired;
  absl::Time fired_at;
  TimerHeap heap;
  const absl::Time when = absl::Now() + absl::Milliseconds(20);
  heap.Schedule(when, [&] {
    fired_at = absl::Now();
    fired.Notify();
  });
  fired.WaitForNotification();
  EXPECT_GE(fired_at, when);
}

#ifdef __linux__
TEST(TimerHeapTest, TimerThreadIsNamed) {
  absl::Notification fired;
  char name[16] = {};
  TimerHeap heap;
  heap.Schedule(absl::InfinitePast(), [&] {
    pthread_getname_np(pthread_self(), name, sizeof(name));
    fired.Notify();
  });
  fired.WaitForNotification();
  EXPECT_STREQ(name, "xsync-timer");
}
#endif

TEST(TimerHeapTest, CancelPreventsTheRunExactlyOnce) {
  TimerHeap heap;
  bool ran = false;
  TimerHandle handle =
      heap.Schedule(absl::Now() + absl::Hours(1), [&] { ran = true; });
  EXPECT_EQ(heap.size(), 1u);
  EXPECT_TRUE(heap.Cancel(handle));
  EXPECT_FALSE(heap.Cancel(handle));
  EXPECT_FALSE(heap.Cancel(TimerHandle{}));
  EXPECT_FALSE(heap.Cancel(TimerHandle{12345, 1}));
  EXPECT_EQ(heap.size(), 0u);
  EXPECT_FALSE(ran);
}

TEST(TimerHeapTest, StaleHandleNeverCancelsANewerTimerInTheSameSlot) {
  TimerHeap heap;
  TimerHandle old_handle = heap.Schedule(absl::Now() + absl::Hours(1), [] {});
  ASSERT_TRUE(heap.Cancel(old_handle));
  TimerHandle new_handle = heap.Schedule(absl::Now() + absl::Hours(1), [] {});
  EXPECT_EQ(new_handle.slot, old_handle.slot);  // The slot is reused...
  EXPECT_FALSE(heap.Cancel(old_handle));        // ...but not by stale handles.
  EXPECT_TRUE(heap.Cancel(new_handle));
}

TEST(TimerHeapTest, CancelAfterFiringReturnsFalse) {
  absl::Notification fired;
  TimerHeap heap;
  TimerHandle handle =
      heap.Schedule(absl::InfinitePast(), [&] { fired.Notify(); });
  fired.WaitForNotification();
  EXPECT_FALSE(heap.Cancel(handle));
}

TEST(TimerHeapTest, RandomCancelsKeepTheHeapConsistent) {
  absl::Mutex mu;
  std::vector<int> fired;
  TimerHeap heap;  // After mu and fired: stops its thread before they go.
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> ms(0, 400);
  constexpr int kTimers = 2000;
  const absl::Time base = absl::Now() + absl::Milliseconds(100);
  std::vector<TimerHandle> handles;
  std::vector<absl::Time> when(kTimers);
  for (int i = 0; i < kTimers; ++i) {
    when[i] = base + absl::Microseconds(ms(rng) * 100);
    handles.push_back(heap.Schedule(when[i], [&, i] {
      absl::MutexLock lock(&mu);
      fired.push_back(i);
    }));
  }
  std::vector<bool> cancelled(kTimers, false);
  int live = kTimers;
  for (int i = 0; i < kTimers; i += 2) {
    if (heap.Cancel(handles[i])) {
      cancelled[i] = true;
      --live;
    }
  }
  ASSERT_TRUE(heap.size() <= static_cast<size_t>(live));
  // Wait for every remaining timer.
  auto all_fired = [&] { return fired.size() == static_cast<size_t>(live); };
  absl::MutexLock lock(&mu);
  ASSERT_TRUE(
      mu.AwaitWithTimeout(absl::Condition(&all_fired), absl::Seconds(60)));
  for (size_t k = 0; k < fired.size(); ++k) {
    EXPECT_FALSE(cancelled[fired[k]]);
    if (k > 0) {
      EXPECT_LE(when[fired[k - 1]], when[fired[k]]);
    }
  }
}

TEST(TimerHeapTest, CallbacksMayScheduleAndCancel) {
  absl::Notification second_fired;
  TimerHeap heap;
  TimerHandle far = heap.Schedule(absl::Now() + absl::Hours(1), [] {});
  heap.Schedule(absl::InfinitePast(), [&] {
    EXPECT_TRUE(heap.Cancel(far));
    heap.Schedule(absl::InfinitePast(), [&] { second_fired.Notify(); });
  });
  second_fired.WaitForNotification();
  EXPECT_EQ(heap.size(), 0u);
}

TEST(TimerHeapTest, DestroyingTheHeapDropsPendingCallbacks) {
  auto counter = std::make_shared<int>(0);
  {
    TimerHeap heap;
    for (int i = 0; i < 100; ++i) {
      heap.Schedule(absl::Now() + absl::Hours(1), [counter] { ++*counter; });
    }
    EXPECT_EQ(counter.use_count(), 101);
  }
  EXPECT_EQ(counter.use_count(), 1);
  EXPECT_EQ(*counter, 0);
}

TEST(TimerHeapTest, SimulatedClockFiresOnlyWhenAdvanced) {
  SimulatedClock clock;
  absl::Mutex mu;
  std::vector<int> fired;
  absl::BlockingCounter first_two(2);
  absl::Notification third;
  TimerHeap heap(clock);
  const absl::Time t0 = clock.Now();
  auto record = [&](int v) {
    absl::MutexLock lock(&mu);
    fired.push_back(v);
  };
  heap.Schedule(t0 + absl::Seconds(2), [&] {
    record(2);
    first_two.DecrementCount();
  });
  heap.Schedule(t0 + absl::Seconds(1), [&] {
    record(1);
    first_two.DecrementCount();
  });
  TimerHandle never = heap.Schedule(t0 + absl::Seconds(3), [&] { record(99); });
  heap.Schedule(t0 + absl::Seconds(4), [&] {
    record(4);
    third.Notify();
  });
  EXPECT_EQ(heap.size(), 4u);  // Nothing fires while the clock stands still.
  clock.Advance(absl::Milliseconds(2500));
  first_two.Wait();
  EXPECT_TRUE(heap.Cancel(never));
  clock.Advance(absl::Seconds(2));
  third.WaitForNotification();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 4}));
}

}  // namespace
}  // namespace internal
}  // namespace xsync
