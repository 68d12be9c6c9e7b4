// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: sizedgroup/sizedgroup.h
// -----------------------------------------------------------------------------
//
// go-pkgz/syncs' SizedGroup and ErrSizedGroup: groups that run at most `size`
// tasks at once, on xsync's shared group engine. SizedGroup's tasks return
// void; ErrSizedGroup's may fail, and its `Wait` reports every error.
//
//   xsync::ErrSizedGroup g(8, xsync::TermOnErr());
//   for (const auto& file : files) {
//     g.Go([&file](const xsync::Context& ctx) { return Upload(ctx, file); });
//   }
//   absl::Status all = g.Wait();  // OK, or every error joined
//
// Where it differs from go-pkgz: waiting tasks hold no thread (go-pkgz parks
// a goroutine each); both groups pass their context to tasks; with
// `TermOnErr` no queued task starts after the first error (go-pkgz still
// runs them); a size <= 0 is an error, not a hang; a throwing task is a
// failure and `Wait` rethrows it, as in errgroup::Group. Lifetime and memory
// ordering are errgroup::Group's.

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
// Without options, `Go` never blocks: a task beyond `size` waits in a queue,
// holding no thread, until a slot frees.
struct GroupOption {
  enum class Kind { kPreemptive, kDiscard, kTermOnErr, kContext, kExecutor };
  Kind kind;
  Context context;
  Executor* executor = nullptr;
};

// `Go` blocks until a slot frees (polling briefly, then sleeping). The slots
// are counted lock-free, so a submitter keeping the group full and the
// tasks' threads share no lock (`BM_SizedGroup_Preemptive`). A task
// submitting to its own full group is queued instead (it would wait for
// itself).
inline GroupOption Preemptive() {
  return {GroupOption::Kind::kPreemptive, Context(), nullptr};
}
// Implies Preemptive; when no slot is free, `Go` returns false and the task
// never runs.
inline GroupOption Discard() {
  return {GroupOption::Kind::kDiscard, Context(), nullptr};
}
// ErrSizedGroup only: the first error cancels the group context; no task
// starts afterwards, queued ones included, and `Go` returns false.
inline GroupOption TermOnErr() {
  return {GroupOption::Kind::kTermOnErr, Context(), nullptr};
}
// Tasks get a context derived from `ctx` (default: a fresh cancellable
// one); it is cancelled when `Wait` returns. Once it is done no task starts
// (new, queued, or accepted but not started, as go-pkgz checks before
// starting) and an ErrSizedGroup records its error once. So a group accepts
// but never runs tasks after its `Wait`: make a new group instead.
inline GroupOption GroupContext(const Context& ctx) {
  return {GroupOption::Kind::kContext, ctx, nullptr};
}
// Where tasks run; nullptr: `DefaultExecutor()`.
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

  // Runs `task` (taking `const Context&` or nothing, returning void; in
  // C++20 also `xsync::Task<void>`, which holds its slot but no thread while
  // suspended) under the size limit. True if accepted: false for a size
  // <= 0, with Discard when no slot is free, and once the group context is
  // done (the task is then accepted but never runs; see GroupContext).
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

  // As SizedGroup::Go; tasks may also return `absl::Status` (or, in C++20,
  // `xsync::Task<absl::Status>`). With TermOnErr, false after the first
  // error.
  template <typename F>
  bool Go(F&& task) {
    internal::CheckGroupTask<std::decay_t<F>>();
    return Submit(internal::GroupTask(std::forward<F>(task)));
  }

  // Waits for every accepted task. OK, or `errgroup::JoinErrors` of every
  // error in completion order ("N error(s) occurred: [0] {...}, ...";
  // `errgroup::SplitErrors` gets them back), the context's error counted
  // once; InvalidArgument naming the size for a size <= 0. Rethrows the
  // first exception a task threw.
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
