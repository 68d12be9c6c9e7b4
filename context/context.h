// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: context/context.h
// -----------------------------------------------------------------------------
//
// `xsync::Context` is Go's context.Context: cancellation (with a cause), a
// deadline and request-scoped values, carried across threads. Every xsync
// group hands one to its tasks. A `Context` is a cheap, copyable handle, safe
// to use from any thread; derived contexts form a tree, and cancelling a
// parent cancels every descendant, with the parent's error and cause, before
// `cancel()` returns.
//
//   auto [ctx, cancel] = xsync::WithTimeout(parent, absl::Milliseconds(50));
//   xsync::AfterFunc(ctx, [] { LOG(INFO) << "done"; });
//   if (ctx.WaitFor(absl::Seconds(1))) {
//     assert(absl::IsDeadlineExceeded(ctx.Err()));
//   }
//
// Where it differs from Go: errors are `absl::Status`; Go 1.20's causes and
// Go 1.21's `AfterFunc` and `WithoutCancel` are here; there is no Done
// channel (`Wait*`, `AfterFunc`, and in C++20 `co_await xsync::WhenDone`).
// A child that is cancelled, or whose every handle is gone, unlinks itself
// from its parent; deadlines are entries in the one shared timer heap (no
// thread per context). Memory ordering: everything before a cancel
// happens-before any `Done()`, `Wait*()` or `Err()` that observes it.

#ifndef XSYNC_CONTEXT_CONTEXT_H_
#define XSYNC_CONTEXT_CONTEXT_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "xsync/executor/executor.h"

namespace xsync {

namespace internal {
class CancelState;
class AfterFuncRecord;

// A link in the chain of values carried by a context.
struct ValueNode {
  std::shared_ptr<const ValueNode> parent;
  const void* key;
  std::shared_ptr<const void> value;
};
}  // namespace internal

// A typed key for `WithValue`/`Context::Value`. Keys compare by identity (their
// address), so define each once, with static storage:
//
//   inline const xsync::ContextKey<std::string> kRequestId("request_id");
template <typename T>
class ContextKey {
 public:
  explicit constexpr ContextKey(const char* name) : name_(name) {}
  ContextKey(const ContextKey&) = delete;
  ContextKey& operator=(const ContextKey&) = delete;

  absl::string_view name() const { return name_; }

 private:
  const char* name_;
};

class Context {
 public:
  // The background context: never done, no deadline, no values.
  Context() = default;
  static Context Background() { return Context(); }

  // True once cancelled (by its cancel function, an ancestor or a deadline).
  // A context never becomes un-done.
  bool Done() const;
  // OK until done; then `absl::CancelledError("context canceled")` or
  // `absl::DeadlineExceededError("context deadline exceeded")`.
  absl::Status Err() const;
  // The status given to a `WithCancelCause` cancel (an OK cause counts as
  // none), else `Err()`.
  absl::Status Cause() const;
  // The earliest deadline of this context and its ancestors, if any.
  std::optional<absl::Time> Deadline() const;

  // Blocks until done: for ever on `Background()`, as Go's
  // `<-context.Background().Done()` does.
  void Wait() const;
  // Blocks until done or the time is up; true if done. A time already past
  // only polls.
  bool WaitFor(absl::Duration timeout) const;
  bool WaitUntil(absl::Time deadline) const;

  // The value stored under `key` by the nearest `WithValue`, or nullptr. The
  // pointer stays valid while this context (or a copy) is alive.
  template <typename T>
  const T* Value(const ContextKey<T>& key) const {
    for (const internal::ValueNode* node = values_.get(); node != nullptr;
         node = node->parent.get()) {
      if (node->key == &key) return static_cast<const T*>(node->value.get());
    }
    return nullptr;
  }

 private:
  friend class CancelFunc;
  friend class CancelCauseFunc;
  friend class AfterFuncHandle;
  friend struct ContextAccess;

  std::shared_ptr<internal::CancelState> cancel_;  // null: never done.
  std::shared_ptr<const internal::ValueNode> values_;
};

// Cancels its context with `absl::CancelledError`. Idempotent, thread-safe.
// Holds the context's state alive; an empty CancelFunc does nothing.
class CancelFunc {
 public:
  CancelFunc() = default;
  void operator()() const;

 private:
  friend struct ContextAccess;
  std::shared_ptr<internal::CancelState> state_;
};

// Like CancelFunc, with a cause: `Cause()` returns it (an OK cause means
// "no cause": `Cause()` then returns `Err()`).
class CancelCauseFunc {
 public:
  CancelCauseFunc() = default;
  void operator()(absl::Status cause) const;

 private:
  friend struct ContextAccess;
  std::shared_ptr<internal::CancelState> state_;
};

struct ContextAndCancel {
  Context ctx;
  CancelFunc cancel;
};

struct ContextAndCancelCause {
  Context ctx;
  CancelCauseFunc cancel;
};

// A child of `parent`, done when `cancel` is called or `parent` is. Cancel
// functions are idempotent and thread-safe; only the first call sets the
// cause.
ContextAndCancel WithCancel(const Context& parent);
// The same, with a cancel that takes a cause (see `Context::Cause`).
ContextAndCancelCause WithCancelCause(const Context& parent);
// Also done at `deadline` (DeadlineExceeded). A child's deadline never
// exceeds its parent's: a later one behaves like `WithCancel`.
ContextAndCancel WithDeadline(const Context& parent, absl::Time deadline);
// `WithDeadline(parent, absl::Now() + timeout)`.
ContextAndCancel WithTimeout(const Context& parent, absl::Duration timeout);
// Keeps `parent`'s values; never done, no deadline.
Context WithoutCancel(const Context& parent);

// A child of `parent` that also carries `value` under `key`.
template <typename T, typename V>
Context WithValue(const Context& parent, const ContextKey<T>& key, V&& value);

// Returned by `AfterFunc`.
class AfterFuncHandle {
 public:
  AfterFuncHandle() = default;
  // Prevents the function from running, if it has not been handed to the
  // executor yet. True if this call prevented the run; false if it already
  // ran or was scheduled, or `Stop` was called before. Thread-safe; exactly
  // one of "ran" and "Stop returned true" happens.
  bool Stop();

 private:
  friend AfterFuncHandle AfterFunc(const Context&,
                                   absl::AnyInvocable<void() &&>, Executor*);
  std::shared_ptr<internal::CancelState> state_;
  std::shared_ptr<internal::AfterFuncRecord> record_;
};

// Runs `f` once on `executor` (default: `DefaultExecutor()`) after `ctx` is
// done, at once if it already is. On a context that can never be done, `f`
// never runs (and `Stop` returns true).
AfterFuncHandle AfterFunc(const Context& ctx, absl::AnyInvocable<void() &&> f,
                          Executor* executor = nullptr);

// Implementation details below.

struct ContextAccess {
  static Context WithValues(const Context& parent,
                            std::shared_ptr<const internal::ValueNode> values) {
    Context ctx = parent;
    ctx.values_ = std::move(values);
    return ctx;
  }
  static const std::shared_ptr<const internal::ValueNode>& Values(
      const Context& ctx) {
    return ctx.values_;
  }
  static const std::shared_ptr<internal::CancelState>& State(
      const Context& ctx) {
    return ctx.cancel_;
  }
  static Context Make(std::shared_ptr<internal::CancelState> state,
                      std::shared_ptr<const internal::ValueNode> values);
  static CancelFunc MakeCancel(std::shared_ptr<internal::CancelState> state);
  static CancelCauseFunc MakeCancelCause(
      std::shared_ptr<internal::CancelState> state);
};

template <typename T, typename V>
Context WithValue(const Context& parent, const ContextKey<T>& key, V&& value) {
  static_assert(std::is_constructible_v<T, V&&>,
                "WithValue: the value must be convertible to the key's type");
  auto node = std::make_shared<internal::ValueNode>(
      internal::ValueNode{ContextAccess::Values(parent), &key,
                          std::make_shared<const T>(std::forward<V>(value))});
  return ContextAccess::WithValues(parent, std::move(node));
}

namespace internal {
// Test hook: the number of children and AfterFuncs linked to `ctx`'s own
// cancellation state (0 for a context that can never be done).
size_t LinkedListenerCountForTesting(const Context& ctx);
}  // namespace internal

}  // namespace xsync

#endif  // XSYNC_CONTEXT_CONTEXT_H_
