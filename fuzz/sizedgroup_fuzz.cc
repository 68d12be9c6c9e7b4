// Copyright 2026 The xsync Authors.
//
// Fuzzes sizedgroup.h and semaphore.h against their models.
//
// Groups: a program builds a SizedGroup or an ErrSizedGroup of size -1..4
// with any of Preemptive / Discard / TermOnErr / GroupContext, on the real
// executor or a StepExecutor it steps, submits tasks that succeed, fail,
// throw, wait for the context or a latch, or submit to their own group,
// cancels the parent, and ends with Wait or by destroying the group.
// Checked: a task runs at most once, and exactly once unless the context
// ended (cancelled parent, TermOnErr); never more than `size` at once; Go's
// answer where the model knows it (a bad size, Discard on a full group, the
// step executor); Wait's errors are exactly the failures (plus the
// context's error once); a bad size is InvalidArgument naming it.
//
// Semaphore: a program acquires (on waiter threads, each with its own
// context), try-acquires, releases and cancels waiters; the model is the
// FIFO queue of x/sync's Weighted. Checked after every step: who was
// granted, TryAcquire's answer, Release misuse, a done context winning.

#include <algorithm>
#include <atomic>
#include <cstdlib>
#if defined(__cpp_impl_coroutine)
#include <coroutine>
#endif
#include <cstdint>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "fuzz/check.h"
#include "fuzz/harness.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errors.h"
#include "xsync/sizedgroup/semaphore.h"
#include "xsync/sizedgroup/sizedgroup.h"

namespace xsync {
namespace fuzz {
namespace {

constexpr int kMaxTasks = 64;

template <typename G, typename... Rest>
std::unique_ptr<G> MakeGroup(int size, int admission, Rest... rest) {
  switch (admission) {
    case 1:
      return std::make_unique<G>(size, Preemptive(), rest...);
    case 2:
      return std::make_unique<G>(size, Discard(), rest...);
    default:
      return std::make_unique<G>(size, rest...);
  }
}

// G is SizedGroup (void tasks) or ErrSizedGroup (status tasks).
template <typename G>
class GroupModel {
 public:
  static constexpr bool kErrors = std::is_same_v<G, ErrSizedGroup>;

  explicit GroupModel(Program& program)
      : program_(program), tally_(2 * kMaxTasks) {}

  void Run() {
    stepped_ = program_.Bit();
    size_ = program_.Between(-1, 4);
    admission_ = program_.Below(3);  // Default, Preemptive, Discard.
    term_on_err_ = kErrors && program_.Bit();
    auto [parent, cancel] = WithCancel(Context::Background());
    cancel_parent_ = cancel;
    Executor* executor = stepped_ ? &executor_ : nullptr;
    if (term_on_err_) {
      group_ = MakeGroup<G>(size_, admission_, TermOnErr(),
                            GroupContext(parent), WithExecutor(executor));
    } else {
      group_ = MakeGroup<G>(size_, admission_, GroupContext(parent),
                            WithExecutor(executor));
    }
    group_ptr_ = group_.get();
    XSYNC_FUZZ_TRACE("%s size %d admission %d term %d %s\n",
                     kErrors ? "ErrSizedGroup" : "SizedGroup", size_,
                     admission_, term_on_err_, stepped_ ? "stepped" : "real");
    while (!program_.done() && next_id_ < kMaxTasks) {
      switch (program_.Below(6)) {
        case 0:
        case 1:
          Submit();
          break;
        case 2:
          latches_.Release(program_.Below(Latches::kCount));
          break;
        case 3:
          if (stepped_) executor_.RunOne(program_.Byte());
          break;
        case 4:
          XSYNC_FUZZ_TRACE("cancel the parent\n");
          cancel_parent_();
          context_ended_ = true;
          break;
        default:
          Finish(program_.Bit());
          return;
      }
    }
    Finish(program_.Bit());
  }

 private:
  Kind PickKind() {
    Kind kind = static_cast<Kind>(program_.Below(6));
#ifndef ABSL_HAVE_EXCEPTIONS
    if (kind == Kind::kThrow) kind = Kind::kFail;
#endif
    if (kind == Kind::kFail && !kErrors) kind = Kind::kSucceed;
    if (stepped_ && (kind == Kind::kWaitLatch || kind == Kind::kWaitContext)) {
      kind = Kind::kSucceed;
    }
    return kind;
  }

  int Unfinished() const {
    return accepted_ + spawned_.load() - tally_.finished();
  }

  // Tasks that may not finish before the program acts (an over-estimate:
  // used only to avoid Go calls that could block for ever).
  int MaybePinned() const {
    int pinned = 0;
    for (int latch : latch_waiters_) pinned += !latches_.released(latch);
    // Only TermOnErr ends the context at a failure (or a throw).
    if (!context_ended_ && !(term_on_err_ && !tally_.failures().empty())) {
      pinned += context_waiters_;
    }
    return pinned;
  }

  void Submit() {
    const Kind kind = PickKind();
    const int id = next_id_++;
    XSYNC_FUZZ_TRACE("Go task %d kind %d\n", id, static_cast<int>(kind));
    if (size_ > 0 && admission_ == 1) {
      // Preemptive Go blocks while the group is full: only call it when a
      // slot surely frees (stepped: only if one is free now).
      const int stuck =
          stepped_ || MaybePinned() >= size_ ? Unfinished() : MaybePinned();
      if (stuck >= size_) return;
    }
    const bool surely_full =
        size_ > 0 && stepped_ && !context_ended_ && Unfinished() >= size_;
    const bool plain_run =
        !context_ended_ && !(term_on_err_ && !tally_.failures().empty());
    if (kind == Kind::kWaitLatch)
      latch_waiters_.push_back(id % Latches::kCount);
    if (kind == Kind::kWaitContext) ++context_waiters_;
    const bool accepted = group_->Go(Task(kind, id));
    if (!accepted) {
      if (kind == Kind::kWaitLatch) latch_waiters_.pop_back();
      if (kind == Kind::kWaitContext) --context_waiters_;
    }
    if (size_ <= 0) XSYNC_FUZZ_CHECK(!accepted, "a bad size accepts nothing");
    if (size_ > 0 && admission_ == 2 && surely_full) {
      XSYNC_FUZZ_CHECK(!accepted, "Discard on a full group drops the task");
    }
    if (size_ > 0 && admission_ != 2 && plain_run && !term_on_err_) {
      XSYNC_FUZZ_CHECK(accepted, "Go accepts while the context lives");
    }
    if (size_ > 0 && admission_ == 2 && stepped_ && plain_run && !surely_full &&
        !term_on_err_) {
      XSYNC_FUZZ_CHECK(accepted, "Discard with a free slot accepts");
    }
    if (accepted) {
      ++accepted_;
      accepted_ids_.push_back(id);
    }
  }

  auto Task(Kind kind, int id) {
    if constexpr (kErrors) {
      return [this, kind, id](const Context& ctx) {
        return tally_.Run(id, [&] { return Body(kind, id, ctx); });
      };
    } else {
      // SizedGroup tasks never fail (kFail became kSucceed); a throw
      // records itself.
      return [this, kind, id](const Context& ctx) {
        tally_.Run(id, [&] { return Body(kind, id, ctx); }).IgnoreError();
      };
    }
  }

  absl::Status Body(Kind kind, int id, const Context& ctx) {
    if (kind != Kind::kNest) return RunKind(kind, id, ctx, tally_, latches_);
    // Own-group rule: never blocks; may be refused (Discard, a done
    // context), then it never runs.
    spawned_.fetch_add(1);
    if (!group_ptr_->Go([this, child = kMaxTasks + id] {
          tally_.Enter(child);
          tally_.Exit();
        })) {
      spawned_.fetch_sub(1);
    }
    return absl::OkStatus();
  }

  void Finish(bool wait) {
    latches_.ReleaseAll();
    if (context_waiters_ > 0) {
      cancel_parent_();
      context_ended_ = true;
    }
    XSYNC_FUZZ_TRACE("%s\n", wait ? "Wait" : "destroy");
    std::string error;
    bool threw = false;
    if (wait) {
#ifdef ABSL_HAVE_EXCEPTIONS
      try {
        error = std::string(group_->Wait().message());
      } catch (const std::runtime_error& e) {
        threw = true;
      }
#else
      error = std::string(group_->Wait().message());
#endif
    }
    group_.reset();
    if (stepped_) executor_.RunAll();
    CheckRuns(/*cut_short=*/!wait);
    if (size_ > 0) {
      XSYNC_FUZZ_CHECK(tally_.peak() <= size_,
                       absl::StrCat("peak ", tally_.peak(), " > ", size_));
    }
    if (!wait || threw) return;
    if (size_ <= 0) {
      XSYNC_FUZZ_CHECK(absl::StrContains(error, absl::StrCat(size_)),
                       "a bad size is named: " + error);
      return;
    }
    if (kErrors) CheckErrors(error);
  }

  // Unless the group context ended early (a cancelled parent, a failure
  // with TermOnErr, or destruction without Wait), every accepted task ran.
  void CheckRuns(bool cut_short) {
    cut_short = cut_short || context_ended_ ||
                (term_on_err_ && !tally_.failures().empty());
    for (int id : accepted_ids_) {
      const int runs = tally_.runs(id);
      XSYNC_FUZZ_CHECK(runs <= 1, "a task ran twice");
      if (!cut_short) XSYNC_FUZZ_CHECK(runs == 1, "an accepted task ran");
    }
    if (!cut_short) {
      XSYNC_FUZZ_CHECK(
          tally_.finished() == accepted_ + spawned_.load(),
          absl::StrCat("every accepted task ran: ", tally_.finished(), " of ",
                       accepted_, " + ", spawned_.load()));
    }
  }

  // Wait's joined errors are the failures, plus the context's error once.
  void CheckErrors(const std::string& error) {
    const std::multiset<std::string> failures = tally_.failures();
    if (error.empty()) {
      XSYNC_FUZZ_CHECK(failures.empty(), "OK only without failures");
      return;
    }
    int context_errors = 0;
    size_t matched = 0;
    for (const std::string& f : failures) {
      matched += absl::StrContains(error, "{" + f + "}") ||
                 absl::StrContains(error, f);
    }
    XSYNC_FUZZ_CHECK(matched == failures.size(), "every failure reported");
    context_errors = absl::StrContains(error, "context canceled") ? 1 : 0;
    const std::string count =
        absl::StrCat(failures.size() + context_errors, " error(s) occurred");
    XSYNC_FUZZ_CHECK(absl::StartsWith(error, count) ||
                         (failures.size() + context_errors == 1),
                     "the count: " + error);
  }

  Program& program_;
  Tally tally_;
  Latches latches_;
  StepExecutor executor_;
  std::unique_ptr<G> group_;
  G* group_ptr_ = nullptr;
  CancelFunc cancel_parent_;
  bool stepped_ = false;
  bool term_on_err_ = false;
  bool context_ended_ = false;
  int size_ = 1;
  int admission_ = 0;
  int next_id_ = 0;
  int accepted_ = 0;
  std::atomic<int> spawned_{0};
  int context_waiters_ = 0;
  std::vector<int> latch_waiters_;
  std::vector<int> accepted_ids_;
};

// x/sync's Weighted as a model: free tokens and a FIFO of waiters.
class SemaphoreModel {
 public:
  explicit SemaphoreModel(Program& program)
      : program_(program),
        size_(program_.Between(1, 8)),
        free_(size_),
        sem_(size_) {}

  ~SemaphoreModel() {
    for (auto& waiter : waiters_) {
      waiter->cancel();
      waiter->returned.WaitForNotification();
      if (waiter->thread.joinable()) waiter->thread.join();
    }
  }

  void Run() {
    while (!program_.done()) {
      switch (program_.Below(5)) {
        case 0:
          StartWaiter();
          break;
        case 1:
          TryAcquire(program_.Between(0, size_ + 1));
          break;
        case 2:
          Release(program_.Between(0, size_ + 1));
          break;
        case 3:
          CancelWaiter();
          break;
        default:
          AcquireOnDoneContext();
          break;
      }
    }
  }

 private:
  struct Waiter {
    int64_t n;
    CancelFunc cancel;
    std::thread thread;  // Blocking Acquire; none for AcquireAsync.
    absl::Notification returned;
    absl::Status status;
    bool settled = false;  // The model has accounted for its result.
  };

  static constexpr int kMaxWaiters = 8;

  // Queued in the model: not granted, not cancelled.
  bool Queued(const Waiter& w) const { return !w.settled; }

  bool AnyQueued() const {
    for (const auto& w : waiters_) {
      if (Queued(*w) && w->n <= size_) return true;
    }
    return false;
  }

  void StartWaiter() {
    if (waiters_.size() >= kMaxWaiters) return;
    auto waiter = std::make_unique<Waiter>();
    waiter->n = program_.Between(0, size_ + 1);
    auto [ctx, cancel] = WithCancel(Context::Background());
    waiter->cancel = cancel;
    Waiter* w = waiter.get();
    waiters_.push_back(std::move(waiter));
    // Granted at once iff nothing is queued ahead and the tokens are free;
    // an n > size waiter never is, and never queues either.
    const bool ahead = AnyQueuedBefore(w);
    const bool granted = !ahead && w->n <= free_;
    const bool queues = !granted && w->n <= size_;
#if defined(__cpp_impl_coroutine)
    if (ahead) {
      // Only the awaitable form is queued by the time the call returns, so
      // the model knows the queue's order.
      AwaitAcquire(sem_, ctx, w);
      return;
    }
#else
    if (ahead) {
      w->settled = true;  // Not started: C++17 has no awaitable form.
      w->returned.Notify();
      return;
    }
#endif
    w->thread = std::thread([this, w, ctx = ctx] {
      w->status = sem_.Acquire(ctx, w->n);
      w->returned.Notify();
    });
    if (granted) Grant(*w);
    // The first queued waiter is in the queue once TryAcquire(0) fails.
    while (queues && sem_.TryAcquire(0)) std::this_thread::yield();
  }

#if defined(__cpp_impl_coroutine)
  // A coroutine that starts at once and destroys itself when it ends.
  struct Detached {
    struct promise_type {
      Detached get_return_object() { return {}; }
      std::suspend_never initial_suspend() noexcept { return {}; }
      std::suspend_never final_suspend() noexcept { return {}; }
      void return_void() {}
      void unhandled_exception() { std::abort(); }
    };
  };

  static Detached AwaitAcquire(Semaphore& sem, Context ctx, Waiter* w) {
    w->status = co_await sem.AcquireAsync(ctx, w->n);
    w->returned.Notify();
  }
#endif

  bool AnyQueuedBefore(const Waiter* w) const {
    for (const auto& other : waiters_) {
      if (other.get() == w) return false;
      if (Queued(*other) && other->n <= size_) return true;
    }
    return false;
  }

  // Expects `w` to return OK; it then holds its tokens (given to the
  // program, which releases them later).
  void Grant(Waiter& w) {
    w.returned.WaitForNotification();
    XSYNC_FUZZ_CHECK(w.status.ok(), "a waiter the model serves is granted: " +
                                        w.status.ToString());
    free_ -= w.n;
    held_ += w.n;
    w.settled = true;
  }

  // Serves queued waiters in FIFO order while the front one fits.
  void ServeQueue() {
    for (auto& w : waiters_) {
      if (!Queued(*w) || w->n > size_) continue;
      if (w->n > free_) return;  // Strict FIFO: nobody behind jumps it.
      Grant(*w);
    }
  }

  void TryAcquire(int n) {
    const bool expected = !AnyQueued() && n <= free_;
    const bool got = sem_.TryAcquire(n);
    XSYNC_FUZZ_CHECK(got == expected,
                     absl::StrCat("TryAcquire(", n, ") free ", free_));
    if (got) {
      free_ -= n;
      held_ += n;
    }
  }

  void Release(int n) {
    const absl::Status status = sem_.Release(n);
    if (n > held_) {
      XSYNC_FUZZ_CHECK(absl::IsFailedPrecondition(status),
                       "releasing more than held");
      return;
    }
    XSYNC_FUZZ_CHECK(status.ok(), "Release: " + status.ToString());
    free_ += n;
    held_ -= n;
    ServeQueue();
  }

  void CancelWaiter() {
    if (waiters_.empty()) return;
    Waiter& w = *waiters_[program_.Below(static_cast<int>(waiters_.size()))];
    w.cancel();
    if (w.settled) return;
    w.returned.WaitForNotification();
    // Cancelled while queued: its error, and those behind may now go.
    XSYNC_FUZZ_CHECK(absl::IsCancelled(w.status),
                     "a cancelled waiter returns the context's error");
    w.settled = true;
    ServeQueue();
  }

  void AcquireOnDoneContext() {
    auto [ctx, cancel] = WithCancel(Context::Background());
    cancel();
    const absl::Status status = sem_.Acquire(ctx, program_.Between(0, 1));
    XSYNC_FUZZ_CHECK(absl::IsCancelled(status), "a done context wins");
  }

  Program& program_;
  const int size_;
  int64_t free_;
  int64_t held_ = 0;
  Semaphore sem_;
  std::vector<std::unique_ptr<Waiter>> waiters_;
};

}  // namespace
}  // namespace fuzz
}  // namespace xsync

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xsync::fuzz::Program program(data, size);
  switch (program.Below(3)) {
    case 0:
      xsync::fuzz::GroupModel<xsync::SizedGroup>(program).Run();
      break;
    case 1:
      xsync::fuzz::GroupModel<xsync::ErrSizedGroup>(program).Run();
      break;
    default:
      xsync::fuzz::SemaphoreModel(program).Run();
      break;
  }
  return 0;
}
