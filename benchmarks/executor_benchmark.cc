// Copyright 2026 The xsync Authors.
//
// Executor hand-off cost against a thread per task, std::async and a fixed
// mutex+condvar pool, measured in the same binary.
//
//   ./tools/bazel run -c opt //benchmarks:executor_benchmark

#include <thread>

#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "benchmarks/baselines.h"
#include "xsync/executor/executor.h"

namespace xsync {
namespace benchmarks {
namespace {

int PoolSize() {
  return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

// Submit + all done, per task. Go anchor: go + WaitGroup ≈ 560 ns per task.
void BM_Empty_DefaultExecutor(benchmark::State& state) {
  Executor& executor = DefaultExecutor();
  for (auto _ : state) {
    absl::BlockingCounter done(kEmptyTasks);
    for (int i = 0; i < kEmptyTasks; ++i) {
      executor.Schedule([&done] { done.DecrementCount(); });
    }
    done.Wait();
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Empty_DefaultExecutor)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Empty_CondVarPool(benchmark::State& state) {
  CondVarPool pool(PoolSize());
  for (auto _ : state) {
    absl::BlockingCounter done(kEmptyTasks);
    for (int i = 0; i < kEmptyTasks; ++i) {
      pool.Schedule([&done] { done.DecrementCount(); });
    }
    done.Wait();
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Empty_CondVarPool)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Empty_ThreadPerTask(benchmark::State& state) {
  constexpr int kTasks = 1000;  // 10k threads would take long for no insight.
  for (auto _ : state) RunThreadPerTask(kTasks, [] {});
  ReportPerTask(state, kTasks);
}
BENCHMARK(BM_Empty_ThreadPerTask)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Empty_StdAsync(benchmark::State& state) {
  constexpr int kTasks = 1000;
  for (auto _ : state) RunStdAsync(kTasks, [] {});
  ReportPerTask(state, kTasks);
}
BENCHMARK(BM_Empty_StdAsync)->Unit(benchmark::kMillisecond)->UseRealTime();

// 1,000 tasks that each sleep 1 ms, wall time. Go anchor ≈ 2.1 ms.
void BM_Sleep1ms_DefaultExecutor(benchmark::State& state) {
  Executor& executor = DefaultExecutor();
  auto run = [&] {
    absl::BlockingCounter done(kSleepTasks);
    for (int i = 0; i < kSleepTasks; ++i) {
      executor.Schedule([&done] {
        absl::SleepFor(absl::Milliseconds(1));
        done.DecrementCount();
      });
    }
    done.Wait();
  };
  run();  // Warm the pool: the target is for a warm pool.
  for (auto _ : state) run();
}
BENCHMARK(BM_Sleep1ms_DefaultExecutor)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Sleep1ms_ThreadPerTask(benchmark::State& state) {
  for (auto _ : state) {
    RunThreadPerTask(kSleepTasks,
                     [] { absl::SleepFor(absl::Milliseconds(1)); });
  }
}
BENCHMARK(BM_Sleep1ms_ThreadPerTask)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Sleep1ms_CondVarPool(benchmark::State& state) {
  CondVarPool pool(PoolSize());
  for (auto _ : state) {
    absl::BlockingCounter done(kSleepTasks);
    for (int i = 0; i < kSleepTasks; ++i) {
      pool.Schedule([&done] {
        absl::SleepFor(absl::Milliseconds(1));
        done.DecrementCount();
      });
    }
    done.Wait();
  }
}
BENCHMARK(BM_Sleep1ms_CondVarPool)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace benchmarks
}  // namespace xsync
