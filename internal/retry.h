// Copyright 2026 The xsync Authors.
//
// The one retry loop (with backoff) behind gollback::Retry and hunch::Retry.
//
//   * The context is checked before each attempt; a done context ends the
//     loop with its error.
//   * `max_attempts` > 0 bounds the attempts; <= 0 means until success.
//   * Between attempts it sleeps the backoff (initial, times `multiplier`
//     each time, capped at `max_backoff`, randomized by +-`jitter`). Sleeps
//     wake at once on cancellation, and a sleep that would end past the
//     context's deadline is not taken: the deadline error is returned instead.

#ifndef XSYNC_INTERNAL_RETRY_H_
#define XSYNC_INTERNAL_RETRY_H_

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/context/context.h"
#include "xsync/internal/outcome.h"
#include "xsync/retry/retry_options.h"  // IWYU pragma: export

namespace xsync {

namespace internal {

// A uniform random factor in [-jitter, +jitter].
double Jitter(double jitter);

// Sleeps `backoff` unless the context ends first or its deadline would pass;
// OK if the next attempt may go ahead, else the context's error.
absl::Status SleepBackoff(const Context& ctx, absl::Duration backoff);

// Runs `attempt` (a function of the context) until it succeeds, attempts run
// out (returns the last outcome, and `*exhausted` = true) or the context ends.
template <typename F>
Outcome<F> RetryLoop(const Context& ctx, int max_attempts,
                     const RetryOptions& options, F& attempt, bool* exhausted) {
  *exhausted = false;
  absl::Duration backoff = options.initial_backoff;
  for (int i = 0;; ++i) {
    if (ctx.Done()) return Outcome<F>(ctx.Err());
    Outcome<F> outcome = InvokeOutcome(attempt, ctx);
    if (StatusOf(outcome).ok()) return outcome;
    if (max_attempts > 0 && i + 1 >= max_attempts) {
      *exhausted = true;
      return outcome;
    }
    absl::Duration sleep = backoff;
    if (options.jitter > 0 && sleep > absl::ZeroDuration()) {
      sleep = sleep * (1.0 + Jitter(options.jitter));
    }
    if (absl::Status status = SleepBackoff(ctx, sleep); !status.ok()) {
      return Outcome<F>(status);
    }
    backoff = std::min(backoff * options.multiplier, options.max_backoff);
  }
}

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_RETRY_H_
