// Copyright 2026 The xsync Authors.
//
// Asio's C++20 coroutines (Debian libasio-dev) on the coroutine workloads of
// errgroup_benchmark, with the same task counts: the C++ peer of xsync's
// coroutine tasks in //benchmarks:compare. Each iteration runs its own
// io_context on one thread, Asio's usual shape; the fan-out's tasks wait
// on one steady_timer that never expires until the failing task cancels
// it, as Go's tasks wait on ctx.Done().
//
//   ./tools/bazel run -c opt //benchmarks:asio_benchmark

#if defined(__cpp_impl_coroutine)

#include <chrono>
#include <memory>

#include "asio.hpp"
#include "benchmark/benchmark.h"
#include "benchmarks/baselines.h"

namespace xsync {
namespace benchmarks {
namespace {

asio::awaitable<void> Sleep1ms() {
  asio::steady_timer timer(co_await asio::this_coro::executor,
                           std::chrono::milliseconds(1));
  co_await timer.async_wait(asio::use_awaitable);
}

void BM_Asio_CoroSleep1ms(benchmark::State& state) {
  for (auto _ : state) {
    asio::io_context io(1);
    for (int i = 0; i < kSleepTasks; ++i) {
      asio::co_spawn(io, Sleep1ms(), asio::detached);
    }
    io.run();
  }
}
BENCHMARK(BM_Asio_CoroSleep1ms)->Unit(benchmark::kMillisecond)->UseRealTime();

// A task of the fan-out: waits for `done` to be cancelled, unless it was.
asio::awaitable<void> WaitDone(asio::steady_timer& done,
                               const bool& cancelled) {
  if (cancelled) co_return;
  asio::error_code ignored;
  co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> Fail(asio::steady_timer& done, bool& cancelled) {
  cancelled = true;
  done.cancel();
  co_return;
}

void BM_Asio_CoroFailFastFanOut(benchmark::State& state) {
  const int failing = static_cast<int>(state.range(0));
  for (auto _ : state) {
    asio::io_context io(1);
    asio::steady_timer done(io, asio::steady_timer::time_point::max());
    bool cancelled = false;
    for (int i = 0; i < kFanOutTasks; ++i) {
      if (i == failing) {
        asio::co_spawn(io, Fail(done, cancelled), asio::detached);
      } else {
        asio::co_spawn(io, WaitDone(done, cancelled), asio::detached);
      }
    }
    io.run();
  }
}
BENCHMARK(BM_Asio_CoroFailFastFanOut)
    ->Arg(0)
    ->Arg(kFanOutTasks / 2)
    ->Arg(kFanOutTasks - 1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// 10,000 coroutines that end at once: the cost of spawning one.
asio::awaitable<void> Empty() { co_return; }

void BM_Asio_CoroEmpty(benchmark::State& state) {
  for (auto _ : state) {
    asio::io_context io(1);
    for (int i = 0; i < kEmptyTasks; ++i) {
      asio::co_spawn(io, Empty(), asio::detached);
    }
    io.run();
  }
  ReportPerTask(state, kEmptyTasks);
}
BENCHMARK(BM_Asio_CoroEmpty)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace benchmarks
}  // namespace xsync

#endif  // defined(__cpp_impl_coroutine)
