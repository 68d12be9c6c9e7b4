// Copyright 2026 The xsync Authors.

#include "internal/timer_heap.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "internal/run_guarded.h"

namespace xsync {
namespace internal {

namespace {
// Waits shorter than this are spent yielding rather than sleeping.
constexpr int64_t kYieldBelowNs = 50000;
// Due callbacks taken per lock acquisition.
constexpr size_t kMaxBatch = 256;
}  // namespace

namespace {
class RealClockImpl final : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
  void WaitUntil(absl::CondVar& cv, absl::Mutex& mu,
                 absl::Time deadline) override {
    cv.WaitWithDeadline(&mu, deadline);
  }
};
}  // namespace

Clock& RealClock() {
  static RealClockImpl* const clock = new RealClockImpl;
  return *clock;
}

absl::Time SimulatedClock::Now() {
  absl::MutexLock lock(&mu_);
  return now_;
}

void SimulatedClock::WaitUntil(absl::CondVar& cv, absl::Mutex& mu, absl::Time) {
  cv.Wait(&mu);  // Advance() pokes the heap under its lock: nothing is lost.
}

void SimulatedClock::Advance(absl::Duration by) {
  std::vector<TimerHeap*> heaps;
  {
    absl::MutexLock lock(&mu_);
    now_ += by;
    heaps = heaps_;
  }
  for (TimerHeap* heap : heaps) heap->Poke();
}

void SimulatedClock::Subscribe(TimerHeap* heap) {
  absl::MutexLock lock(&mu_);
  heaps_.push_back(heap);
}

void SimulatedClock::Unsubscribe(TimerHeap* heap) {
  absl::MutexLock lock(&mu_);
  heaps_.erase(std::remove(heaps_.begin(), heaps_.end(), heap), heaps_.end());
}

TimerHeap::TimerHeap(Clock& clock) : clock_(clock) {
  if (auto* simulated = dynamic_cast<SimulatedClock*>(&clock_)) {
    simulated->Subscribe(this);
  }
}

void TimerHeap::Poke() {
  absl::MutexLock lock(&mu_);
  wake_.Signal();
}

TimerHeap& TimerHeap::Default() {
  static TimerHeap* const heap = new TimerHeap;
  return *heap;
}

TimerHeap::~TimerHeap() {
  if (auto* simulated = dynamic_cast<SimulatedClock*>(&clock_)) {
    simulated->Unsubscribe(this);
  }
  std::thread thread;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    wake_.Signal();
    thread = std::move(thread_);
  }
  if (thread.joinable()) thread.join();
}

bool TimerHeap::Before(const Entry& a, const Entry& b) {
  if (a.when_ns != b.when_ns) return a.when_ns < b.when_ns;
  // Wrap-around safe comparison of sequence numbers.
  return static_cast<int32_t>(a.sequence - b.sequence) < 0;
}

void TimerHeap::Place(size_t index, const Entry& entry) {
  heap_[index] = entry;
  slots_[entry.slot].heap_index = static_cast<uint32_t>(index);
}

void TimerHeap::SiftUp(size_t index) {
  const Entry entry = heap_[index];
  while (index > 0) {
    const size_t parent = (index - 1) / 2;
    if (!Before(entry, heap_[parent])) break;
    Place(index, heap_[parent]);
    index = parent;
  }
  Place(index, entry);
}

void TimerHeap::SiftDown(size_t index) {
  const Entry entry = heap_[index];
  const size_t size = heap_.size();
  while (true) {
    size_t child = 2 * index + 1;
    if (child >= size) break;
    if (child + 1 < size && Before(heap_[child + 1], heap_[child])) ++child;
    if (!Before(heap_[child], entry)) break;
    Place(index, heap_[child]);
    index = child;
  }
  Place(index, entry);
}

TimerHandle TimerHeap::Schedule(absl::Time when, Callback callback) {
  const int64_t when_ns =
      when == absl::InfiniteFuture() ? std::numeric_limits<int64_t>::max()
      : when == absl::InfinitePast() ? std::numeric_limits<int64_t>::min()
                                     : absl::ToUnixNanos(when);
  absl::MutexLock lock(&mu_);
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.callback = std::move(callback);
  s.generation += 1;  // Now odd: pending.
  heap_.push_back(Entry{when_ns, next_sequence_++, slot});
  SiftUp(heap_.size() - 1);
  PublishFrontLocked();
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { Run(); });
  } else if (heap_.front().slot == slot &&
             (!sleeping_ || when_ns < sleeping_until_ns_)) {
    wake_.Signal();
  }
  return TimerHandle{slot, s.generation};
}

TimerHeap::Callback TimerHeap::RemoveAt(size_t index) {
  const uint32_t slot = heap_[index].slot;
  const Entry last = heap_.back();
  heap_.pop_back();
  if (index < heap_.size()) {
    Place(index, last);
    if (index > 0 && Before(last, heap_[(index - 1) / 2])) {
      SiftUp(index);
    } else {
      SiftDown(index);
    }
  }
  PublishFrontLocked();
  Slot& s = slots_[slot];
  s.generation += 1;                        // Now even: free.
  if (s.generation == 0) s.generation = 2;  // Never hand out 0 (empty) again.
  free_slots_.push_back(slot);
  return std::move(s.callback);
}

bool TimerHeap::Cancel(TimerHandle handle) {
  if (handle.empty()) return false;
  Callback callback;  // Destroyed outside the lock.
  absl::MutexLock lock(&mu_);
  if (handle.slot >= slots_.size() ||
      slots_[handle.slot].generation != handle.generation) {
    return false;
  }
  callback = RemoveAt(slots_[handle.slot].heap_index);
  return true;
}

void TimerHeap::PublishFrontLocked() {
  front_due_ns_.store(heap_.empty() ? std::numeric_limits<int64_t>::max()
                                    : heap_.front().when_ns,
                      std::memory_order_relaxed);
}

size_t TimerHeap::size() const {
  absl::MutexLock lock(&mu_);
  return heap_.size();
}

void TimerHeap::Run() {
  std::vector<Callback> batch;  // Reused: only this thread touches it.
  mu_.Lock();
  while (!stopping_) {
    if (heap_.empty()) {
      sleeping_ = false;
      wake_.Wait(&mu_);
      continue;
    }
    const int64_t due_ns = heap_.front().when_ns;
    const int64_t now_ns = absl::ToUnixNanos(clock_.Now());
    if (due_ns > now_ns && due_ns - now_ns < kYieldBelowNs &&
        &clock_ == &RealClock()) {
      // Due very soon: a condition-variable sleep and wake-up would cost
      // more than the wait and churn the lock. Yield instead (never early).
      mu_.Unlock();
      do {
        std::this_thread::yield();
      } while (absl::GetCurrentTimeNanos() < due_ns &&
               front_due_ns_.load(std::memory_order_relaxed) >= due_ns);
      mu_.Lock();
      continue;
    }
    if (due_ns > now_ns) {
      sleeping_ = true;
      sleeping_until_ns_ = due_ns;
      clock_.WaitUntil(wake_, mu_, absl::FromUnixNanos(due_ns));
      sleeping_ = false;
      continue;
    }
    // Take every due entry (up to a batch) under one lock acquisition.
    while (!heap_.empty() && heap_.front().when_ns <= now_ns &&
           batch.size() < kMaxBatch) {
      batch.push_back(RemoveAt(0));
    }
    mu_.Unlock();
    for (Callback& callback : batch) {
      RunGuarded(std::move(callback), "timer callback");
    }
    batch.clear();  // Destroys the run callbacks outside the lock.
    mu_.Lock();
  }
  mu_.Unlock();
}

}  // namespace internal
}  // namespace xsync
