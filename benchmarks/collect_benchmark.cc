// Copyright 2026 The xsync Authors.
//
// gollback and hunch call costs (functions return at once), against running
// the same functions on a std::thread each, in the same binary.
//
//   ./tools/bazel run -c opt //benchmarks:collect_benchmark

#include <functional>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "benchmarks/baselines.h"
#include "xsync/gollback/gollback.h"
#include "xsync/hunch/hunch.h"

namespace xsync {
namespace benchmarks {
namespace {

using IntFn = std::function<absl::StatusOr<int>(const Context&)>;

std::vector<IntFn> Functions(int n) {
  std::vector<IntFn> fns;
  for (int i = 0; i < n; ++i) {
    fns.push_back([i](const Context&) -> absl::StatusOr<int> { return i; });
  }
  return fns;
}

// Go anchors: gollback.All 16 fns 8.8 us, 1,000 fns 680 us.
void BM_Gollback_All(benchmark::State& state) {
  const std::vector<IntFn> fns = Functions(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(gollback::All(Context::Background(), fns));
  }
}
BENCHMARK(BM_Gollback_All)->Arg(16)->Arg(1000)->UseRealTime();

// Go anchor: gollback.Race 16 fns 10.6 us.
void BM_Gollback_Race(benchmark::State& state) {
  const std::vector<IntFn> fns = Functions(16);
  for (auto _ : state) {
    benchmark::DoNotOptimize(gollback::Race(Context::Background(), fns));
  }
}
BENCHMARK(BM_Gollback_Race)->UseRealTime();

// Go anchor: hunch.All 16 fns 19.3 us.
void BM_Hunch_All(benchmark::State& state) {
  const std::vector<IntFn> fns = Functions(16);
  for (auto _ : state) {
    benchmark::DoNotOptimize(hunch::All(Context::Background(), fns));
  }
}
BENCHMARK(BM_Hunch_All)->UseRealTime();

// Go anchor: hunch.Take(1 of 16) 14.6 us.
void BM_Hunch_Take1Of16(benchmark::State& state) {
  const std::vector<IntFn> fns = Functions(16);
  for (auto _ : state) {
    benchmark::DoNotOptimize(hunch::Take(Context::Background(), 1, fns));
  }
}
BENCHMARK(BM_Hunch_Take1Of16)->UseRealTime();

// Go anchor: hunch.Waterfall 16 steps 13.8 us (sequential: no threads here).
void BM_Hunch_Waterfall16(benchmark::State& state) {
  auto step = [](const Context&, int x) { return x + 1; };
  for (auto _ : state) {
    benchmark::DoNotOptimize(hunch::Waterfall(
        Context::Background(), [] { return 0; }, step, step, step, step, step,
        step, step, step, step, step, step, step, step, step, step));
  }
}
BENCHMARK(BM_Hunch_Waterfall16);

// Go anchor: hunch.Retry succeeding at the 3rd attempt 3.3 us.
void BM_Hunch_RetryThirdAttempt(benchmark::State& state) {
  for (auto _ : state) {
    int calls = 0;
    benchmark::DoNotOptimize(hunch::Retry(
        Context::Background(), 5, [&calls]() -> absl::StatusOr<int> {
          if (++calls < 3) return absl::UnavailableError("again");
          return calls;
        }));
  }
}
BENCHMARK(BM_Hunch_RetryThirdAttempt);

void BM_Baseline_ThreadPerFunction16(benchmark::State& state) {
  for (auto _ : state) RunThreadPerTask(16, [] {});
}
BENCHMARK(BM_Baseline_ThreadPerFunction16)->UseRealTime();

}  // namespace
}  // namespace benchmarks
}  // namespace xsync
