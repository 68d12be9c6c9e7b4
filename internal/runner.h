// Copyright 2026 The xsync Authors.
//
// The one runner behind gollback and hunch's All/Race/Take/Last: runs a set
// of functions concurrently on the shared group engine, reports each outcome
// (index, outcome) to a decider under a lock, and ends the run early when the
// decider says so — cancelling the context the others see at once. A
// coroutine function (C++20, returning Task<R>) is awaited on the engine as
// a coroutine group task: it holds no thread while it waits. Returns
// only after every function it started has returned (structured), and
// rethrows the first exception a function threw.

#ifndef XSYNC_INTERNAL_RUNNER_H_
#define XSYNC_INTERNAL_RUNNER_H_

#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "xsync/context/context.h"
#include "xsync/internal/group_engine.h"
#include "xsync/internal/group_task.h"
#include "xsync/internal/outcome.h"

namespace xsync {
namespace internal {

// A decider returning void only stores each outcome: the run never ends
// early, and every function runs.
template <typename F, typename Decide>
constexpr bool kOnlyStores =
    std::is_void_v<std::invoke_result_t<Decide&, size_t, Outcome<F>>>;

// One run's shared state. Each task holds only a pointer to it and its
// index, so an engine task stores it inline (no allocation per function).
template <typename F, typename Decide>
class Run {
 public:
  Run(std::vector<F>& fns, Decide& decide, GroupEngine& engine)
      : fns_(fns), decide_(decide), engine_(engine) {}

  void RunFunction(size_t i, const Context& ctx) ABSL_LOCKS_EXCLUDED(mu_) {
    Report(i, InvokeOutcome(fns_[i], ctx));
  }

#if defined(__cpp_impl_coroutine)
  // A coroutine function: awaited, holding no thread while it waits.
  Task<void> RunCoroFunction(size_t i, const Context& ctx) {
    if constexpr (std::is_void_v<CoroValue<F>>) {
      co_await InvokeWithContext(fns_[i], ctx);
      Report(i, absl::OkStatus());
    } else {
      Report(i, ToOutcome<F>(co_await InvokeWithContext(fns_[i], ctx)));
    }
  }
#endif

 private:
  void Report(size_t i, Outcome<F> outcome) ABSL_LOCKS_EXCLUDED(mu_) {
    if constexpr (kOnlyStores<F, Decide>) {
      decide_(i, std::move(outcome));  // Index i is its own: no lock.
    } else {
      bool end_now = false;
      {
        absl::MutexLock lock(&mu_);
        if (!ended_) end_now = ended_ = decide_(i, std::move(outcome));
      }
      if (end_now) engine_.Cancel(absl::OkStatus());
    }
  }

  std::vector<F>& fns_;
  Decide& decide_;
  GroupEngine& engine_;
  absl::Mutex mu_;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
};

// Runs the functions in `fns` (callers that must not start anything on a
// done context check before). `decide(index, outcome)` runs under a lock, one
// call at a time, in completion order; returning true ends the run: the
// functions still running see their context cancelled, and those not started
// yet never start (nor do they once `ctx` is done), so a decider may see
// fewer outcomes than functions only when it ended the run or `ctx` is done.
// A `decide` returning void only stores: it runs concurrently, once per
// index, every function runs, and the run never ends early.
template <typename F, typename Decide>
void RunEach(const Context& ctx, std::vector<F>& fns, Decide decide) {
  GroupEngine::Options options;
  options.on_error = GroupEngine::OnError::kRecord;
  options.skip_when_done = !kOnlyStores<F, Decide>;
  GroupEngine engine(ctx, options);
  Run<F, Decide> run(fns, decide, engine);
  std::vector<GroupEngine::Task> tasks;
  tasks.reserve(fns.size());
  for (size_t i = 0; i < fns.size(); ++i) {
    if constexpr (kIsCoroTask<F>) {
#if defined(__cpp_impl_coroutine)
      tasks.push_back(GroupTask([&run, i](const Context& run_ctx) {
        return run.RunCoroFunction(i, run_ctx);
      }));
#endif
    } else {
      tasks.push_back([&run, i](const Context& run_ctx) {
        run.RunFunction(i, run_ctx);
        return absl::OkStatus();
      });
    }
  }
  engine.SubmitAll(absl::MakeSpan(tasks));
  engine.Wait().IgnoreError();
  engine.RethrowIfException();
}

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_RUNNER_H_
