// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/ready_ring.h
// -----------------------------------------------------------------------------
//
// `ReadyRing<T>` is the ready list of a group whose slots are counted
// without its lock (see group_engine.h): a bounded ring that several threads
// push to and pop from lock-free, in the manner of Dmitry Vyukov's bounded
// MPMC queue. Each cell carries a sequence number that says whose turn it is
// (a pusher's for lap L when it equals the position, a popper's when it is
// one more), so a push and a pop touch only the cell and their own position,
// and a submitter and a runner on two cores share nothing else per element.
//
// The caller guarantees room: at most `capacity` elements are pushed and not
// yet popped, counting pushes under way (a group holds one slot per element
// and the ring has a cell per slot). A push may then still wait, briefly,
// for the popper of the cell's previous lap to finish moving out of it.
//
// Order: FIFO by position. Memory ordering: a push happens-before the pop
// that takes its element.

#ifndef XSYNC_INTERNAL_READY_RING_H_
#define XSYNC_INTERNAL_READY_RING_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "xsync/internal/spin_wait.h"

namespace xsync {
namespace internal {

template <typename T>
class ReadyRing {
 public:
  // Room for at least `capacity` elements (rounded up to a power of two).
  explicit ReadyRing(size_t capacity)
      : mask_(RoundUpToPowerOfTwo(capacity) - 1), cells_(new Cell[mask_ + 1]) {
    for (size_t i = 0; i <= mask_; ++i) {
      cells_[i].sequence.store(i, std::memory_order_relaxed);
    }
  }

  ReadyRing(const ReadyRing&) = delete;
  ReadyRing& operator=(const ReadyRing&) = delete;

  size_t capacity() const { return mask_ + 1; }

  // Requires room (see above).
  void Push(T value) {
    const uint64_t position =
        push_position_.fetch_add(1, std::memory_order_relaxed);
    Cell& cell = cells_[position & mask_];
    while (cell.sequence.load(std::memory_order_acquire) != position) {
      CpuRelax();  // The previous lap's popper is still moving out.
    }
    cell.value = std::move(value);
    cell.sequence.store(position + 1, std::memory_order_release);
  }

  // Moves the oldest element into `out`; false if there is none ready (a
  // push under way is not ready until it completes).
  bool TryPop(T& out) {
    uint64_t position = pop_position_.load(std::memory_order_relaxed);
    while (true) {
      Cell& cell = cells_[position & mask_];
      const uint64_t sequence = cell.sequence.load(std::memory_order_acquire);
      if (sequence != position + 1) {
        if (sequence <= position) return false;  // Not pushed yet.
        position = pop_position_.load(std::memory_order_relaxed);
        continue;  // Another popper took it.
      }
      if (pop_position_.compare_exchange_weak(position, position + 1,
                                              std::memory_order_relaxed)) {
        out = std::move(cell.value);
        cell.value = T();
        cell.sequence.store(position + mask_ + 1, std::memory_order_release);
        return true;
      }
    }
  }

  // True if the next element to pop has been pushed (a hint: another
  // thread may take it first).
  bool HasReady() const {
    const uint64_t position = pop_position_.load(std::memory_order_relaxed);
    return cells_[position & mask_].sequence.load(std::memory_order_acquire) ==
           position + 1;
  }

  // Elements ever popped; it stands still while nobody pops.
  uint64_t pops() const {
    return pop_position_.load(std::memory_order_relaxed);
  }

 private:
  // A cell per cache line, so that a pusher filling one cell and a popper
  // emptying its neighbour do not contend.
  struct alignas(64) Cell {
    std::atomic<uint64_t> sequence;
    T value;
  };

  static size_t RoundUpToPowerOfTwo(size_t n) {
    size_t power = 1;
    while (power < n) power *= 2;
    return power;
  }

  const size_t mask_;
  std::unique_ptr<Cell[]> cells_;
  alignas(64) std::atomic<uint64_t> push_position_{0};
  alignas(64) std::atomic<uint64_t> pop_position_{0};
};

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_READY_RING_H_
