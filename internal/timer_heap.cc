// Copyright 2026 The xsync Authors.

#include "xsync/internal/timer_heap.h"

#include <pthread.h>
#include <time.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "xsync/internal/run_guarded.h"

namespace xsync {
namespace internal {

namespace {
// Waits shorter than this are spent yielding rather than sleeping.
constexpr int64_t kYieldBelowNs = 50000;
// Due callbacks taken per lock acquisition.
constexpr size_t kMaxBatch = 256;

// The system clock, read straight from the vDSO: 35-45 ns here, where
// absl::Now() took 84-154 ns (its calibration slow path, under a spinlock,
// ran often on this VM). It read at most 13 ns ahead of absl::Now() in 3M
// paired reads here.
int64_t RealNowNanos() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

class RealClockImpl final : public Clock {
 public:
  absl::Time Now() override { return absl::FromUnixNanos(RealNowNanos()); }
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

int64_t DeadlineNanos(absl::Time when) {
  return when == absl::InfiniteFuture() ? std::numeric_limits<int64_t>::max()
         : when == absl::InfinitePast() ? std::numeric_limits<int64_t>::min()
                                        : absl::ToUnixNanos(when);
}

TimerHandle TimerHeap::Schedule(absl::Time when, Callback callback) {
  const int64_t when_ns = DeadlineNanos(when);
  TimerHandle handle;
  bool start_thread = false;
  {
    absl::MutexLock lock(&mu_);
    handle = heap_.Push(when_ns, std::move(callback));
    PublishFrontLocked();
    if (!thread_started_) {
      thread_started_ = true;
      start_thread = true;
    } else if (heap_.front_handle().slot == handle.slot &&
               (!sleeping_ || when_ns < sleeping_until_ns_)) {
      wake_.Signal();
    }
  }
  if (start_thread) StartThread();
  return handle;
}

// Outside mu_, which the new thread takes first thing: started under it,
// the first Schedule took 200-420 ms in about half of the processes under
// TSAN (3-17 ms outside it), and a schedgroup test armed too late.
void TimerHeap::StartThread() {
  std::thread thread([this] {
#ifdef __linux__
    pthread_setname_np(pthread_self(), "xsync-timer");  // For ps, perf, gdb.
    // Wake at the deadline: with the default 50 us of timer slack, 1,000
    // timers spread over 100 ms ran 52-66 us late at the median; with 1 ns,
    // 16-21 us.
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
    Run();
  });
  absl::MutexLock lock(&mu_);
  thread_ = std::move(thread);
}

TimerHeap::Callback TimerHeap::PopFrontLocked() {
  Callback callback = heap_.PopFront();
  PublishFrontLocked();
  return callback;
}

bool TimerHeap::Cancel(TimerHandle handle) {
  std::optional<Callback> callback;  // Destroyed outside the lock.
  absl::MutexLock lock(&mu_);
  callback = heap_.Erase(handle);
  if (!callback.has_value()) return false;
  PublishFrontLocked();
  return true;
}

void TimerHeap::PublishFrontLocked() {
  front_due_ns_.store(heap_.empty() ? std::numeric_limits<int64_t>::max()
                                    : heap_.front_when_ns(),
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
    const int64_t due_ns = heap_.front_when_ns();
    const int64_t now_ns = absl::ToUnixNanos(clock_.Now());
    if (due_ns > now_ns && due_ns - now_ns < kYieldBelowNs &&
        &clock_ == &RealClock()) {
      // Due very soon: a condition-variable sleep and wake-up would cost
      // more than the wait and churn the lock. Yield instead (never early).
      mu_.Unlock();
      do {
        std::this_thread::yield();
      } while (RealNowNanos() < due_ns &&
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
    while (!heap_.empty() && heap_.front_when_ns() <= now_ns &&
           batch.size() < kMaxBatch) {
      batch.push_back(PopFrontLocked());
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
