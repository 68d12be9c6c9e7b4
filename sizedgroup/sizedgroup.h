// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: sizedgroup/sizedgroup.h
// -----------------------------------------------------------------------------
//
// go-pkgz/syncs' SizedGroup and ErrSizedGroup: groups that run at most `size`
// tasks at once, on xsync's shared group engine.
//
//   xsync::SizedGroup swg(10);                         // void tasks
//   xsync::ErrSizedGroup ewg(10, xsync::TermOnErr());  // status tasks
//
// Admission (`Go` returns whether the task was accepted):
//   * Default: `Go` never blocks; a task beyond `size` waits in a queue and
//     holds no thread until a slot frees (go-pkgz parks a goroutine per
//     waiting task): the threads used track the tasks running, not those
//     submitted.
//   * `Preemptive()`: `Go` blocks until a slot frees (polling briefly, then
//     sleeping). The slots are counted lock-free, so a submitter keeping the
//     group full and the tasks' threads share no lock
//     (`BM_SizedGroup_Preemptive`). A task submitting to its own full group
//     is queued instead of blocked (it would wait for itself) and starts when
//     a slot frees.
//   * `Discard()` (implies Preemptive): when no slot is free, `Go` returns
//     false and the task never runs.
//
// Context: tasks take `const xsync::Context&` or nothing. Both groups pass
// the group context: `GroupContext(ctx)` derives it from `ctx`; otherwise it
// is a fresh cancellable context (ErrSizedGroup cancels it on the first error
// with `TermOnErr`; both cancel it when `Wait` returns). Once the group
// context is done, no task starts — neither new, queued, nor accepted but
// not yet started (as go-pkgz, whose goroutines check it before starting);
// an ErrSizedGroup records the context's error once.
//
// Errors: `SizedGroup` tasks return void (use ErrSizedGroup for tasks that
// can fail). `ErrSizedGroup` tasks return void or `absl::Status`; its `Wait`
// returns OK or `errgroup::JoinErrors` of every error in completion order
// ("N error(s) occurred: [0] {...}, [1] {...}"; `SplitErrors` gets them back).
// With `TermOnErr()`, the first error cancels the group context and no task
// starts afterwards — including tasks already queued, which go-pkgz still
// runs — and `Go` returns false.
//
// Coroutine tasks (C++20): a task returning `xsync::Task<void>` (or, for
// ErrSizedGroup, `xsync::Task<absl::Status>`) holds its slot but no thread
// while suspended at a `co_await`; see errgroup.h.
//
// Misuse: a size <= 0 makes every `Go` return false (nothing runs) and `Wait`
// return InvalidArgument naming the size.
//
// Reuse: the group context is done once `Wait` returns, so a group accepts
// but never runs tasks after its `Wait`; make a new group instead.
//
// Exceptions, lifetime and memory ordering are those of errgroup::Group: a
// throwing task is a failure, `Wait` rethrows the first exception; `Wait`
// returns only after every task returned and was destroyed; destroying a group
// without `Wait` cancels its context and waits.
//
// Example:
//
//   xsync::ErrSizedGroup g(8, xsync::TermOnErr());
//   for (const auto& file : files) {
//     g.Go([&file](const xsync::Context& ctx) { return Upload(ctx, file); });
//   }
//   absl::Status all = g.Wait();

#ifndef XSYNC_SIZEDGROUP_SIZEDGROUP_H_
#define XSYNC_SIZEDGROUP_SIZEDGROUP_H_

#include <optional>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "xsync/context/context.h"
#include "xsync/executor/executor.h"
#include "xsync/internal/group_engine.h"
#include "xsync/internal/group_task.h"
#include "xsync/sizedgroup/semaphore.h"  // IWYU pragma: export

namespace xsync {

// An option for SizedGroup / ErrSizedGroup; build with the functions below.
struct GroupOption {
  enum class Kind { kPreemptive, kDiscard, kTermOnErr, kContext, kExecutor };
  Kind kind;
  Context context;
  Executor* executor = nullptr;
};

inline GroupOption Preemptive() {
  return {GroupOption::Kind::kPreemptive, Context(), nullptr};
}
inline GroupOption Discard() {
  return {GroupOption::Kind::kDiscard, Context(), nullptr};
}
inline GroupOption TermOnErr() {
  return {GroupOption::Kind::kTermOnErr, Context(), nullptr};
}
inline GroupOption GroupContext(const Context& ctx) {
  return {GroupOption::Kind::kContext, ctx, nullptr};
}
inline GroupOption WithExecutor(Executor* executor) {
  return {GroupOption::Kind::kExecutor, Context(), executor};
}

namespace internal {

// What the options add up to.
struct SizedSettings {
  int size;
  bool preemptive = false;
  bool discard = false;
  bool term_on_err = false;
  std::optional<Context> context;
  Executor* executor = nullptr;

  SizedSettings(int size, std::initializer_list<GroupOption> options);
  GroupEngine::Options EngineOptions(bool records_errors) const;
  GroupEngine::Admission admission() const {
    return discard ? GroupEngine::Admission::kTry
                   : GroupEngine::Admission::kBlock;
  }
  absl::Status SizeError() const;
};

// The shared body of both groups.
class SizedGroupBase {
 protected:
  SizedGroupBase(int size, std::initializer_list<GroupOption> options,
                 bool records_errors);

  bool Submit(GroupEngine::Task task);

  SizedSettings settings_;
  GroupEngine engine_;
};

}  // namespace internal

class SizedGroup : private internal::SizedGroupBase {
 public:
  template <typename... Options>
  explicit SizedGroup(int size, Options... options)
      : SizedGroupBase(size, {options...}, /*records_errors=*/false) {}

  // Runs `task` (void, taking the context or nothing) under the size limit.
  template <typename F>
  bool Go(F&& task) {
    internal::CheckGroupTask<std::decay_t<F>>();
    static_assert(internal::ReturnsNothing<std::decay_t<F>>(),
                  "xsync::SizedGroup tasks return void (or Task<void>); use "
                  "xsync::ErrSizedGroup for tasks that return a status");
    return Submit(internal::GroupTask(std::forward<F>(task)));
  }

  // Waits for every accepted task. OK, or InvalidArgument for a size <= 0;
  // rethrows the first exception a task threw.
  absl::Status Wait();

#if defined(__cpp_impl_coroutine)
  // The awaitable twin of `Wait` (C++20): suspends, holding no thread, until
  // every accepted task has ended. The group must outlive the await.
  Task<absl::Status> WaitAsync() {
    (void)co_await internal::WaitAsync(engine_);
    co_return settings_.SizeError();
  }
#endif

  const Context& context() const { return engine_.context(); }
};

class ErrSizedGroup : private internal::SizedGroupBase {
 public:
  template <typename... Options>
  explicit ErrSizedGroup(int size, Options... options)
      : SizedGroupBase(size, {options...}, /*records_errors=*/true) {}

  template <typename F>
  bool Go(F&& task) {
    internal::CheckGroupTask<std::decay_t<F>>();
    return Submit(internal::GroupTask(std::forward<F>(task)));
  }

  // Waits for every accepted task; OK or every error joined.
  absl::Status Wait();

#if defined(__cpp_impl_coroutine)
  // The awaitable twin of `Wait` (C++20): suspends, holding no thread, until
  // every accepted task has ended. The group must outlive the await.
  Task<absl::Status> WaitAsync() {
    (void)co_await internal::WaitAsync(engine_);
    if (absl::Status status = settings_.SizeError(); !status.ok()) {
      co_return status;
    }
    co_return JoinedErrors();
  }
#endif

  const Context& context() const { return engine_.context(); }

 private:
  absl::Status JoinedErrors() const;
};

}  // namespace xsync

#endif  // XSYNC_SIZEDGROUP_SIZEDGROUP_H_
