// Copyright 2026 The xsync Authors.
//
// Context create/cancel, cancellation fan-out and AfterFunc.
//
//   ./tools/bazel run -c opt //benchmarks:context_benchmark

#include <vector>

#include "benchmark/benchmark.h"
#include "tests/test_util.h"
#include "xsync/context/context.h"

namespace xsync {
namespace {

// Go anchor: context.WithCancel(cancelable parent) + cancel ≈ 400 ns.
void BM_WithCancelThenCancel(benchmark::State& state) {
  auto [parent, cancel_parent] = WithCancel(Context::Background());
  for (auto _ : state) {
    auto [ctx, cancel] = WithCancel(parent);
    cancel();
    benchmark::DoNotOptimize(ctx);
  }
}
BENCHMARK(BM_WithCancelThenCancel);

void BM_WithTimeoutThenCancel(benchmark::State& state) {
  auto [parent, cancel_parent] = WithCancel(Context::Background());
  for (auto _ : state) {
    auto [ctx, cancel] = WithTimeout(parent, absl::Seconds(10));
    cancel();
    benchmark::DoNotOptimize(ctx);
  }
}
BENCHMARK(BM_WithTimeoutThenCancel);

// Go anchor: cancelling a parent with 100k children ≈ 23 ms.
void BM_CancelParentOfChildren(benchmark::State& state) {
  const int children = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto [parent, cancel] = WithCancel(Context::Background());
    std::vector<ContextAndCancel> kids;
    kids.reserve(children);
    for (int i = 0; i < children; ++i) kids.push_back(WithCancel(parent));
    state.ResumeTiming();
    cancel();
    state.PauseTiming();
    kids.clear();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_CancelParentOfChildren)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(10);

void BM_AfterFuncThenCancel(benchmark::State& state) {
  InlineExecutor inline_executor;
  int runs = 0;
  for (auto _ : state) {
    auto [ctx, cancel] = WithCancel(Context::Background());
    AfterFunc(
        ctx, [&runs] { ++runs; }, &inline_executor);
    cancel();
  }
  benchmark::DoNotOptimize(runs);
}
BENCHMARK(BM_AfterFuncThenCancel);

void BM_AfterFuncThenStop(benchmark::State& state) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  for (auto _ : state) {
    AfterFuncHandle handle = AfterFunc(ctx, [] {});
    benchmark::DoNotOptimize(handle.Stop());
  }
}
BENCHMARK(BM_AfterFuncThenStop);

void BM_DoneCheck(benchmark::State& state) {
  auto [ctx, cancel] = WithCancel(Context::Background());
  for (auto _ : state) benchmark::DoNotOptimize(ctx.Done());
}
BENCHMARK(BM_DoneCheck);

}  // namespace
}  // namespace xsync
