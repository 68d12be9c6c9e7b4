// Copyright 2026 The xsync Authors.
//
// The one runner behind gollback and hunch's All/Race/Take/Last: runs a set
// of functions concurrently on the shared group engine, reports each outcome
// (index, outcome) to a decider under a lock, and ends the run early when the
// decider says so — cancelling the context the others see at once. Returns
// only after every function it started has returned (structured), and
// rethrows the first exception a function threw.

#ifndef XSYNC_INTERNAL_RUNNER_H_
#define XSYNC_INTERNAL_RUNNER_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "context/context.h"
#include "internal/group_engine.h"
#include "internal/outcome.h"

namespace xsync {
namespace internal {

// Starts every function in `fns` (callers that must not start anything on a
// done context check before). `decide(index, outcome)` runs under a lock, one
// call at a time, in completion order; returning true ends the run.
template <typename F, typename Decide>
void RunEach(const Context& ctx, std::vector<F>& fns, Decide decide) {
  GroupEngine::Options options;
  options.cancel_on_error = false;
  GroupEngine engine(ctx, options);
  absl::Mutex mu;
  bool ended = false;
  for (size_t i = 0; i < fns.size(); ++i) {
    engine.Submit(
        [&, i](const Context& run_ctx) {
          Outcome<F> outcome = InvokeOutcome(fns[i], run_ctx);
          bool end_now = false;
          {
            absl::MutexLock lock(&mu);
            if (!ended) end_now = ended = decide(i, std::move(outcome));
          }
          if (end_now) engine.Cancel(absl::OkStatus());
          return absl::OkStatus();
        },
        GroupEngine::Admission::kBlock);
  }
  engine.Wait().IgnoreError();
  engine.RethrowIfException();
}

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_RUNNER_H_
