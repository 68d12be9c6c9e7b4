// Copyright 2026 The xsync Authors.

#include "xsync/internal/deadline_queue.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace xsync {
namespace internal {
namespace {

constexpr int64_t kMs = 1000000;

// Enough entries to span several storage segments, with random erases and
// refills after draining: order, erase results and values all hold. Times
// within 5 us (one bucket) and within 1 s (every tier).
TEST(DeadlineQueueTest, ManyEntriesAcrossSegmentsStayOrderedAndErasable) {
  for (const int64_t span : {int64_t{5000}, 1000 * kMs}) {
    DeadlineQueue<std::string> queue;
    std::mt19937 rng(7);
    constexpr int kEntries = 20000;
    for (int round = 0; round < 2; ++round) {
      std::vector<DeadlineHandle> handles;
      std::vector<int64_t> when(kEntries);
      for (int i = 0; i < kEntries; ++i) {
        when[i] = static_cast<int64_t>(rng() % span);
        handles.push_back(queue.Push(when[i], std::to_string(i)));
      }
      std::vector<bool> erased(kEntries, false);
      size_t live = kEntries;
      for (int i = 0; i < kEntries; i += 3) {
        std::optional<std::string> value = queue.Erase(handles[i]);
        ASSERT_TRUE(value.has_value());
        EXPECT_EQ(*value, std::to_string(i));
        EXPECT_FALSE(queue.Erase(handles[i]).has_value());  // Stale now.
        erased[i] = true;
        --live;
      }
      ASSERT_EQ(queue.size(), live);
      int64_t previous = -1;
      while (!queue.empty()) {
        const int64_t front = queue.front_when_ns();
        const int i = std::stoi(queue.PopFront());
        EXPECT_FALSE(erased[i]);
        EXPECT_EQ(when[i], front);
        EXPECT_LE(previous, front);
        previous = front;
        --live;
      }
      EXPECT_EQ(live, 0u);
      for (DeadlineHandle handle : handles) {
        EXPECT_FALSE(queue.Erase(handle).has_value());
      }
    }
  }
}

// The queue against an ordered map, under the mix a timer sees: a clock
// that advances as entries are taken, timers armed in any order around it
// (late ones, ones in the current bucket, ones past the wheel, far ones,
// the infinite past and future, exact ties), erases of live and stale
// handles, and front reads between them. Every front, value and erase
// result must match the model's; ties come out in push order.
TEST(DeadlineQueueTest, MatchesAnOrderedMapUnderRandomUse) {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937_64 rng(seed);
    DeadlineQueue<int> queue;
    std::map<std::pair<int64_t, int>, int> model;  // (when, push#) -> id.
    std::vector<DeadlineHandle> handles;
    std::vector<std::pair<int64_t, int>> keys;
    int64_t now = int64_t{1} << 50;
    auto random_when = [&]() -> int64_t {
      switch (rng() % 10) {
        case 0:
          return now - static_cast<int64_t>(rng() % (5 * kMs));  // Late.
        case 1:
          return now + static_cast<int64_t>(rng() % kMs);
        case 2:
          return now + static_cast<int64_t>(rng() % (400 * kMs));
        case 3:
          return now + static_cast<int64_t>(rng() % (20000 * kMs));
        case 4:
          return keys.empty() ? now : keys[rng() % keys.size()].first;
        case 5:
          return rng() % 50 == 0 ? std::numeric_limits<int64_t>::max()
                                 : std::numeric_limits<int64_t>::min();
        default:
          return now + static_cast<int64_t>(rng() % (100 * kMs));
      }
    };
    for (int step = 0; step < 60000; ++step) {
      const uint64_t op = rng() % 100;
      if (op < 45 || model.empty()) {
        const int id = static_cast<int>(handles.size());
        const int64_t when = random_when();
        handles.push_back(queue.Push(when, id));
        keys.emplace_back(when, id);
        model.emplace(keys.back(), id);
      } else if (op < 65) {
        const int id = static_cast<int>(rng() % handles.size());
        const bool live = model.erase(keys[id]) == 1;
        const std::optional<int> value = queue.Erase(handles[id]);
        ASSERT_EQ(value.has_value(), live) << "seed " << seed;
        if (live) {
          EXPECT_EQ(*value, id);
        }
      } else if (op < 75) {
        ASSERT_EQ(queue.front_when_ns(), model.begin()->first.first);
        const DeadlineHandle front = queue.front_handle();
        ASSERT_EQ(front.slot, handles[model.begin()->second].slot);
        ASSERT_EQ(front.generation, handles[model.begin()->second].generation);
      } else {
        const auto [key, id] = *model.begin();
        model.erase(model.begin());
        ASSERT_EQ(queue.PopFront(), id) << "seed " << seed << " step " << step;
        if (key.first > now && key.first < (int64_t{1} << 60)) now = key.first;
      }
      ASSERT_EQ(queue.size(), model.size());
      if (step % 1000 == 0) now += static_cast<int64_t>(rng() % (30 * kMs));
    }
    while (!model.empty()) {
      ASSERT_EQ(queue.PopFront(), model.begin()->second);
      model.erase(model.begin());
    }
    EXPECT_TRUE(queue.empty());
  }
}

// 200,000 entries due at one instant (one bucket, taken into the near heap
// whole) come out FIFO, after an earlier entry pushed last.
TEST(DeadlineQueueTest, OneInstantKeepsPushOrder) {
  DeadlineQueue<int> queue;
  constexpr int kEntries = 200000;
  for (int i = 0; i < kEntries; ++i) queue.Push(7 * kMs, i);
  queue.Push(3 * kMs, -1);
  EXPECT_EQ(queue.PopFront(), -1);
  for (int i = 0; i < kEntries; ++i) ASSERT_EQ(queue.PopFront(), i);
  EXPECT_TRUE(queue.empty());
}

TEST(DeadlineQueueTest, EmptyAndForeignHandlesMatchNothing) {
  DeadlineQueue<int> queue;
  EXPECT_FALSE(queue.Erase(DeadlineHandle()).has_value());
  EXPECT_FALSE(queue.Erase(DeadlineHandle{12345, 1}).has_value());
  const DeadlineHandle handle = queue.Push(1, 1);
  EXPECT_FALSE(queue.Erase(DeadlineHandle{handle.slot, 3}).has_value());
  EXPECT_EQ(queue.size(), 1u);
}

}  // namespace
}  // namespace internal
}  // namespace xsync
