// Copyright 2026 The xsync Authors.
//
// Timers: 100,000 one-shot schedgroup tasks with delays uniform in
// [0, 100 ms): wall, CPU, firing lateness percentiles (from the due time, or
// from arming if that was later), arming time and the threads the default
// executor started, armed as they fire and armed ahead (the firing side
// alone); the floor of lateness on this machine (a spinning thread, alone and
// beside two busy ones) and of arming while firing (per-bucket lists, fired
// on one thread); the firing side's throughput (100k timers due within
// 10 ms, against a timer heap running each callback on its own thread); the
// memory cost of 1M pending tasks; and the cost of a pop from the pending
// queue of 100k. The baseline is a thread per timer that sleeps until its
// deadline, measured in the same binary (at 2,000 timers).
//
//   ./tools/bazel run -c opt //benchmarks:schedgroup_benchmark

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <ctime>
#include <functional>
#include <mutex>
#include <queue>
#include <random>
#include <thread>
#include <vector>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "benchmarks/baselines.h"
#include "xsync/executor/executor.h"
#include "xsync/internal/deadline_queue.h"
#include "xsync/internal/timer_heap.h"
#include "xsync/schedgroup/schedgroup.h"

namespace xsync {
namespace benchmarks {
namespace {

// The clock every case reads: the timer heap's own (the system clock straight
// from the vDSO, 35-45 ns here; absl::Now() took 84-154 ns on this VM, mostly
// in its calibration slow path under a spinlock, which would make the
// measurement itself a large share of each timer's cost).
absl::Time ClockNow() { return internal::RealClock().Now(); }

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

long RssKilobytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages = 0, resident = 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return resident * 4;
}

// Threads the default executor has started so far.
long long DefaultThreadsStarted() {
  auto* elastic = dynamic_cast<ElasticExecutor*>(&DefaultExecutor());
  return elastic != nullptr ? elastic->threads_started() : 0;
}

// Bytes malloc has handed out and not taken back, large (mmap'ed) blocks
// included (0 without glibc).
size_t HeapBytesInUse() {
#ifdef __GLIBC__
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#else
  return 0;
#endif
}

void Report(benchmark::State& state, std::vector<int64_t>& lateness_ns) {
  std::sort(lateness_ns.begin(), lateness_ns.end());
  auto pct = [&](double p) {
    return static_cast<double>(
               lateness_ns[static_cast<size_t>(p * (lateness_ns.size() - 1))]) /
           1e3;
  };
  state.counters["late_p50_us"] = pct(0.50);
  state.counters["late_p99_us"] = pct(0.99);
  state.counters["late_max_us"] = pct(1.0);
}

// The next `count` timer delays, uniform in [0, span) at microsecond grain:
// every case that draws from its own rng seeded alike gets the same delays,
// iteration by iteration.
std::vector<absl::Duration> RandomDelays(
    std::mt19937& rng, int count,
    absl::Duration span = absl::Milliseconds(100)) {
  const int64_t span_us = absl::ToInt64Microseconds(span);
  std::vector<absl::Duration> delays(count);
  for (auto& d : delays) d = absl::Microseconds(rng() % span_us);
  return delays;
}

// Each timer's measurement, by arming order: the earliest moment it could
// fire and how late it ran. The earliest moment is its due time, or when it
// was armed if that was later (arming takes a while); the clock is read once
// per kArmBatch timers, before the batch, which can only overstate lateness
// (by the time it takes to arm a batch) and keeps the clock reads out of
// the arming time. A timer's two figures share one record, so a firing
// touches one cache line, and the task captures only the record's address,
// which fits in a task's inline storage: measuring allocates nothing per
// timer. (Capturing an index and two arrays took 24 bytes, so each task was
// allocated and cost three cache misses and a cross-thread free where it
// ran: about 40% of an executor worker's CPU, and a lateness p99 several
// times higher with timers armed ahead.)
class TimerRecords {
 public:
  class Record {
   public:
    void Fire() { lateness_ns_ = absl::ToUnixNanos(ClockNow()) - earliest_ns_; }

   private:
    friend class TimerRecords;
    int64_t earliest_ns_ = 0;
    int64_t lateness_ns_ = 0;
  };

  explicit TimerRecords(int count) : records_(count) {}

  // The record of timer i, due at `due`. Arm timers 0, 1, 2, ... in order.
  Record* Arm(int i, absl::Time due) {
    if (i % kArmBatch == 0) batch_start_ = ClockNow();
    records_[i].earliest_ns_ = absl::ToUnixNanos(std::max(due, batch_start_));
    return &records_[i];
  }

  std::vector<int64_t> Lateness() const {
    std::vector<int64_t> lateness;
    lateness.reserve(records_.size());
    for (const Record& record : records_) {
      lateness.push_back(record.lateness_ns_);
    }
    return lateness;
  }

 private:
  static constexpr int kArmBatch = 64;
  std::vector<Record> records_;
  absl::Time batch_start_;
};

// 100,000 timers due `lead` after arming starts, plus their delays.
void ScheduleAndWait100k(benchmark::State& state, absl::Duration lead) {
  constexpr int kTimers = 100000;
  std::mt19937 rng(1);
  TimerRecords records(kTimers);  // Each iteration overwrites every record.
  const long long threads0 = DefaultThreadsStarted();
  for (auto _ : state) {
    const std::vector<absl::Duration> delays = RandomDelays(rng, kTimers);
    const double cpu0 = CpuSeconds();
    schedgroup::Group g(Context::Background());
    const absl::Time base = ClockNow();
    for (int i = 0; i < kTimers; ++i) {
      const absl::Time due = base + lead + delays[i];
      (void)g.Schedule(due, [record = records.Arm(i, due)] { record->Fire(); });
    }
    const absl::Duration arming = ClockNow() - base;
    (void)g.Wait();
    state.counters["cpu_ms"] = (CpuSeconds() - cpu0) * 1e3;
    state.counters["arm_ms"] = absl::ToDoubleMilliseconds(arming);
  }
  // Over all iterations: the executor keeps idle threads for 10 s, so a
  // later iteration reuses what an earlier one started.
  state.counters["threads_started"] =
      static_cast<double>(DefaultThreadsStarted() - threads0);
  std::vector<int64_t> lateness = records.Lateness();  // The last iteration.
  Report(state, lateness);
}

// Every timer case: a few long iterations, in milliseconds of wall time.
void TimerCase(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
}

// Go anchors (100k timers): schedgroup p50 480 us, p99 8.8 ms, CPU 316 ms;
// Asio steady_timer p50 12 us, p99 34 us, CPU 421 ms. Armed as they fire.
void BM_Schedgroup_100kTimers(benchmark::State& state) {
  ScheduleAndWait100k(state, absl::ZeroDuration());
}
BENCHMARK(BM_Schedgroup_100kTimers)->Apply(TimerCase);

// The firing side alone: the same timers, the first due 250 ms after arming
// starts (arming takes 20-200 ms here), so none fires while others are armed.
void BM_Schedgroup_100kTimersArmedAhead(benchmark::State& state) {
  ScheduleAndWait100k(state, absl::Milliseconds(250));
}
BENCHMARK(BM_Schedgroup_100kTimersArmedAhead)->Apply(TimerCase);

// The floor of firing lateness on this machine, for the same 100,000
// deadlines: one thread busy-waits for each in turn (sorted beforehand: no
// heap, no arming, no hand-over, no sleeping) and records how late it saw
// it, while `busy_threads` other threads spin. Alone, its median is about 0
// and its tail is the time the OS or the hypervisor took the CPU away, which
// no timer design avoids. Beside two busy threads it is the floor of a design
// with three busy threads on two cores, as a schedgroup has while timers are
// armed as they fire: the arming thread, the shared timer thread and an
// executor worker.
void SpinOnSortedDeadlines(benchmark::State& state, int busy_threads) {
  constexpr int kTimers = 100000;
  std::mt19937 rng(1);
  std::vector<int64_t> lateness(kTimers);
  for (auto _ : state) {
    std::vector<absl::Duration> delays = RandomDelays(rng, kTimers);
    std::sort(delays.begin(), delays.end());
    std::atomic<bool> stop{false};
    std::vector<std::thread> busy;
    for (int k = 0; k < busy_threads; ++k) {
      busy.emplace_back([&stop] {
        while (!stop.load(std::memory_order_relaxed)) {
        }
      });
    }
    const double cpu0 = CpuSeconds();
    const absl::Time base = ClockNow();
    for (int i = 0; i < kTimers; ++i) {
      const absl::Time due = base + delays[i];
      absl::Time now;
      while ((now = ClockNow()) < due) {
      }
      lateness[i] = absl::ToInt64Nanoseconds(now - due);
    }
    state.counters["cpu_ms"] = (CpuSeconds() - cpu0) * 1e3;
    stop.store(true, std::memory_order_relaxed);
    for (std::thread& t : busy) t.join();
  }
  Report(state, lateness);
}

void BM_Baseline_SpinningThread_100kDeadlines(benchmark::State& state) {
  SpinOnSortedDeadlines(state, 0);
}
BENCHMARK(BM_Baseline_SpinningThread_100kDeadlines)->Apply(TimerCase);

void BM_Baseline_SpinningThreadBesideTwoBusy_100kDeadlines(
    benchmark::State& state) {
  SpinOnSortedDeadlines(state, 2);
}
BENCHMARK(BM_Baseline_SpinningThreadBesideTwoBusy_100kDeadlines)
    ->Apply(TimerCase);

// What arming while firing can reach when arming never waits for firing:
// the same 100,000 timers, armed from one thread into lists of half a
// millisecond each (a mutex per list), while another thread takes the
// current list whole, orders it in a heap and runs each due timer's body
// itself, polling (yielding) in between; a timer armed for a list already
// taken goes to a late list the firing thread also takes. A floor for the
// arming side, not a design: no hand-off to an executor, no cancel, and a
// firing thread that never sleeps.
void BM_Baseline_BucketedTimerThread_100kTimers(benchmark::State& state) {
  constexpr int kTimers = 100000;
  constexpr int64_t kListNs = 500000;
  constexpr int kLists = 256;  // 128 ms: every delay is below 100 ms.
  struct Timer {
    int64_t due_ns;
    TimerRecords::Record* record;
    bool operator>(const Timer& other) const { return due_ns > other.due_ns; }
  };
  struct TimerList {
    std::mutex mu;
    std::vector<Timer> timers;
    bool taken = false;  // For good: later timers go to the late list.
  };
  std::mt19937 rng(1);
  TimerRecords records(kTimers);  // Each iteration overwrites every record.
  for (auto _ : state) {
    const std::vector<absl::Duration> delays = RandomDelays(rng, kTimers);
    std::vector<TimerList> lists(kLists);
    TimerList late;
    const double cpu0 = CpuSeconds();
    const absl::Time base = ClockNow();
    const int64_t base_ns = absl::ToUnixNanos(base);
    std::thread firing([&] {
      std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> heap;
      std::vector<Timer> taken;
      auto take = [&](TimerList& list, bool for_good) {
        {
          std::lock_guard<std::mutex> lock(list.mu);
          taken.swap(list.timers);
          list.taken = list.taken || for_good;
        }
        for (const Timer& timer : taken) heap.push(timer);
        taken.clear();
      };
      for (int current = 0, fired = 0; fired < kTimers;) {
        take(lists[current], false);
        take(late, false);
        const int64_t now = absl::ToUnixNanos(ClockNow());
        bool ran = false;
        for (; !heap.empty() && heap.top().due_ns <= now; ++fired) {
          TimerRecords::Record* record = heap.top().record;
          heap.pop();
          record->Fire();
          ran = true;
        }
        if (now >= base_ns + (current + 1) * kListNs && current + 1 < kLists) {
          take(lists[current++], true);
        } else if (!ran) {
          std::this_thread::yield();
        }
      }
    });
    for (int i = 0; i < kTimers; ++i) {
      const absl::Time due = base + delays[i];
      const Timer timer{absl::ToUnixNanos(due), records.Arm(i, due)};
      const int64_t delay_ns = absl::ToInt64Nanoseconds(delays[i]);
      TimerList& list =
          lists[std::min<int64_t>(delay_ns / kListNs, kLists - 1)];
      {
        std::lock_guard<std::mutex> lock(list.mu);
        if (!list.taken) {
          list.timers.push_back(timer);
          continue;
        }
      }
      std::lock_guard<std::mutex> lock(late.mu);
      late.timers.push_back(timer);
    }
    state.counters["arm_ms"] = absl::ToDoubleMilliseconds(ClockNow() - base);
    firing.join();
    state.counters["cpu_ms"] = (CpuSeconds() - cpu0) * 1e3;
  }
  std::vector<int64_t> lateness = records.Lateness();  // The last iteration.
  Report(state, lateness);
}
BENCHMARK(BM_Baseline_BucketedTimerThread_100kTimers)->Apply(TimerCase);

// Arming alone: 100,000 Schedule calls for times an hour away, so nothing
// fires meanwhile (the 100k-timer case above arms while its timers fire on
// the same two cores). Timed up to the last Schedule; the group is
// destroyed (cancelling them all) outside the timing.
void BM_Schedgroup_Arm100kNotDue(benchmark::State& state) {
  constexpr int kTimers = 100000;
  std::mt19937 rng(1);
  for (auto _ : state) {
    const std::vector<absl::Duration> delays = RandomDelays(rng, kTimers);
    schedgroup::Group g(Context::Background());
    const absl::Time far = ClockNow() + absl::Hours(1);
    const absl::Time start = ClockNow();
    for (const absl::Duration& d : delays) (void)g.Schedule(far + d, [] {});
    state.SetIterationTime(absl::ToDoubleSeconds(ClockNow() - start));
  }
  ReportPerTask(state, kTimers);
}
BENCHMARK(BM_Schedgroup_Arm100kNotDue)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(5);

// The firing side's throughput: 100,000 timers due within 10 ms (ten per
// microsecond, more than any firing side here keeps up with), armed 250 ms
// ahead, timed from the first deadline until the last timer has run, per
// timer. The 100k-timer cases above bring one timer due per microsecond: a
// firing side that needs close to that per timer is saturated there, and any
// hiccup leaves a backlog that lasts (lateness in milliseconds). Baseline in
// the same binary: a TimerHeap of its own firing the same deadlines, each
// callback run on its timer thread (no group, no executor hand-off).
constexpr int kBurstTimers = 100000;
constexpr absl::Duration kBurstLead = absl::Milliseconds(250);

// Per iteration: a fresh `Target`, the burst armed on it through
// Target::Arm(when), then Target::Wait() until every timer has run, timed
// from the first deadline; an error if arming outlasted the lead.
template <typename Target>
void RunBursts(benchmark::State& state) {
  std::mt19937 rng(1);
  for (auto _ : state) {
    Target target;
    const std::vector<absl::Duration> offsets =
        RandomDelays(rng, kBurstTimers, absl::Milliseconds(10));
    const absl::Time first = ClockNow() + kBurstLead;
    for (const absl::Duration& d : offsets) target.Arm(first + d);
    if (ClockNow() >= first) {
      state.SkipWithError("arming took longer than the 250 ms lead");
      break;
    }
    target.Wait();
    state.SetIterationTime(absl::ToDoubleSeconds(ClockNow() - first));
  }
  ReportPerTask(state, kBurstTimers);
}

struct GroupBurst {
  void Arm(absl::Time when) {
    (void)group.Schedule(when, [] {});
  }
  void Wait() { (void)group.Wait(); }
  schedgroup::Group group{Context::Background()};
};

struct TimerHeapBurst {
  void Arm(absl::Time when) {
    heap.Schedule(when, [this] { fired.DecrementCount(); });
  }
  void Wait() { fired.Wait(); }
  absl::BlockingCounter fired{kBurstTimers};
  internal::TimerHeap heap;  // Its own timer thread, joined first.
};

// A few bursts, each timed by hand from its first deadline.
void BurstCase(benchmark::internal::Benchmark* b) {
  b->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);
}

void BM_Schedgroup_Fire100kBurst(benchmark::State& state) {
  RunBursts<GroupBurst>(state);
}
BENCHMARK(BM_Schedgroup_Fire100kBurst)->Apply(BurstCase);

void BM_Baseline_TimerHeapInline_Fire100kBurst(benchmark::State& state) {
  RunBursts<TimerHeapBurst>(state);
}
BENCHMARK(BM_Baseline_TimerHeapInline_Fire100kBurst)->Apply(BurstCase);

// Baseline: a thread per timer sleeping until its deadline (2,000 timers;
// 100k threads would not be a fair or safe baseline).
void BM_Baseline_ThreadPerTimer(benchmark::State& state) {
  constexpr int kTimers = 2000;
  std::mt19937 rng(1);
  std::vector<int64_t> lateness(kTimers);
  for (auto _ : state) {
    const std::vector<absl::Duration> delays = RandomDelays(rng, kTimers);
    const double cpu0 = CpuSeconds();
    const absl::Time base = ClockNow();
    std::vector<std::thread> threads;
    threads.reserve(kTimers);
    for (int i = 0; i < kTimers; ++i) {
      const absl::Time due = base + delays[i];
      threads.emplace_back([due, &lateness, i] {
        absl::SleepFor(due - ClockNow());
        lateness[i] = absl::ToInt64Nanoseconds(ClockNow() - due);
      });
    }
    for (auto& t : threads) t.join();
    state.counters["cpu_ms"] = (CpuSeconds() - cpu0) * 1e3;
  }
  Report(state, lateness);
}
BENCHMARK(BM_Baseline_ThreadPerTimer)->Apply(TimerCase);

// The pending queue's share of firing: pop every entry of 100,000 (random
// times, the queue filled outside the timing), per pop. Baseline in the same
// binary: std::priority_queue of the same (time, sequence, task) entries,
// which cannot erase by handle.
using HeapTask = absl::AnyInvocable<int() &&>;
std::vector<int64_t> RandomTimes(int n) {
  std::mt19937 rng(1);
  std::vector<int64_t> times(n);
  for (auto& t : times) t = rng() % 100000000;
  return times;
}

void BM_DeadlineQueue_PopAllOf100k(benchmark::State& state) {
  const std::vector<int64_t> times = RandomTimes(100000);
  for (auto _ : state) {
    state.PauseTiming();
    internal::DeadlineQueue<HeapTask> queue;
    for (int64_t t : times) queue.Push(t, [t] { return static_cast<int>(t); });
    state.ResumeTiming();
    while (!queue.empty()) benchmark::DoNotOptimize(queue.PopFront()());
  }
  state.SetItemsProcessed(state.iterations() * times.size());
}
BENCHMARK(BM_DeadlineQueue_PopAllOf100k)->Unit(benchmark::kMillisecond);

void BM_Baseline_PriorityQueuePopAllOf100k(benchmark::State& state) {
  struct Entry {
    int64_t when;
    uint32_t sequence;
    HeapTask task;
    bool operator<(const Entry& other) const {  // Max-heap: later is less.
      return when != other.when ? when > other.when : sequence > other.sequence;
    }
  };
  const std::vector<int64_t> times = RandomTimes(100000);
  for (auto _ : state) {
    state.PauseTiming();
    std::priority_queue<Entry> heap;
    uint32_t sequence = 0;
    for (int64_t t : times) {
      heap.push(Entry{t, sequence++, [t] { return static_cast<int>(t); }});
    }
    state.ResumeTiming();
    while (!heap.empty()) {
      HeapTask task = std::move(const_cast<Entry&>(heap.top()).task);
      heap.pop();
      benchmark::DoNotOptimize(std::move(task)());
    }
  }
  state.SetItemsProcessed(state.iterations() * times.size());
}
BENCHMARK(BM_Baseline_PriorityQueuePopAllOf100k)->Unit(benchmark::kMillisecond);

// Timers whose tasks block: 1,000 due at once, each sleeping 1 ms. One
// runner takes them while they keep starting, and every 50 us in which a due
// task stays unstarted doubles the runners; `compare` sets this beside the
// same tasks in an errgroup, which has no cap.
void BM_Schedgroup_Sleep1ms(benchmark::State& state) {
  constexpr int kTasks = 1000;
  auto run = [] {
    schedgroup::Group g(Context::Background());
    for (int i = 0; i < kTasks; ++i) {
      (void)g.Delay(absl::ZeroDuration(),
                    [] { absl::SleepFor(absl::Milliseconds(1)); });
    }
    benchmark::DoNotOptimize(g.Wait());
  };
  run();  // Warm the pool.
  for (auto _ : state) run();
}
BENCHMARK(BM_Schedgroup_Sleep1ms)->Unit(benchmark::kMillisecond)->UseRealTime();

// Target: 1M pending tasks <= 64 bytes each beyond the callable, no threads.
// Two measures: resident memory growth (what the OS sees; pages freed by
// earlier cases and reused make it read low) and, with glibc, the bytes
// allocated (exact, whatever the machine's memory state).
void BM_Schedgroup_MillionPending(benchmark::State& state) {
  constexpr int kTasks = 1000000;
  for (auto _ : state) {
    const long rss0 = RssKilobytes();
    const size_t heap0 = HeapBytesInUse();
    {
      schedgroup::Group g(Context::Background());
      const absl::Time far = ClockNow() + absl::Hours(1);
      for (int i = 0; i < kTasks; ++i) (void)g.Schedule(far, [] {});
      state.counters["bytes_per_task"] =
          (RssKilobytes() - rss0) * 1024.0 / kTasks;
      state.counters["heap_bytes_per_task"] =
          static_cast<double>(HeapBytesInUse() - heap0) / kTasks;
    }  // Destroyed: cancels every pending task.
  }
}
BENCHMARK(BM_Schedgroup_MillionPending)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace benchmarks
}  // namespace xsync
