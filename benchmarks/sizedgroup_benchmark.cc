// Copyright 2026 The xsync Authors.
//
// SizedGroup/ErrSizedGroup per-task cost (size 8, 10k empty tasks) and the
// Semaphore fast path, against a mutex+condvar pool and std::mutex in the
// same binary; and the floor of a blocking (Preemptive) Go on this machine,
// a lock-free ring of 8 to a spinning thread.
//
//   ./tools/bazel run -c opt //benchmarks:sizedgroup_benchmark

#include <mutex>

#include "absl/status/status.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "benchmarks/baselines.h"
#include "xsync/sizedgroup/sizedgroup.h"

namespace xsync {
namespace benchmarks {
namespace {

constexpr int kTasks = 10000;
constexpr int kSize = 8;

// Go anchors (go-pkgz, size 8): SizedGroup 645 ns/task, Preemptive 790,
// ErrSizedGroup 680, Preemptive 850.
template <typename Group, typename... Options>
void RunSized(benchmark::State& state, Options... options) {
  for (auto _ : state) {
    Group g(kSize, options...);
    for (int i = 0; i < kTasks; ++i) g.Go([] {});
    benchmark::DoNotOptimize(g.Wait());
  }
  ReportPerTask(state, kTasks);
}

void BM_SizedGroup(benchmark::State& state) { RunSized<SizedGroup>(state); }
BENCHMARK(BM_SizedGroup)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SizedGroup_Preemptive(benchmark::State& state) {
  RunSized<SizedGroup>(state, Preemptive());
}
BENCHMARK(BM_SizedGroup_Preemptive)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ErrSizedGroup(benchmark::State& state) {
  RunSized<ErrSizedGroup>(state);
}
BENCHMARK(BM_ErrSizedGroup)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ErrSizedGroup_Preemptive(benchmark::State& state) {
  RunSized<ErrSizedGroup>(state, Preemptive());
}
BENCHMARK(BM_ErrSizedGroup_Preemptive)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Tasks that block: 1,000 sleeping 1 ms at size 64, at best 16 ms. A
// blocking Go must still start a runner per slot as the slots fill; the
// default (queueing) group is its baseline.
template <typename... Options>
void RunSizedSleep1ms(benchmark::State& state, Options... options) {
  auto run = [&] {
    SizedGroup g(64, options...);
    for (int i = 0; i < 1000; ++i) {
      g.Go([] { absl::SleepFor(absl::Milliseconds(1)); });
    }
    benchmark::DoNotOptimize(g.Wait());
  };
  run();  // Warm the pool.
  for (auto _ : state) run();
}

void BM_SizedGroup_Sleep1ms(benchmark::State& state) {
  RunSizedSleep1ms(state);
}
BENCHMARK(BM_SizedGroup_Sleep1ms)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SizedGroup_Preemptive_Sleep1ms(benchmark::State& state) {
  RunSizedSleep1ms(state, Preemptive());
}
BENCHMARK(BM_SizedGroup_Preemptive_Sleep1ms)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Baseline_CondVarPool8(benchmark::State& state) {
  CondVarPool pool(kSize);
  for (auto _ : state) {
    absl::BlockingCounter done(kTasks);
    for (int i = 0; i < kTasks; ++i) {
      pool.Schedule([&done] { done.DecrementCount(); });
    }
    done.Wait();
  }
  ReportPerTask(state, kTasks);
}
BENCHMARK(BM_Baseline_CondVarPool8)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The floor for Preemptive: the same 10k empty tasks through a lock-free
// ring of 8 slots to one thread that spins (baselines.h, SpinningRing).
void BM_Baseline_SpinningRing8(benchmark::State& state) {
  static_assert(SpinningRing::kInFlight == kSize, "same bound as the groups");
  SpinningRing ring;
  for (auto _ : state) {
    for (int i = 0; i < kTasks; ++i) ring.Submit([] {});
    ring.Drain();
  }
  ReportPerTask(state, kTasks);
}
BENCHMARK(BM_Baseline_SpinningRing8)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Target: uncontended Acquire + Release <= 50 ns.
void BM_Semaphore_AcquireRelease(benchmark::State& state) {
  Semaphore sem(4);
  const Context ctx = Context::Background();
  for (auto _ : state) {
    benchmark::DoNotOptimize(sem.Acquire(ctx, 1));
    benchmark::DoNotOptimize(sem.Release(1));
  }
}
BENCHMARK(BM_Semaphore_AcquireRelease);

void BM_Baseline_StdMutexLockUnlock(benchmark::State& state) {
  std::mutex mu;
  for (auto _ : state) {
    mu.lock();
    benchmark::ClobberMemory();
    mu.unlock();
  }
}
BENCHMARK(BM_Baseline_StdMutexLockUnlock);

}  // namespace
}  // namespace benchmarks
}  // namespace xsync
