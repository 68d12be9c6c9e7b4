// Copyright 2026 The xsync Authors.
//
// oneTBB's task_group on the task workloads of errgroup_benchmark, with the
// same task counts, as the C++ peer in //benchmarks:compare. TBB runs tasks
// on a fixed pool of one thread per core (plus the thread in wait()), so a
// fan-out of tasks that block on each other deadlocks: compare runs every TBB
// case in a child process under a time limit.
//
//   ./tools/bazel run -c opt //benchmarks:tbb_benchmark

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "benchmark/benchmark.h"
#include "benchmarks/baselines.h"
#include "tbb/task_group.h"

namespace xsync {
namespace benchmarks {
namespace {

template <typename F>
void RunTaskGroup(int tasks, const F& task) {
  tbb::task_group g;
  for (int i = 0; i < tasks; ++i) g.run(task);
  g.wait();
}

void BM_Tbb_Empty(benchmark::State& state) {
  for (auto _ : state) RunTaskGroup(kEmptyTasks, [] {});
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Tbb_Empty)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Tbb_1usTasks(benchmark::State& state) {
  for (auto _ : state) RunTaskGroup(kEmptyTasks, [] { Work1us(); });
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Tbb_1usTasks)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Tbb_SingleTask(benchmark::State& state) {
  for (auto _ : state) RunTaskGroup(1, [] {});
}
BENCHMARK(BM_Tbb_SingleTask)->UseRealTime();

void BM_Tbb_Sleep1ms(benchmark::State& state) {
  auto sleep = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  RunTaskGroup(kSleepTasks, sleep);  // Warm the pool, as the xsync case does.
  for (auto _ : state) RunTaskGroup(kSleepTasks, sleep);
}
BENCHMARK(BM_Tbb_Sleep1ms)->Unit(benchmark::kMillisecond)->UseRealTime();

// What a task waits on in the fan-out: a flag the failing task sets, as
// Go's ctx.Done() is closed by errgroup's first error.
class Cancellation {
 public:
  void Cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return done_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

// The fail-fast fan-out of BM_Errgroup_FailFastFanOut: 10,000 tasks wait
// for the cancellation that the task at position Arg sets.
void BM_Tbb_FailFastFanOut(benchmark::State& state) {
  const int failing = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Cancellation cancellation;
    tbb::task_group g;
    for (int i = 0; i < kFanOutTasks; ++i) {
      if (i == failing) {
        g.run([&cancellation] { cancellation.Cancel(); });
      } else {
        g.run([&cancellation] { cancellation.Wait(); });
      }
    }
    g.wait();
  }
}
BENCHMARK(BM_Tbb_FailFastFanOut)
    ->Arg(0)
    ->Arg(kFanOutTasks / 2)
    ->Arg(kFanOutTasks - 1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace benchmarks
}  // namespace xsync
