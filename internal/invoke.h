// Copyright 2026 The xsync Authors.
//
// Adapting user callables to the engine's one task shape,
// `absl::Status(const Context&)`. A task is invoked as `f(ctx)` if it accepts a
// `const xsync::Context&`, else as `f()`; it may return void (success),
// `absl::Status` or anything convertible to it.

#ifndef XSYNC_INTERNAL_INVOKE_H_
#define XSYNC_INTERNAL_INVOKE_H_

#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "xsync/context/context.h"

namespace xsync {
namespace internal {

template <typename F>
inline constexpr bool kTakesContext = std::is_invocable_v<F&, const Context&>;

template <typename F>
inline constexpr bool kIsTask = kTakesContext<F> || std::is_invocable_v<F&>;

// The result type of invoking `F` the way xsync does.
template <typename F>
using TaskResult =
    typename std::conditional_t<kTakesContext<F>,
                                std::invoke_result<F&, const Context&>,
                                std::invoke_result<F&>>::type;

template <typename F>
decltype(auto) InvokeWithContext(F& f, const Context& ctx) {
  if constexpr (kTakesContext<F>) {
    return f(ctx);
  } else {
    return f();
  }
}

template <typename F>
inline constexpr bool kReturnsStatus =
    std::is_void_v<TaskResult<F>> ||
    std::is_convertible_v<TaskResult<F>, absl::Status>;

// Checks, with a readable message, that `F` is a task returning a status.
template <typename F>
constexpr void CheckStatusTask() {
  static_assert(kIsTask<F>,
                "xsync: a task must be callable as f(const xsync::Context&) "
                "or as f()");
  if constexpr (kIsTask<F>) {
    static_assert(kReturnsStatus<F>,
                  "xsync: a group task must return void, absl::Status or "
                  "something convertible to absl::Status");
  }
}

// Invokes `f`, converting its result to a status.
template <typename F>
absl::Status InvokeForStatus(F& f, const Context& ctx) {
  if constexpr (std::is_void_v<TaskResult<F>>) {
    InvokeWithContext(f, ctx);
    return absl::OkStatus();
  } else {
    return absl::Status(InvokeWithContext(f, ctx));
  }
}

// The engine task for `f`: invokes it with the group context and returns its
// status (OK for void).
template <typename F>
auto StatusTask(F&& f) {
  return [f = std::forward<F>(f)](const Context& ctx) mutable {
    return InvokeForStatus(f, ctx);
  };
}

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_INVOKE_H_
