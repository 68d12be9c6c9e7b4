// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: gollback/gollback.h
// -----------------------------------------------------------------------------
//
// vardius/gollback with types: run functions concurrently and collect every
// result (`All`), the first success (`Race`), or retry one (`Retry`).
//
// Functions take `const xsync::Context&` or nothing and return a value `T`,
// `absl::StatusOr<T>`, `absl::Status` or void. Results come back normalized:
// `absl::StatusOr<T>` for value functions, `absl::Status` for the others.
// Pass a vector of functions of one type (lambdas of one type, or
// `std::function`s), or, to `All`, functions of different types as separate
// arguments (a tuple comes back).
//
// Semantics:
//   * `All(ctx, fns)`: runs every function; results in input order, errors
//     side by side with values; never fails fast.
//   * `Race(ctx, fns)`: the first success wins and the others' context is
//     cancelled at once (those not started yet never start); if all fail,
//     the error of the one that failed last. No functions:
//     InvalidArgument("no callback to run"). A context already done returns
//     its error without starting anything; one done during the call returns
//     its error unless a function succeeded or all had failed first.
//   * `Retry(ctx, retries, fn[, RetryOptions])`: retries > 0 is the total
//     number of attempts, returning the last error; retries <= 0 retries until
//     success or the context is done (its error). The context is checked
//     before each attempt; backoff sleeps wake on cancellation and never run
//     past the deadline (see xsync::RetryOptions).
//
// Structured: each call returns only after every function it started has
// returned. A throwing function is rethrown from the call (after the others
// finish). Functions run on the DefaultExecutor.
//
// Example:
//
//   std::vector<std::function<absl::StatusOr<int>(const xsync::Context&)>>
//       mirrors = {...};
//   absl::StatusOr<int> fastest = xsync::gollback::Race(ctx, mirrors);

#ifndef XSYNC_GOLLBACK_GOLLBACK_H_
#define XSYNC_GOLLBACK_GOLLBACK_H_

#include <functional>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "xsync/context/context.h"
#include "xsync/internal/outcome.h"
#include "xsync/internal/retry.h"
#include "xsync/internal/runner.h"
#include "xsync/retry/retry_options.h"  // IWYU pragma: export

namespace xsync {
namespace gollback {

template <typename F>
std::vector<internal::Outcome<F>> All(const Context& ctx, std::vector<F> fns) {
  internal::CheckCallable<F>();
  std::vector<internal::Outcome<F>> results(fns.size());
  internal::RunEach(ctx, fns, [&](size_t i, internal::Outcome<F> outcome) {
    results[i] = std::move(outcome);
  });
  return results;
}

namespace gollback_internal {

// Runs each element of `functions`, storing its outcome in the same element
// of `results` (distinct objects: no two functions write the same one).
template <typename Results, typename Functions, size_t... I>
void RunTuple(const Context& ctx, Results& results, Functions& functions,
              std::index_sequence<I...>) {
  std::vector<absl::AnyInvocable<void(const Context&)>> runs;
  runs.reserve(sizeof...(I));
  (runs.push_back([&results, &functions](const Context& run_ctx) {
    std::get<I>(results) =
        internal::InvokeOutcome(std::get<I>(functions), run_ctx);
  }),
   ...);
  internal::RunEach(ctx, runs, [](size_t, absl::Status) {});
}

}  // namespace gollback_internal

// Functions of different types: a tuple of their outcomes, in argument order.
template <typename F1, typename F2, typename... Fs>
std::tuple<internal::Outcome<F1>, internal::Outcome<F2>,
           internal::Outcome<Fs>...>
All(const Context& ctx, F1 f1, F2 f2, Fs... fs) {
  (internal::CheckCallable<F1>(), internal::CheckCallable<F2>(),
   (internal::CheckCallable<Fs>(), ...));
  std::tuple<internal::Outcome<F1>, internal::Outcome<F2>,
             internal::Outcome<Fs>...>
      results;
  std::tuple<F1, F2, Fs...> functions(std::move(f1), std::move(f2),
                                      std::move(fs)...);
  gollback_internal::RunTuple(ctx, results, functions,
                              std::index_sequence_for<F1, F2, Fs...>());
  return results;
}

template <typename F>
internal::Outcome<F> Race(const Context& ctx, std::vector<F> fns) {
  internal::CheckCallable<F>();
  if (fns.empty()) {
    return internal::Outcome<F>(
        absl::InvalidArgumentError("no callback to run"));
  }
  if (ctx.Done()) return internal::Outcome<F>(ctx.Err());
  std::optional<internal::Outcome<F>> winner;
  std::optional<internal::Outcome<F>> last_failure;
  size_t failures = 0;
  internal::RunEach(ctx, fns, [&](size_t, internal::Outcome<F> outcome) {
    if (internal::StatusOf(outcome).ok()) {
      winner = std::move(outcome);
      return true;
    }
    last_failure = std::move(outcome);
    ++failures;
    return false;
  });
  if (winner.has_value()) return std::move(*winner);
  // Functions not started once `ctx` was done never ran: its error decides.
  if (failures < fns.size()) return internal::Outcome<F>(ctx.Err());
  return std::move(*last_failure);
}

template <typename F>
internal::Outcome<F> Retry(const Context& ctx, int retries, F fn,
                           const RetryOptions& options = RetryOptions()) {
  internal::CheckCallable<F>();
  bool exhausted;
  return internal::RetryLoop(ctx, retries, options, fn, &exhausted);
}

}  // namespace gollback
}  // namespace xsync

#endif  // XSYNC_GOLLBACK_GOLLBACK_H_
