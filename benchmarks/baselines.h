// Copyright 2026 The xsync Authors.
//
// The baselines a user would otherwise pick, measured in the same binaries as
// xsync so results read as ratios: a thread per task, std::async, and a plain
// fixed-size mutex+condvar pool; and floors to read designs against: what
// the OS alone needs to wake parked threads, and a near-ideal hand-off of
// tasks to another thread (a lock-free ring to a thread that spins).

#ifndef XSYNC_BENCHMARKS_BASELINES_H_
#define XSYNC_BENCHMARKS_BASELINES_H_

#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace xsync {
namespace benchmarks {

// A classic fixed pool: one mutex, one condition variable, one queue. Not
// blocking-safe: N tasks that wait for a task behind them deadlock it.
class CondVarPool {
 public:
  explicit CondVarPool(int threads) {
    for (int i = 0; i < threads; ++i) {
      workers_.emplace_back([this] { Loop(); });
    }
  }
  ~CondVarPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& worker : workers_) worker.join();
  }
  void Schedule(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      std::function<void()> task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// A near-ideal hand-off of tasks to another thread with at most kInFlight
// of them unfinished, as a sized group's blocking (Preemptive) Go does: one
// submitting thread, one worker that spins instead of sleeping, a ring of
// kInFlight slots and two indices, and nothing a group has besides (no lock,
// no helpers that come and go, no errors, no context, no several
// submitters). `Submit` spins while kInFlight tasks are unfinished and
// returns as soon as one is, so once the submitter is ahead each call waits
// for word from the other core. Not a usable pool: the worker burns a core
// for as long as the ring exists.
class SpinningRing {
 public:
  static constexpr uint64_t kInFlight = 8;

  SpinningRing() : worker_([this] { Loop(); }) {}
  ~SpinningRing() {
    stopping_.store(true, std::memory_order_release);
    worker_.join();
  }

  void Submit(std::function<void()> task) {
    if (head_ - known_tail_ >= kInFlight) {
      SpinUntil([this] {
        known_tail_ = tail_.load(std::memory_order_acquire);
        return head_ - known_tail_ < kInFlight;
      });
    }
    tasks_[head_ % kInFlight] = std::move(task);
    head_ += 1;
    published_head_.store(head_, std::memory_order_release);
  }

  // Returns once every submitted task has finished.
  void Drain() {
    SpinUntil(
        [this] { return tail_.load(std::memory_order_acquire) == head_; });
    known_tail_ = head_;
  }

 private:
  // Pauses the CPU between checks, and from the 64th check on also yields
  // it.
  static void Relax(int spin) {
    if (spin >= 64) std::this_thread::yield();
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  template <typename Pred>
  static void SpinUntil(Pred done) {
    for (int spin = 0; !done(); ++spin) Relax(spin);
  }

  void Loop() {
    uint64_t tail = 0;
    for (int idle = 0;; ++idle) {
      const uint64_t head = published_head_.load(std::memory_order_acquire);
      if (head == tail) {
        if (stopping_.load(std::memory_order_acquire)) return;
        Relax(idle);
        continue;
      }
      for (; tail < head; ++tail) {
        std::function<void()> task = std::move(tasks_[tail % kInFlight]);
        task();
        task = nullptr;
        tail_.store(tail + 1, std::memory_order_release);
      }
      idle = 0;
    }
  }

  std::function<void()> tasks_[kInFlight];
  alignas(64) std::atomic<uint64_t> published_head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};  // Tasks finished.
  alignas(64) uint64_t head_ = 0;              // The submitter's own.
  uint64_t known_tail_ = 0;
  alignas(64) std::atomic<bool> stopping_{false};
  std::thread worker_;
};

// Runs `tasks` copies of `task` with one std::thread each, joining them all.
template <typename F>
void RunThreadPerTask(int tasks, const F& task) {
  std::vector<std::thread> threads;
  threads.reserve(tasks);
  for (int i = 0; i < tasks; ++i) threads.emplace_back(task);
  for (auto& thread : threads) thread.join();
}

// Runs `tasks` copies of `task` with std::async(launch::async), waiting all.
template <typename F>
void RunStdAsync(int tasks, const F& task) {
  std::vector<std::future<void>> futures;
  futures.reserve(tasks);
  for (int i = 0; i < tasks; ++i) {
    futures.push_back(std::async(std::launch::async, task));
  }
  for (auto& future : futures) future.get();
}

// The OS's own floor for waking parked threads: starts `threads` threads
// that each block on one futex word (untimed), then times releasing them all
// with a single wake-all until every one has run `body`. No pool, queue, group
// or user-space lock is involved, so no design that parks a blocked task on an
// OS thread can do better on this machine. (Elsewhere than Linux the threads
// poll instead, which is no floor.)
template <typename F>
void TimeReleasingParkedThreads(benchmark::State& state, int threads,
                                const F& body) {
  static_assert(sizeof(std::atomic<int>) == sizeof(int), "futex word");
  state.PauseTiming();
  std::atomic<int> released{0};
  std::atomic<int> parked{0};
  std::atomic<int> finished{0};
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      parked.fetch_add(1);
      while (released.load(std::memory_order_acquire) == 0) {
#ifdef __linux__
        syscall(SYS_futex, &released, FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr,
                0);
#else
        std::this_thread::yield();
#endif
      }
      body();
      finished.fetch_add(1);
    });
  }
  while (parked.load() < threads) std::this_thread::yield();
  state.ResumeTiming();
  released.store(1, std::memory_order_release);
#ifdef __linux__
  syscall(SYS_futex, &released, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr,
          0);
#endif
  while (finished.load() < threads) std::this_thread::yield();
  state.PauseTiming();
  for (auto& worker : workers) worker.join();
  state.ResumeTiming();
}

// The task counts of compare's workloads, shared by every suite so that
// rows compare (benchmarks/go/gobench.go uses the same): empty and ~1 us
// tasks, tasks blocking 1 ms, and the fail-fast fan-out.
inline constexpr int kEmptyTasks = 10000;
inline constexpr int kSleepTasks = 1000;
inline constexpr int kFanOutTasks = 10000;

// About a microsecond of CPU work: spins on the monotonic clock, as the Go
// peer's work1us does (benchmarks/go/gobench.go), so "~1 us tasks" rows
// do the same work in both languages.
inline void Work1us() {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start <
         std::chrono::microseconds(1)) {
  }
}

// Reports the benchmark's time per task as the "per_task" counter.
inline void ReportPerTask(benchmark::State& state, int tasks_per_iteration) {
  state.counters["per_task"] = benchmark::Counter(
      static_cast<double>(tasks_per_iteration) * state.iterations(),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace benchmarks
}  // namespace xsync

#endif  // XSYNC_BENCHMARKS_BASELINES_H_
