// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: retry/retry_options.h
// -----------------------------------------------------------------------------
//
// `xsync::RetryOptions`: the backoff between the attempts of
// `gollback::Retry` and `hunch::Retry` (their Go originals retry at once,
// which is also the default here).
//
//   xsync::RetryOptions backoff;
//   backoff.initial_backoff = absl::Milliseconds(10);
//   backoff.jitter = 0.2;
//   auto result = xsync::gollback::Retry(ctx, 5, Fetch, backoff);
//
// Between attempts the caller sleeps `initial_backoff`, then `multiplier`
// times the previous sleep, capped at `max_backoff`, each randomized within
// +-`jitter` of itself. A sleep wakes at once when the context ends (the call
// returns its error), and a sleep that would end past the context's deadline
// is not taken: the deadline error is returned at once instead.

#ifndef XSYNC_RETRY_RETRY_OPTIONS_H_
#define XSYNC_RETRY_RETRY_OPTIONS_H_

#include "absl/time/time.h"

namespace xsync {

struct RetryOptions {
  // The first sleep; zero retries at once.
  absl::Duration initial_backoff = absl::ZeroDuration();
  // Each next sleep is the previous one times this.
  double multiplier = 2.0;
  // No sleep is longer than this.
  absl::Duration max_backoff = absl::Seconds(30);
  // In [0, 1): each sleep is randomized within +-jitter of itself.
  double jitter = 0.0;
};

}  // namespace xsync

#endif  // XSYNC_RETRY_RETRY_OPTIONS_H_
