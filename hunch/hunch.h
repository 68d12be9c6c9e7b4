// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: hunch/hunch.h
// -----------------------------------------------------------------------------
//
// aaronjan/hunch with types: `All`, `Take`, `Last`, `Retry`, `Waterfall`.
//
// Functions take `const xsync::Context&` or nothing and return a value `T`
// or `absl::StatusOr<T>` (Waterfall's later steps take the context and the
// previous step's value). Results are `absl::StatusOr` of the values.
//
// Semantics:
//   * `All(ctx, fns)`: every value, in input order. The first error cancels
//     the rest and is returned. No functions: OK, empty.
//   * `Take(ctx, num, fns)`: the first `num` successes, in completion order;
//     then the rest are cancelled. `num` > the number of functions is
//     clamped; `num` <= 0 is InvalidArgument; an error before `num` successes
//     fails the call (and cancels the rest).
//   * `Last(ctx, num, fns)`: every function must succeed; the last `num`
//     results in completion order. `num` as for Take.
//   * `Retry(ctx, retries, fn[, RetryOptions])`: retries == 0 retries until
//     success or the context is done; negative is InvalidArgument; when
//     attempts run out, an error with the last attempt's code and the message
//     "max retries exceeded (N times): <last message>".
//   * `Waterfall(ctx, f1, f2, ...)`: f1(ctx), then f2(ctx, value1), ...;
//     returns the last value or the first error. No functions:
//     InvalidArgument.
//   * A parent context that is done (before or during a call) makes the call
//     return the parent's error promptly; nothing starts if it was done
//     before.
//
// The degenerate inputs the Go versions hang or crash on (empty All/Take,
// Take(0), Take(-1), empty Waterfall, Last(-1)) return a defined result or
// InvalidArgument.
//
// Structured: each call returns only after every function it started has
// returned; losers and the rest after a failure see their context cancelled
// as soon as the outcome is known, and those not started by then never start
// (Go starts every goroutine up front; here the functions queued behind a
// decided outcome are not run at all). A throwing function is rethrown.
//
// Example:
//
//   absl::StatusOr<std::vector<Page>> two =
//       xsync::hunch::Take(ctx, 2, mirrors);

#ifndef XSYNC_HUNCH_HUNCH_H_
#define XSYNC_HUNCH_HUNCH_H_

#include <algorithm>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "xsync/context/context.h"
#include "xsync/internal/outcome.h"
#include "xsync/internal/retry.h"
#include "xsync/internal/runner.h"
#include "xsync/retry/retry_options.h"  // IWYU pragma: export

namespace xsync {
namespace hunch {

namespace hunch_internal {

template <typename F>
constexpr void CheckValueFunction() {
  internal::CheckCallable<F>();
  if constexpr (internal::kIsTask<F>) {
    static_assert(internal::IsStatusOr<internal::Outcome<F>>::value,
                  "xsync::hunch: functions return a value T or "
                  "absl::StatusOr<T> (not void or absl::Status)");
  }
}

template <typename F>
using Value = typename internal::IsStatusOr<internal::Outcome<F>>::Value;

// The parent's error if it is done, else `error`.
inline absl::Status PreferParent(const Context& ctx, absl::Status error) {
  return ctx.Done() ? ctx.Err() : error;
}

inline absl::Status CheckNum(const char* call, int num) {
  if (num > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(call, ": num must be > 0, got ", num));
}

// Runs `fns` collecting successes in completion order until `wanted` of them
// (ending the run), or until the first error (ending it too).
template <typename F>
absl::StatusOr<std::vector<Value<F>>> Collect(const Context& ctx,
                                              std::vector<F>& fns,
                                              size_t wanted) {
  std::vector<Value<F>> values;
  absl::Status error;
  internal::RunEach(ctx, fns, [&](size_t, internal::Outcome<F> outcome) {
    if (!outcome.ok()) {
      error = outcome.status();
      return true;
    }
    values.push_back(*std::move(outcome));
    return values.size() >= wanted;
  });
  if (!error.ok()) return PreferParent(ctx, error);
  // Fewer successes than wanted and no error: the parent was done, and the
  // functions not started by then never ran.
  if (values.size() < wanted) return ctx.Err();
  return values;
}

// Waterfall's result type: the last step's value, as a StatusOr.
template <typename T, typename... Fs>
struct Chain {
  using Type = absl::StatusOr<T>;
};
template <typename T, typename F, typename... Fs>
struct Chain<T, F, Fs...> {
  static_assert(std::is_invocable_v<F&, const Context&, T&&>,
                "xsync::hunch::Waterfall: each step after the first is "
                "called as f(const xsync::Context&, previous value)");
  using Out = typename internal::OutcomeOf<
      std::decay_t<std::invoke_result_t<F&, const Context&, T&&>>>::Type;
  static_assert(internal::IsStatusOr<Out>::value,
                "xsync::hunch::Waterfall: steps return a value T or "
                "absl::StatusOr<T>");
  using Type =
      typename Chain<typename internal::IsStatusOr<Out>::Value, Fs...>::Type;
};

template <typename T>
absl::StatusOr<T> Step(const Context&, T value) {
  return value;
}

template <typename T, typename F, typename... Fs>
typename Chain<T, F, Fs...>::Type Step(const Context& ctx, T value, F& f,
                                       Fs&... fs) {
  if (ctx.Done()) return ctx.Err();
  typename Chain<T, F>::Out out(f(ctx, std::move(value)));
  if (!out.ok()) return PreferParent(ctx, out.status());
  return Step(ctx, *std::move(out), fs...);
}

}  // namespace hunch_internal

template <typename F>
absl::StatusOr<std::vector<hunch_internal::Value<F>>> All(const Context& ctx,
                                                          std::vector<F> fns) {
  hunch_internal::CheckValueFunction<F>();
  using V = hunch_internal::Value<F>;
  if (ctx.Done()) return ctx.Err();
  std::vector<std::optional<V>> slots(fns.size());
  absl::Status error;
  internal::RunEach(ctx, fns, [&](size_t i, internal::Outcome<F> outcome) {
    if (!outcome.ok()) {
      error = outcome.status();
      return true;
    }
    slots[i] = *std::move(outcome);
    return false;
  });
  if (!error.ok()) return hunch_internal::PreferParent(ctx, error);
  std::vector<V> values;
  values.reserve(slots.size());
  for (auto& slot : slots) {
    // A function not started before the parent was done never ran.
    if (!slot.has_value()) return ctx.Err();
    values.push_back(*std::move(slot));
  }
  return values;
}

template <typename F>
absl::StatusOr<std::vector<hunch_internal::Value<F>>> Take(const Context& ctx,
                                                           int num,
                                                           std::vector<F> fns) {
  hunch_internal::CheckValueFunction<F>();
  if (absl::Status s = hunch_internal::CheckNum("Take", num); !s.ok()) {
    return s;
  }
  if (ctx.Done()) return ctx.Err();
  const size_t wanted = std::min(static_cast<size_t>(num), fns.size());
  if (wanted == 0) return std::vector<hunch_internal::Value<F>>();
  return hunch_internal::Collect(ctx, fns, wanted);
}

template <typename F>
absl::StatusOr<std::vector<hunch_internal::Value<F>>> Last(const Context& ctx,
                                                           int num,
                                                           std::vector<F> fns) {
  hunch_internal::CheckValueFunction<F>();
  if (absl::Status s = hunch_internal::CheckNum("Last", num); !s.ok()) {
    return s;
  }
  if (ctx.Done()) return ctx.Err();
  const size_t keep = std::min(static_cast<size_t>(num), fns.size());
  auto all = hunch_internal::Collect(ctx, fns, fns.size());
  if (!all.ok()) return all.status();
  all->erase(all->begin(), all->end() - keep);
  return all;
}

template <typename F>
internal::Outcome<F> Retry(const Context& ctx, int retries, F fn,
                           const RetryOptions& options = RetryOptions()) {
  hunch_internal::CheckValueFunction<F>();
  if (retries < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Retry: retries must be >= 0 (0 retries for ever), got ", retries));
  }
  bool exhausted;
  internal::Outcome<F> outcome =
      internal::RetryLoop(ctx, retries, options, fn, &exhausted);
  if (!exhausted) return outcome;
  return absl::Status(outcome.status().code(),
                      absl::StrCat("max retries exceeded (", retries,
                                   " times): ", outcome.status().message()));
}

inline absl::Status Waterfall(const Context&) {
  return absl::InvalidArgumentError("Waterfall: no function to run");
}

template <typename F1, typename... Fs>
auto Waterfall(const Context& ctx, F1 f1, Fs... fs) {
  hunch_internal::CheckValueFunction<F1>();
  using First = hunch_internal::Value<F1>;
  using Result = typename hunch_internal::Chain<First, Fs...>::Type;
  if (ctx.Done()) return Result(ctx.Err());
  internal::Outcome<F1> first = internal::InvokeOutcome(f1, ctx);
  if (!first.ok()) {
    return Result(hunch_internal::PreferParent(ctx, first.status()));
  }
  return Result(hunch_internal::Step(ctx, *std::move(first), fs...));
}

}  // namespace hunch
}  // namespace xsync

#endif  // XSYNC_HUNCH_HUNCH_H_
