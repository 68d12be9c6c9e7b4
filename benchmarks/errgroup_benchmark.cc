// Copyright 2026 The xsync Authors.
//
// errgroup per-task cost against a thread per task and a mutex+condvar pool,
// measured in the same binary.
//
//   ./tools/bazel run -c opt //benchmarks:errgroup_benchmark

#include <atomic>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "benchmarks/baselines.h"
#include "xsync/coro/coro.h"
#include "xsync/errgroup/errgroup.h"

namespace xsync {
namespace benchmarks {
namespace {

// Go anchors: 560 ns/task unlimited; 570-740 ns/task with limits 2/8.
// Arg: the limit (-1: none). x/sync semantics: Go blocks at the limit.
void BM_Errgroup_Empty(benchmark::State& state) {
  const int limit = static_cast<int>(state.range(0));
  for (auto _ : state) {
    errgroup::Group g;
    (void)g.SetLimit(limit);
    for (int i = 0; i < kEmptyTasks; ++i) g.Go([] {});
    benchmark::DoNotOptimize(g.Wait());
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Errgroup_Empty)
    ->Arg(-1)
    ->Arg(1)
    ->Arg(2)
    ->Arg(8)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same with an unbounded queue in front of the limit (Go never blocks).
void BM_Errgroup_Empty_Queued(benchmark::State& state) {
  const int limit = static_cast<int>(state.range(0));
  for (auto _ : state) {
    errgroup::Group g(Context::Background(),
                      {limit, errgroup::kUnbounded, nullptr});
    for (int i = 0; i < kEmptyTasks; ++i) g.Go([] {});
    benchmark::DoNotOptimize(g.Wait());
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Errgroup_Empty_Queued)
    ->Arg(1)
    ->Arg(2)
    ->Arg(8)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Baseline_Empty_CondVarPool(benchmark::State& state) {
  CondVarPool pool(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    absl::BlockingCounter done(kEmptyTasks);
    for (int i = 0; i < kEmptyTasks; ++i) {
      pool.Schedule([&done] { done.DecrementCount(); });
    }
    done.Wait();
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Baseline_Empty_CondVarPool)
    ->Arg(2)
    ->Arg(8)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Baseline_Empty_ThreadPerTask(benchmark::State& state) {
  constexpr int kTasks = 1000;
  for (auto _ : state) RunThreadPerTask(kTasks, [] {});
  ReportPerTask(state, kTasks);
}
BENCHMARK(BM_Baseline_Empty_ThreadPerTask)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Errgroup_1usTasks(benchmark::State& state) {
  for (auto _ : state) {
    errgroup::Group g;
    for (int i = 0; i < kEmptyTasks; ++i) g.Go([] { Work1us(); });
    benchmark::DoNotOptimize(g.Wait());
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Errgroup_1usTasks)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Baseline_1usTasks_CondVarPool(benchmark::State& state) {
  CondVarPool pool(2);
  for (auto _ : state) {
    absl::BlockingCounter done(kEmptyTasks);
    for (int i = 0; i < kEmptyTasks; ++i) {
      pool.Schedule([&done] {
        Work1us();
        done.DecrementCount();
      });
    }
    done.Wait();
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Baseline_1usTasks_CondVarPool)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Baseline_1usTasks_SerialLoop(benchmark::State& state) {
  for (auto _ : state) {
    for (int i = 0; i < kEmptyTasks; ++i) Work1us();
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Baseline_1usTasks_SerialLoop)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Go anchor: one task Go + Wait ≈ 810 ns.
void BM_Errgroup_SingleTask(benchmark::State& state) {
  for (auto _ : state) {
    errgroup::Group g;
    g.Go([] {});
    benchmark::DoNotOptimize(g.Wait());
  }
}
BENCHMARK(BM_Errgroup_SingleTask)->UseRealTime();

void BM_Errgroup_SingleTaskWithContext(benchmark::State& state) {
  for (auto _ : state) {
    errgroup::Group g(Context::Background());
    g.Go([] {});
    benchmark::DoNotOptimize(g.Wait());
  }
}
BENCHMARK(BM_Errgroup_SingleTaskWithContext)->UseRealTime();

// The group's own share of a single Go + Wait: the executor drops the
// helper requests, so Wait runs the task and no thread is handed anything.
// The difference to BM_Errgroup_SingleTaskWithContext is the hand-off.
void BM_Errgroup_SingleTaskNoHandOff(benchmark::State& state) {
  class DroppingExecutor : public Executor {
   public:
    void Schedule(absl::AnyInvocable<void() &&>) override {}
  } dropping;
  for (auto _ : state) {
    errgroup::Group g(Context::Background(), {.executor = &dropping});
    g.Go([] {});
    benchmark::DoNotOptimize(g.Wait());
  }
}
BENCHMARK(BM_Errgroup_SingleTaskNoHandOff)->UseRealTime();

void BM_Baseline_SingleTask_Thread(benchmark::State& state) {
  for (auto _ : state) std::thread([] {}).join();
}
BENCHMARK(BM_Baseline_SingleTask_Thread)->UseRealTime();

// Go anchor: 1,000 tasks sleeping 1 ms ≈ 2.1 ms (warm).
void BM_Errgroup_Sleep1ms(benchmark::State& state) {
  auto run = [] {
    errgroup::Group g;
    for (int i = 0; i < kSleepTasks; ++i) {
      g.Go([] { absl::SleepFor(absl::Milliseconds(1)); });
    }
    benchmark::DoNotOptimize(g.Wait());
  };
  run();  // Warm the pool.
  for (auto _ : state) run();
}
BENCHMARK(BM_Errgroup_Sleep1ms)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Baseline_Sleep1ms_ThreadPerTask(benchmark::State& state) {
  for (auto _ : state) {
    RunThreadPerTask(kSleepTasks,
                     [] { absl::SleepFor(absl::Milliseconds(1)); });
  }
}
BENCHMARK(BM_Baseline_Sleep1ms_ThreadPerTask)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The floor of any thread-based design here: Arg threads, already started
// and parked, share the 1,000 sleeps (no thread creation, no queue).
void BM_Baseline_Sleep1ms_ParkedThreads(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::atomic<int> next{0};
    TimeReleasingParkedThreads(state, threads, [&next] {
      while (next.fetch_add(1, std::memory_order_relaxed) < kSleepTasks) {
        absl::SleepFor(absl::Milliseconds(1));
      }
    });
  }
}
BENCHMARK(BM_Baseline_Sleep1ms_ParkedThreads)
    ->Arg(125)
    ->Arg(250)
    ->Arg(500)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Fail-fast fan-out: 10,000 tasks park on the group context; the task at
// position Arg fails, and Wait returns once everyone has seen the cancel.
// Go anchor ≈ 6.1 ms (TBB task_group, Asio and fixed pools deadlock here).
void BM_Errgroup_FailFastFanOut(benchmark::State& state) {
  const int failing = static_cast<int>(state.range(0));
  auto run = [failing] {
    errgroup::Group g(Context::Background());
    for (int i = 0; i < kFanOutTasks; ++i) {
      if (i == failing) {
        g.Go([] { return absl::AbortedError("fail fast"); });
      } else {
        g.Go([](const Context& ctx) { ctx.Wait(); });
      }
    }
    benchmark::DoNotOptimize(g.Wait());
  };
  run();  // Warm the pool.
  for (auto _ : state) run();
}
BENCHMARK(BM_Errgroup_FailFastFanOut)
    ->Arg(0)
    ->Arg(kFanOutTasks / 2)
    ->Arg(kFanOutTasks - 1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The floor of the fan-out for any design that parks a blocked task on an OS
// thread: the tasks before the failing one (Arg) are parked threads, and all
// of them must wake once. Thread creation is not timed.
void BM_Baseline_FailFast_ParkedThreads(benchmark::State& state) {
  const int parked = static_cast<int>(state.range(0));
  for (auto _ : state) TimeReleasingParkedThreads(state, parked, [] {});
}
BENCHMARK(BM_Baseline_FailFast_ParkedThreads)
    ->Arg(kFanOutTasks / 2)
    ->Arg(kFanOutTasks - 1)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

#if defined(__cpp_impl_coroutine)
// Coroutine tasks: the same workloads with tasks that wait at a co_await,
// holding their slot but no thread.

void BM_Errgroup_CoroEmpty(benchmark::State& state) {
  for (auto _ : state) {
    errgroup::Group g;
    for (int i = 0; i < kEmptyTasks; ++i) {
      g.Go([]() -> Task<void> { co_return; });
    }
    benchmark::DoNotOptimize(g.Wait());
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Errgroup_CoroEmpty)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Errgroup_CoroSleep1ms(benchmark::State& state) {
  auto run = [] {
    errgroup::Group g;
    for (int i = 0; i < kSleepTasks; ++i) {
      g.Go([](const Context& ctx) -> Task<void> {
        co_await Sleep(ctx, absl::Milliseconds(1));
      });
    }
    benchmark::DoNotOptimize(g.Wait());
  };
  run();
  for (auto _ : state) run();
}
BENCHMARK(BM_Errgroup_CoroSleep1ms)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// BM_Errgroup_FailFastFanOut with tasks parked at co_await WhenDone(ctx).
void BM_Errgroup_CoroFailFastFanOut(benchmark::State& state) {
  const int failing = static_cast<int>(state.range(0));
  auto run = [failing] {
    errgroup::Group g(Context::Background());
    for (int i = 0; i < kFanOutTasks; ++i) {
      if (i == failing) {
        g.Go([]() -> Task<absl::Status> {
          co_return absl::AbortedError("fail fast");
        });
      } else {
        g.Go([](const Context& ctx) -> Task<void> { co_await WhenDone(ctx); });
      }
    }
    benchmark::DoNotOptimize(g.Wait());
  };
  run();
  for (auto _ : state) run();
}
BENCHMARK(BM_Errgroup_CoroFailFastFanOut)
    ->Arg(0)
    ->Arg(kFanOutTasks / 2)
    ->Arg(kFanOutTasks - 1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
#if defined(__GLIBC__)
// Heap per suspended coroutine task: 10,000 tasks parked at
// co_await WhenDone(ctx) (their frames, the engine's share and the context
// entry), counter "bytes_per_task", from glibc's allocator statistics.
void BM_Errgroup_CoroSuspendedBytes(benchmark::State& state) {
  constexpr int kTasks = 10000;
  for (auto _ : state) {
    auto [ctx, cancel] = WithCancel(Context::Background());
    std::atomic<int> parked{0};
    const size_t before = mallinfo2().uordblks;
    {
      errgroup::Group g;
      for (int i = 0; i < kTasks; ++i) {
        g.Go([&parked, ctx = ctx]() -> Task<void> {
          parked.fetch_add(1, std::memory_order_relaxed);
          co_await WhenDone(ctx);
        });
      }
      while (parked.load() < kTasks) std::this_thread::yield();
      const size_t after = mallinfo2().uordblks;
      state.counters["bytes_per_task"] =
          static_cast<double>(after - before) / kTasks;
      cancel();
      benchmark::DoNotOptimize(g.Wait());
    }
  }
}
BENCHMARK(BM_Errgroup_CoroSuspendedBytes)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);
#endif  // defined(__GLIBC__)
#endif  // defined(__cpp_impl_coroutine)

}  // namespace
}  // namespace benchmarks
}  // namespace xsync
