// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/indexed_heap.h
// -----------------------------------------------------------------------------
//
// `IndexedHeap<Value>` is the one deadline-ordered structure behind xsync's
// timers: a 4-ary min-heap of (deadline, value) entries in which any entry
// can be removed in O(log n) through the handle `Push` returned. It is the
// data structure only — no thread, no lock, no clock: `TimerHeap` wraps one
// with its timer thread, and a schedgroup keeps its pending tasks in one and
// arms a single timer for the earliest.
//
// Order: earliest deadline first; FIFO among equal deadlines.
//
// Handles are generation-checked: a handle of an entry that was popped or
// erased never matches a later entry that reuses the slot.
//
// Memory: a pending entry costs a 16-byte heap entry, an 8-byte slot and its
// Value (sizeof(Value), unpadded); freed slots are reused. Both live in 64 KiB
// segments that never move: growing never copies, and never leaves a
// superseded buffer resident the way a doubling vector's (or a deque's
// many small blocks) can.
//
// Not thread-safe: callers serialize every call.

#ifndef XSYNC_INTERNAL_INDEXED_HEAP_H_
#define XSYNC_INTERNAL_INDEXED_HEAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace xsync {
namespace internal {

// Identifies one entry of an IndexedHeap. A default-constructed handle is
// empty and matches nothing.
struct HeapHandle {
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
  T& front() { return (*this)[0]; }
  const T& front() const { return (*this)[0]; }
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

template <typename Value>
class IndexedHeap {
 public:
  HeapHandle Push(int64_t when_ns, Value value) {
    uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
      values_.emplace_back();
    }
    Slot& s = slots_[slot];
    values_[slot] = std::move(value);
    s.generation += 1;  // Now odd: pending.
    if (heap_.empty()) {
      for (size_t i = 0; i < kPadding; ++i) heap_.emplace_back();
    }
    heap_.push_back(Entry{when_ns, next_sequence_++, slot});
    SiftUp(size() - 1);
    return HeapHandle{slot, s.generation};
  }

  // Removes the entry and returns its value; nullopt if `handle` is empty,
  // stale, or its entry was already popped or erased.
  std::optional<Value> Erase(HeapHandle handle) {
    if (handle.empty() || handle.slot >= slots_.size() ||
        slots_[handle.slot].generation != handle.generation) {
      return std::nullopt;
    }
    return RemoveAt(slots_[handle.slot].heap_index);
  }

  bool empty() const { return size() == 0; }
  size_t size() const { return heap_.empty() ? 0 : heap_.size() - kPadding; }

  // Requires !empty().
  int64_t front_when_ns() const { return At(0).when_ns; }
  HeapHandle front_handle() const {
    const uint32_t slot = At(0).slot;
    return HeapHandle{slot, slots_[slot].generation};
  }
  Value PopFront() { return RemoveAt(0); }

 private:
  struct Entry {
    int64_t when_ns;
    uint32_t sequence;  // FIFO among equal deadlines.
    uint32_t slot;
  };
  // A slot's bookkeeping; its value is values_[slot] (kept apart so that
  // an over-aligned Value, e.g. absl::AnyInvocable's 16, pads nothing).
  struct Slot {
    uint32_t heap_index = 0;
    uint32_t generation = 0;  // Odd while pending.
  };

  // Four children per node: half the depth of a binary heap, and the
  // children compared at each step lie side by side in memory (a pop from
  // 100k entries touches ~9 levels, not 17).
  static constexpr size_t kArity = 4;

  static bool Before(const Entry& a, const Entry& b) {
    if (a.when_ns != b.when_ns) return a.when_ns < b.when_ns;
    // Wrap-around safe comparison of sequence numbers.
    return static_cast<int32_t>(a.sequence - b.sequence) < 0;
  }

  void Place(size_t index, const Entry& entry) {
    At(index) = entry;
    slots_[entry.slot].heap_index = static_cast<uint32_t>(index);
  }

  void SiftUp(size_t index) {
    const Entry entry = At(index);
    while (index > 0) {
      const size_t parent = (index - 1) / kArity;
      if (!Before(entry, At(parent))) break;
      Place(index, At(parent));
      index = parent;
    }
    Place(index, entry);
  }

  void SiftDown(size_t index) {
    const Entry entry = At(index);
    const size_t size = this->size();
    while (true) {
      const size_t first = kArity * index + 1;
      if (first >= size) break;
      // The next level is one of these children's child groups: start
      // loading all four while this level is compared (a pop from a large
      // heap is a chain of cache misses otherwise).
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
      Place(index, At(child));
      index = child;
    }
    Place(index, entry);
  }

  // Removes heap_[index], frees its slot and returns its value.
  Value RemoveAt(size_t index) {
    const uint32_t slot = At(index).slot;
    // Start loading the value and its slot, needed last, while sifting.
    __builtin_prefetch(&values_[slot]);
    __builtin_prefetch(&slots_[slot], 1);
    const Entry last = heap_.back();
    heap_.pop_back();
    if (index < size()) {
      Place(index, last);
      if (index > 0 && Before(last, At((index - 1) / kArity))) {
        SiftUp(index);
      } else {
        SiftDown(index);
      }
    }
    Slot& s = slots_[slot];
    s.generation += 1;                        // Now even: free.
    if (s.generation == 0) s.generation = 2;  // Never 0 (empty) again.
    free_slots_.push_back(slot);
    return std::move(values_[slot]);
  }

  // Entry i of the heap is heap_[i + kPadding]: the children of entry i,
  // 4i+1 to 4i+4, then fill one 64-byte line of a 64-byte aligned segment.
  static constexpr size_t kPadding = kArity - 1;
  Entry& At(size_t i) { return heap_[i + kPadding]; }
  const Entry& At(size_t i) const { return heap_[i + kPadding]; }

  SegmentedArray<Entry> heap_;
  SegmentedArray<Slot> slots_;
  SegmentedArray<Value> values_;
  std::vector<uint32_t> free_slots_;
  uint32_t next_sequence_ = 0;
};

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_INDEXED_HEAP_H_
