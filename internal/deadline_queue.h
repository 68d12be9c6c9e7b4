// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/deadline_queue.h
// -----------------------------------------------------------------------------
//
// `DeadlineQueue<Value>` is the one deadline-ordered structure behind xsync's
// timers: (deadline, value) entries taken earliest first, any of which can be
// removed through the handle `Push` returned. It is the data structure only
// — no thread, no lock, no clock: `TimerHeap` wraps one with its timer
// thread, and a schedgroup keeps its pending tasks in one and arms a single
// timer for the earliest.
//
// Order: earliest deadline first; FIFO among equal deadlines.
//
// Layout: a calendar queue in three tiers, so that taking the front touches
// a small, cache-resident heap however many entries are pending:
//   * near: a 4-ary heap of the entries before `base` (the current bucket,
//     and entries pushed late);
//   * wheel: 256 unsorted buckets of 2^kTickShift ns, one per tick from
//     `base` on; a push appends in O(1);
//   * far: a second 4-ary heap of the entries beyond the wheel.
// Entries only move forward: far -> wheel when `base` advances past them
// (each once, O(log n)), wheel -> near when their bucket becomes the first
// (O(1) each). A pop costs O(log b) in its bucket's size b, not O(log n)
// cache misses (`BM_DeadlineQueue_PopAllOf100k` against
// `BM_Baseline_PriorityQueuePopAllOf100k`); the next pop's value is
// prefetched. A push appends to its bucket, whose next cache line is
// prefetched.
//
// Handles are generation-checked: a handle of an entry that was popped or
// erased never matches a later entry that reuses the slot. `Erase` is
// O(log n) in a heap and O(1) in a bucket.
//
// Memory: a pending entry costs a 16-byte entry, a 12-byte slot and its
// Value (sizeof(Value), unpadded); freed slots are reused. Slots, values and
// the heaps live in 64 KiB segments that never move. Wheel entries sit in
// growable bucket vectors (up to twice their size in capacity), and 6 KiB of
// bucket headers once the wheel is used; a bucket keeps up to 16 KiB of
// capacity after it is emptied.
//
// Not thread-safe: callers serialize every call. Reading the front may move
// entries between tiers, so it is not const.

#ifndef XSYNC_INTERNAL_DEADLINE_QUEUE_H_
#define XSYNC_INTERNAL_DEADLINE_QUEUE_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace xsync {
namespace internal {

// Identifies one entry of a DeadlineQueue. A default-constructed handle is
// empty and matches nothing.
struct DeadlineHandle {
  uint32_t slot = 0;
  uint32_t generation = 0;  // 0 means empty.

  bool empty() const { return generation == 0; }
};

// Append-only storage in fixed-size segments of about 64 KiB: elements never
// move, and indexing is a shift and a mask. `pop_back` keeps the segment
// for reuse (like a vector's capacity).
template <typename T>
class SegmentedArray {
 public:
  T& operator[](size_t i) { return segments_[i >> kShift]->items[i & kMask]; }
  const T& operator[](size_t i) const {
    return segments_[i >> kShift]->items[i & kMask];
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& back() { return (*this)[size_ - 1]; }

  // Appends a default-constructed element and returns it.
  T& emplace_back() {
    if ((size_ >> kShift) == segments_.size()) {
      segments_.push_back(std::make_unique<Segment>());
    }
    T& element = (*this)[size_++];
    element = T();
    return element;
  }
  void push_back(const T& value) { emplace_back() = value; }
  void pop_back() { --size_; }

 private:
  static constexpr size_t kShift = [] {
    size_t shift = 0;
    while ((size_t{2} << shift) * sizeof(T) <= 64 * 1024) ++shift;
    return shift;
  }();
  static constexpr size_t kPerSegment = size_t{1} << kShift;
  static constexpr size_t kMask = kPerSegment - 1;

  // Cache-line aligned, so four 16-byte heap entries share one line.
  struct Segment {
    alignas(64) T items[kPerSegment];
  };
  std::vector<std::unique_ptr<Segment>> segments_;
  size_t size_ = 0;
};

namespace deadline_queue {

struct Entry {
  int64_t when_ns;
  uint32_t sequence;  // FIFO among equal deadlines.
  uint32_t slot;
};

inline bool Before(const Entry& a, const Entry& b) {
  if (a.when_ns != b.when_ns) return a.when_ns < b.when_ns;
  // Wrap-around safe comparison of sequence numbers.
  return static_cast<int32_t>(a.sequence - b.sequence) < 0;
}

// A slot's bookkeeping: where its entry is (`where`: a tier tag or a bucket
// number; `index`: the position there). Its value is kept apart, so that an
// over-aligned Value (absl::AnyInvocable's 16) pads nothing.
struct Slot {
  uint32_t index = 0;
  uint32_t generation = 0;  // Odd while pending.
  uint32_t where = 0;
};
using Slots = SegmentedArray<Slot>;

// A 4-ary min-heap of entries that keeps each entry's slot pointing at it.
// Four children per node: half the depth of a binary heap, and the children
// compared at each step share one cache line.
class EntryHeap {
 public:
  // `tag`: what this heap writes into its entries' `Slot::where`.
  explicit EntryHeap(uint32_t tag) : tag_(tag) {}

  bool empty() const { return size() == 0; }
  size_t size() const { return heap_.empty() ? 0 : heap_.size() - kPadding; }
  const Entry& front() const { return At(0); }

  void Push(const Entry& entry, Slots& slots) {
    if (heap_.empty()) {
      for (size_t i = 0; i < kPadding; ++i) heap_.emplace_back();
    }
    heap_.push_back(entry);
    SiftUp(size() - 1, slots);
  }

  Entry RemoveAt(size_t index, Slots& slots) {
    const Entry removed = At(index);
    const Entry last = heap_.back();
    heap_.pop_back();
    if (index < size()) {
      Place(index, last, slots);
      if (index > 0 && Before(last, At((index - 1) / kArity))) {
        SiftUp(index, slots);
      } else {
        SiftDown(index, slots);
      }
    }
    return removed;
  }

 private:
  static constexpr size_t kArity = 4;

  void Place(size_t index, const Entry& entry, Slots& slots) {
    At(index) = entry;
    Slot& slot = slots[entry.slot];
    slot.index = static_cast<uint32_t>(index);
    slot.where = tag_;
  }

  void SiftUp(size_t index, Slots& slots) {
    const Entry entry = At(index);
    while (index > 0) {
      const size_t parent = (index - 1) / kArity;
      if (!Before(entry, At(parent))) break;
      Place(index, At(parent), slots);
      index = parent;
    }
    Place(index, entry, slots);
  }

  void SiftDown(size_t index, Slots& slots) {
    const Entry entry = At(index);
    const size_t size = this->size();
    while (true) {
      const size_t first = kArity * index + 1;
      if (first >= size) break;
      // Start loading the next level while this one is compared.
      for (size_t c = first; c < first + kArity; ++c) {
        const size_t grandchild = kArity * c + 1;
        if (grandchild < size) __builtin_prefetch(&At(grandchild));
      }
      size_t child = first;
      const size_t end = std::min(first + kArity, size);
      for (size_t other = first + 1; other < end; ++other) {
        if (Before(At(other), At(child))) child = other;
      }
      if (!Before(At(child), entry)) break;
      Place(index, At(child), slots);
      index = child;
    }
    Place(index, entry, slots);
  }

  // Entry i of the heap is heap_[i + kPadding]: the children of entry i,
  // 4i+1 to 4i+4, then fill one 64-byte line of a 64-byte aligned segment.
  static constexpr size_t kPadding = kArity - 1;
  Entry& At(size_t i) { return heap_[i + kPadding]; }
  const Entry& At(size_t i) const { return heap_[i + kPadding]; }

  SegmentedArray<Entry> heap_;
  uint32_t tag_;
};

}  // namespace deadline_queue

template <typename Value>
class DeadlineQueue {
 public:
  DeadlineHandle Push(int64_t when_ns, Value value) {
    uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
      values_.emplace_back();
    }
    values_[slot] = std::move(value);
    const uint32_t generation = ++slots_[slot].generation;  // Odd: pending.
    Insert(Entry{when_ns, next_sequence_++, slot});
    return DeadlineHandle{slot, generation};
  }

  // Removes the entry and returns its value; nullopt if `handle` is empty,
  // stale, or its entry was already popped or erased.
  std::optional<Value> Erase(DeadlineHandle handle) {
    if (handle.empty() || handle.slot >= slots_.size() ||
        slots_[handle.slot].generation != handle.generation) {
      return std::nullopt;
    }
    const Slot slot = slots_[handle.slot];
    if (slot.where == kInNear) {
      near_.RemoveAt(slot.index, slots_);
    } else if (slot.where == kInFar) {
      far_.RemoveAt(slot.index, slots_);
    } else {
      RemoveFromBucket(slot.where, slot.index);
    }
    return Free(handle.slot);
  }

  bool empty() const { return size() == 0; }
  size_t size() const { return near_.size() + wheel_size_ + far_.size(); }

  // Requires !empty().
  int64_t front_when_ns() { return Front().when_ns; }
  DeadlineHandle front_handle() {
    const uint32_t slot = Front().slot;
    return DeadlineHandle{slot, slots_[slot].generation};
  }
  Value PopFront() {
    if (near_.empty()) MoveFirstBucketToNear();
    // Start loading the value and its slot, needed last, while sifting.
    const uint32_t slot = near_.front().slot;
    PrefetchSlotAndValue(slot);
    near_.RemoveAt(0, slots_);
    // And the next pop's, while the caller works.
    if (!near_.empty()) PrefetchSlotAndValue(near_.front().slot);
    return Free(slot);
  }

 private:
  using Entry = deadline_queue::Entry;
  using Slot = deadline_queue::Slot;

  static constexpr int kTickShift = 19;  // A bucket spans 2^19 ns.
  static constexpr uint32_t kBuckets = 256;
  static constexpr uint32_t kKeepCapacity = 1024;  // Entries, per bucket.
  static constexpr size_t kScanAtMost = 64;  // Bucket entries, for its front.
  static constexpr uint32_t kInNear = ~uint32_t{0};
  static constexpr uint32_t kInFar = kInNear - 1;

  // Arithmetic shift: negative times (the infinite past) get negative ticks.
  static int64_t Tick(int64_t when_ns) { return when_ns >> kTickShift; }
  static uint32_t BucketOf(int64_t tick) {
    return static_cast<uint32_t>(tick) & (kBuckets - 1);
  }

  void Insert(const Entry& entry) {
    const int64_t tick = Tick(entry.when_ns);
    if (near_.empty() && wheel_size_ == 0) {
      // Nothing before the far tier: anchor the wheel at this entry.
      Rebase(far_.empty() ? tick : std::min(tick, Tick(far_.front().when_ns)));
    }
    if (tick < base_tick_) {
      // Before the wheel: the wheel moves back to it unless the first
      // bucket was already taken into the near heap (then it joins that) or
      // an entry at the wheel's far end would fall off.
      if (!near_.empty() || !CanMoveBaseBackTo(tick)) {
        near_.Push(entry, slots_);
        return;
      }
      base_tick_ = tick;
    }
    if (tick - base_tick_ < kBuckets) {
      AddToBucket(entry, tick);
    } else {
      far_.Push(entry, slots_);
    }
  }

  // Whether no wheel entry lies at or beyond tick + kBuckets.
  bool CanMoveBaseBackTo(int64_t tick) const {
    if (base_tick_ - tick >= kBuckets) return wheel_size_ == 0;
    for (int64_t t = tick + kBuckets; t < base_tick_ + kBuckets; ++t) {
      if (Occupied(BucketOf(t))) return false;
    }
    return true;
  }

  // Moves the wheel to start at `tick` (no entry lies before it) and takes
  // the far entries it now covers.
  void Rebase(int64_t tick) {
    base_tick_ = tick;
    while (!far_.empty() &&
           Tick(far_.front().when_ns) - base_tick_ < kBuckets) {
      const Entry entry = far_.RemoveAt(0, slots_);
      AddToBucket(entry, Tick(entry.when_ns));
    }
  }

  // Requires an empty near heap and !empty().
  void MoveFirstBucketToNear() {
    if (wheel_size_ == 0) Rebase(Tick(far_.front().when_ns));
    const int64_t tick = FirstOccupiedTick();
    std::vector<Entry>& bucket = buckets_[BucketOf(tick)];
    // Each entry's slot is updated, in push order: load them ahead.
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < bucket.size(); ++i) {
      if (i + kAhead < bucket.size()) {
        __builtin_prefetch(&slots_[bucket[i + kAhead].slot], 1);
      }
      near_.Push(bucket[i], slots_);
    }
    wheel_size_ -= bucket.size();
    if (bucket.capacity() > kKeepCapacity) {
      std::vector<Entry>().swap(bucket);
    } else {
      bucket.clear();
    }
    SetOccupied(BucketOf(tick), false);
    wheel_front_valid_ = false;
    Rebase(tick + 1);
  }

  void AddToBucket(const Entry& entry, int64_t tick) {
    if (buckets_.empty()) buckets_.resize(kBuckets);
    const uint32_t b = BucketOf(tick);
    std::vector<Entry>& bucket = buckets_[b];
    Slot& slot = slots_[entry.slot];
    slot.index = static_cast<uint32_t>(bucket.size());
    slot.where = b;
    bucket.push_back(entry);
    // The bucket's next line: 256 buckets fill at once, too many streams
    // for the hardware prefetcher, so each new line would miss otherwise.
    // (Integer arithmetic: the line may lie beyond the vector's storage.)
    const uintptr_t end =
        reinterpret_cast<uintptr_t>(bucket.data() + bucket.size());
    __builtin_prefetch(reinterpret_cast<const void*>(end + 64), 1);
    SetOccupied(b, true);
    ++wheel_size_;
    if (wheel_front_valid_ && deadline_queue::Before(entry, wheel_front_)) {
      wheel_front_ = entry;
    }
  }

  void RemoveFromBucket(uint32_t b, uint32_t index) {
    std::vector<Entry>& bucket = buckets_[b];
    if (wheel_front_valid_ && bucket[index].slot == wheel_front_.slot) {
      wheel_front_valid_ = false;
    }
    bucket[index] = bucket.back();
    slots_[bucket[index].slot].index = index;
    bucket.pop_back();
    if (bucket.empty()) SetOccupied(b, false);
    --wheel_size_;
  }

  // Requires !empty(). The first bucket stays in the wheel while it is
  // small, so that earlier entries pushed meanwhile (timers armed out of
  // order) join the wheel too rather than the near heap; a larger one is
  // taken into the near heap rather than scanned again after each erase of
  // its front.
  const Entry& Front() {
    if (!near_.empty()) return near_.front();
    if (wheel_size_ == 0) return far_.front();
    if (!wheel_front_valid_) {
      const std::vector<Entry>& bucket =
          buckets_[BucketOf(FirstOccupiedTick())];
      if (bucket.size() > kScanAtMost) {
        MoveFirstBucketToNear();
        return near_.front();
      }
      wheel_front_ = *std::min_element(bucket.begin(), bucket.end(),
                                       deadline_queue::Before);
      wheel_front_valid_ = true;
    }
    return wheel_front_;
  }

  // The earliest tick with a wheel entry. Requires wheel_size_ > 0.
  int64_t FirstOccupiedTick() const {
    int64_t tick = base_tick_;
    while (true) {
      const uint32_t b = BucketOf(tick);
      const uint64_t rest = occupied_[b / 64] >> (b % 64);
      if (rest != 0) return tick + __builtin_ctzll(rest);
      tick += 64 - b % 64;
    }
  }

  bool Occupied(uint32_t b) const {
    return (occupied_[b / 64] >> (b % 64)) & 1;
  }
  void SetOccupied(uint32_t b, bool occupied) {
    const uint64_t bit = uint64_t{1} << (b % 64);
    occupied_[b / 64] =
        occupied ? occupied_[b / 64] | bit : occupied_[b / 64] & ~bit;
  }

  // Starts loading what Free(slot) touches: the slot (written) and value.
  void PrefetchSlotAndValue(uint32_t slot) {
    __builtin_prefetch(&values_[slot]);
    __builtin_prefetch(&slots_[slot], 1);
  }

  // Frees the slot of an entry just removed and returns its value.
  Value Free(uint32_t slot) {
    Slot& s = slots_[slot];
    s.generation += 1;                        // Now even: free.
    if (s.generation == 0) s.generation = 2;  // Never 0 (empty) again.
    free_slots_.push_back(slot);
    return std::move(values_[slot]);
  }

  deadline_queue::EntryHeap near_{kInNear};  // Ticks before base_tick_.
  std::vector<std::vector<Entry>> buckets_;  // kBuckets once used.
  std::array<uint64_t, kBuckets / 64> occupied_{};
  size_t wheel_size_ = 0;
  int64_t base_tick_ = 0;  // The tick of the wheel's first bucket.
  deadline_queue::EntryHeap far_{kInFar};  // Ticks from base + kBuckets.
  // The wheel's earliest entry, when known.
  Entry wheel_front_{};
  bool wheel_front_valid_ = false;

  deadline_queue::Slots slots_;
  SegmentedArray<Value> values_;
  std::vector<uint32_t> free_slots_;
  uint32_t next_sequence_ = 0;
};

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_DEADLINE_QUEUE_H_
