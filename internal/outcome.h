// Copyright 2026 The xsync Authors.
//
// Normalizing what a function returns, for the collectors (gollback, hunch):
//   void, absl::Status       -> absl::Status
//   absl::StatusOr<T>        -> absl::StatusOr<T>
//   T (anything else)        -> absl::StatusOr<T>
// A function is called as f(ctx) if it accepts a `const Context&`, else f().

#ifndef XSYNC_INTERNAL_OUTCOME_H_
#define XSYNC_INTERNAL_OUTCOME_H_

#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "xsync/context/context.h"
#include "xsync/coro/task.h"
#include "xsync/internal/invoke.h"

namespace xsync {
namespace internal {

template <typename T>
struct IsStatusOr : std::false_type {};
template <typename T>
struct IsStatusOr<absl::StatusOr<T>> : std::true_type {
  using Value = T;
};

template <typename R>
struct OutcomeOf {
  using Type = absl::StatusOr<R>;
};
template <>
struct OutcomeOf<void> {
  using Type = absl::Status;
};
template <>
struct OutcomeOf<absl::Status> {
  using Type = absl::Status;
};
template <typename T>
struct OutcomeOf<absl::StatusOr<T>> {
  using Type = absl::StatusOr<T>;
};

#if defined(__cpp_impl_coroutine)
// A coroutine function's outcome is that of the value its Task ends with.
template <typename T>
struct OutcomeOf<Task<T>> : OutcomeOf<T> {};
#endif

// The normalized result of calling `F` (and, for a coroutine function,
// awaiting the Task it returns).
template <typename F>
using Outcome = typename OutcomeOf<std::decay_t<TaskResult<F>>>::Type;

// Converts the value a function ended with to its outcome.
template <typename F, typename R>
Outcome<F> ToOutcome(R&& result) {
  return Outcome<F>(std::forward<R>(result));
}

template <typename F>
constexpr void CheckCallable() {
  static_assert(kIsTask<F>,
                "xsync: each function must be callable as "
                "f(const xsync::Context&) or as f()");
}

template <typename F>
Outcome<F> InvokeOutcome(F& f, const Context& ctx) {
  if constexpr (std::is_void_v<TaskResult<F>>) {
    InvokeWithContext(f, ctx);
    return absl::OkStatus();
  } else {
    return Outcome<F>(InvokeWithContext(f, ctx));
  }
}

// The status part of an outcome.
inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_OUTCOME_H_
