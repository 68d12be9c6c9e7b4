// Copyright 2026 The xsync Authors.

#include "xsync/internal/retry.h"

#include <random>

namespace xsync {
namespace internal {

double Jitter(double jitter) {
  thread_local std::minstd_rand rng(std::random_device{}());
  std::uniform_real_distribution<double> spread(-jitter, jitter);
  return spread(rng);
}

absl::Status SleepBackoff(const Context& ctx, absl::Duration backoff) {
  if (backoff <= absl::ZeroDuration()) return ctx.Err();
  const absl::Time wake = absl::Now() + backoff;
  if (std::optional<absl::Time> deadline = ctx.Deadline();
      deadline.has_value() && wake >= *deadline) {
    // Sleeping would run into the deadline: report it now instead.
    return ctx.Done() ? ctx.Err()
                      : absl::DeadlineExceededError(
                            "context deadline exceeded (the next retry would "
                            "start after it)");
  }
  if (ctx.WaitUntil(wake)) return ctx.Err();
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace xsync
