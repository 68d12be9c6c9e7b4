// Copyright 2026 The xsync Authors.

#include "xsync/schedgroup/schedgroup.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "xsync/internal/group_engine.h"
#include "xsync/internal/group_task.h"
#include "xsync/internal/resume_queue.h"

namespace xsync {
namespace schedgroup {

namespace {
// Due tasks taken per timer firing, so the shared timer thread stays
// responsive to other timers; the rest are taken at once on re-arming. A pop
// from the deadline queue is cheap (a few hundred ns with the hand-over), so
// a firing of 1,024 holds the timer thread, and the group's lock, for a few
// hundred microseconds at most. With 100k timers due over 100 ms it halved
// the lateness p99 against batches of 64 (medians of 14 interleaved runs
// each: 30 against 65 ms): fewer firings, each with its own lock hand-offs,
// timer re-arming and executor wake-ups.
constexpr size_t kMaxDueBatch = 1024;
// Room made at first; a firing that finds more due grows it.
constexpr size_t kDueReserve = 64;
// Every this many Schedule calls, the scheduling thread reads the clock and
// hands over what is due itself (see State::Schedule). A clock read costs
// 35-45 ns here against about 90 ns for a Schedule, so checking every call
// would cost a third more; every 8th adds about 5 ns and delays a due task
// by at most 8 Schedule calls.
constexpr uint32_t kDrainEvery = 8;
}  // namespace

// The group's shared state. Pending tasks sit in the group's own deadline
// queue (the same structure as the shared timer heap's), and one timer on
// the shared heap is armed for the earliest of them: a pending task costs
// its queue entry and nothing else (no closure, no map entry, no shared
// timer). The timer callback holds the state weakly.
class TaskHandle::State : public std::enable_shared_from_this<State> {
 public:
  State(const Context& ctx, Executor* executor, internal::TimerHeap& timers)
      : ctx_(ctx), timers_(timers), engine_(ctx, EngineOptions(executor)) {}

  absl::Time Now() const { return timers_.Now(); }

  // Every kDrainEvery-th call also hands over the tasks that are due, as a
  // timer firing would: while one thread arms timers as earlier ones fall
  // due, the shared timer thread then rarely finds work, so the two cores
  // hold two busy threads (this one and a runner) rather than three. With
  // three, the kernel gave the timer thread the CPU it shared with this one
  // only at its 4 ms ticks, and 100k timers armed as they fired ran with a
  // lateness p99 in milliseconds.
  absl::Status Schedule(absl::Time when, Group::Task task, TaskHandle* handle)
      ABSL_LOCKS_EXCLUDED(mu_) {
    // Err() takes the context's lock, which is taken before ours (the
    // AfterFunc in Finish runs under it): ask before locking.
    if (ctx_.Done()) return ctx_.Err();
    const int64_t when_ns = internal::DeadlineNanos(when);
    internal::DeadlineHandle entry;
    std::vector<Group::Task> due;  // Destroyed outside mu_.
    bool hand_over = false;
    {
      absl::MutexLock lock(&mu_);
      if (wait_started_) {
        return absl::FailedPreconditionError(
            "schedgroup: Schedule/Delay called after Wait started");
      }
      entry = pending_.Push(when_ns, std::move(task));
      if (pending_.front_handle().slot == entry.slot) ArmLocked();
      if (++schedules_ % kDrainEvery == 0) {
        const int64_t now_ns = internal::DeadlineNanos(timers_.Now());
        if (pending_.front_when_ns() <= now_ns) {
          hand_over = TakeDueLocked(now_ns, due);
        }
      }
    }
    if (hand_over) HandOver(due);
    if (handle != nullptr) {
      handle->state_ = weak_from_this();
      handle->entry_ = entry;
    }
    return absl::OkStatus();
  }

  bool Cancel(internal::DeadlineHandle entry) ABSL_LOCKS_EXCLUDED(mu_) {
    std::optional<Group::Task> task;  // Destroyed outside mu_.
    absl::MutexLock lock(&mu_);
    task = pending_.Erase(entry);
    // The armed timer may now fire early; it then finds nothing due and
    // re-arms.
    if (task.has_value()) ChangedLocked();
    return task.has_value();
  }

  absl::Status Wait() ABSL_LOCKS_EXCLUDED(mu_) {
    if (absl::Status started = StartWait(); !started.ok()) return started;
    return Finish();
  }

  // Wait and WaitAsync start here: once, in all.
  absl::Status StartWait() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (wait_started_) {
      return absl::FailedPreconditionError(
          "schedgroup: Wait called more than once");
    }
    wait_started_ = true;
    return absl::OkStatus();
  }

  // Destructor path: cancel what is pending, wait for what runs.
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      if (wait_started_) return;
      wait_started_ = true;
      stopping_ = true;
    }
    Finish().IgnoreError();
  }

 private:
  static internal::GroupEngine::Options EngineOptions(Executor* executor) {
    internal::GroupEngine::Options options;
    options.executor = executor;
    options.on_error = internal::GroupEngine::OnError::kRecord;
    // One runner while due tasks keep starting; more on a stall (see the
    // header). With 100k timers due over 100 ms, this cut the median p50 of
    // lateness to 0.15x and p99 to 0.58x against asking for a runner per
    // running thread, in 26 interleaved rounds.
    options.eager_runners = 1;
    return options;
  }

  // Makes sure the shared timer fires no later than the earliest pending
  // task. A timer already due (or firing) is left alone: its firing takes
  // every task due by then, so arming tasks that are already late costs no
  // re-arming. Under mu_: the timer thread takes mu_ only from a callback,
  // never under the heap's own lock.
  void ArmLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (pending_.empty()) return;
    const int64_t due_ns = pending_.front_when_ns();
    if (!armed_.empty()) {
      if (due_ns >= armed_when_ns_) return;
      // Due already (by the latest clock reading taken for due tasks, else
      // by a fresh one).
      if (armed_when_ns_ <= last_now_ns_ ||
          armed_when_ns_ <= internal::DeadlineNanos(timers_.Now())) {
        return;
      }
      if (!timers_.Cancel(armed_)) return;  // Firing now.
    }
    armed_when_ns_ = due_ns;
    armed_ = timers_.Schedule(absl::FromUnixNanos(due_ns),
                              [weak = weak_from_this()] {
                                if (auto self = weak.lock()) self->OnTimer();
                              });
  }

  // On the timer thread, kept short: take the due tasks (up to a batch, so
  // other timers stay on time; the rest are taken at once on re-arming),
  // re-arm for the rest, and hand the batch over.
  void OnTimer() ABSL_LOCKS_EXCLUDED(mu_) {
    std::vector<Group::Task> due;  // Destroyed outside mu_.
    bool hand_over;
    {
      absl::MutexLock lock(&mu_);
      armed_ = internal::TimerHandle();
      hand_over = TakeDueLocked(internal::DeadlineNanos(timers_.Now()), due);
      if (hand_over) ArmLocked();
    }
    if (hand_over) HandOver(due);
  }

  // Moves the tasks due by `now_ns` (at most a batch) into `due`. True if
  // they are to be handed over: they count in submitting_ until HandOver.
  // False once the group has ended: the caller destroys them unrun, outside
  // mu_.
  bool TakeDueLocked(int64_t now_ns, std::vector<Group::Task>& due)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    last_now_ns_ = std::max(last_now_ns_, now_ns);
    due.reserve(std::min(pending_.size(), kDueReserve));
    while (due.size() < kMaxDueBatch && !pending_.empty() &&
           pending_.front_when_ns() <= now_ns) {
      due.push_back(pending_.PopFront());
    }
    if (ctx_.Done() || stopping_) {
      if (!due.empty()) dropped_ = true;  // Wait reports the early end.
      return false;
    }
    submitting_ += static_cast<int>(due.size());  // Wait sees them until
    return true;                                  // the engine has them.
  }

  // Hands tasks taken by TakeDueLocked to the engine, which lends executor
  // threads to run them. The engine has no limit, so this never blocks.
  void HandOver(std::vector<Group::Task>& due) ABSL_LOCKS_EXCLUDED(mu_) {
    if (due.empty()) return;
    engine_.SubmitAll(absl::MakeSpan(due));
    absl::MutexLock lock(&mu_);
    submitting_ -= static_cast<int>(due.size());
    ChangedLocked();
  }

  // Waits for every pending task to be handed over, or for the context (or
  // shutdown) to end the group; then for every running task.
  absl::Status Finish() ABSL_LOCKS_EXCLUDED(mu_) {
    const bool done_at_start = ctx_.Done();
    AfterFuncHandle on_done = WatchContext();
    bool ended_early;
    internal::DeadlineQueue<Group::Task> never_run;  // Destroyed outside mu_.
    {
      absl::MutexLock lock(&mu_);
      auto settled = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return SettledLocked();
      };
      mu_.Await(absl::Condition(&settled));
      ended_early = StopLocked(never_run);
      auto handed_over = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return submitting_ == 0;
      };
      mu_.Await(absl::Condition(&handed_over));
    }
    on_done.Stop();
    engine_.Wait().IgnoreError();
    return Result(done_at_start || ended_early);
  }

#if defined(__cpp_impl_coroutine)
 public:
  // Finish's awaitable twin, after the same check as Wait: suspends where
  // Finish blocks, holding no thread.
  Task<absl::Status> WaitAsync() ABSL_LOCKS_EXCLUDED(mu_) {
    if (absl::Status started = StartWait(); !started.ok()) co_return started;
    const bool done_at_start = ctx_.Done();
    AfterFuncHandle on_done = WatchContext();
    auto settled = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return SettledLocked();
    };
    while (!Check(settled)) co_await ChangeAwaiter(*this, settled);
    bool ended_early;
    internal::DeadlineQueue<Group::Task> never_run;  // Destroyed outside mu_.
    {
      absl::MutexLock lock(&mu_);
      ended_early = StopLocked(never_run);
    }
    auto handed_over = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return submitting_ == 0;
    };
    while (!Check(handed_over)) co_await ChangeAwaiter(*this, handed_over);
    on_done.Stop();
    (void)co_await internal::WaitAsync(engine_);
    co_return Result(done_at_start || ended_early);
  }

 private:
  // Resumes (on the resume queue) after the next change of the state the
  // waits above check, or at once if `pred` holds already.
  template <typename Pred>
  class ChangeAwaiter {
   public:
    ChangeAwaiter(State& owner, Pred& pred) : state_(owner), pred_(pred) {}
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) {
      const internal::Resumer resume(handle);
      absl::MutexLock lock(&state_.mu_);
      if (pred_()) {
        resume();
      } else {
        state_.change_waiters_.push_back(resume);
      }
    }
    void await_resume() const noexcept {}

   private:
    State& state_;
    Pred& pred_;
  };

  template <typename Pred>
  bool Check(Pred& pred) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return pred();
  }
#endif

  // Every task handed over (or none left to hand over), or the group ended.
  bool SettledLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return (pending_.empty() && submitting_ == 0) || ctx_done_ || stopping_;
  }

  // Marks the context done (under mu_) when it ends.
  AfterFuncHandle WatchContext() {
    return AfterFunc(
        ctx_,
        [this] {
          absl::MutexLock lock(&mu_);
          ctx_done_ = true;
          ChangedLocked();
        },
        &InlineExecutorInstance());
  }

  // Ends the group: moves the pending tasks into `never_run` and disarms
  // the timer. True if a task never ran (or never will).
  bool StopLocked(internal::DeadlineQueue<Group::Task>& never_run)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const bool ended_early = dropped_ || !pending_.empty() || submitting_ > 0;
    stopping_ = true;
    never_run = std::move(pending_);
    pending_ = internal::DeadlineQueue<Group::Task>();
    if (!armed_.empty()) timers_.Cancel(armed_);
    armed_ = internal::TimerHandle();
    return ended_early;
  }

  // The context's error if it ended the group early or was done before Wait
  // began (Go's schedgroup checks the context first), else OK.
  absl::Status Result(bool ended_early) const {
    if (ended_early && ctx_.Done()) return ctx_.Err();
    return absl::OkStatus();
  }

  // After a change an async wait may be waiting for: it checks again.
  void ChangedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::vector<absl::AnyInvocable<void() &&>> waiters;
    waiters.swap(change_waiters_);
    for (auto& waiter : waiters) std::move(waiter)();
  }

  const Context ctx_;
  internal::TimerHeap& timers_;
  internal::GroupEngine engine_;

  absl::Mutex mu_;
  internal::DeadlineQueue<Group::Task> pending_ ABSL_GUARDED_BY(mu_);
  // The shared timer armed for the earliest pending task, and its time.
  internal::TimerHandle armed_ ABSL_GUARDED_BY(mu_);
  int64_t armed_when_ns_ ABSL_GUARDED_BY(mu_) = 0;
  // The latest clock reading taken to look for due tasks.
  int64_t last_now_ns_ ABSL_GUARDED_BY(mu_) = 0;
  int submitting_ ABSL_GUARDED_BY(mu_) = 0;  // Due tasks not yet handed over.
  uint32_t schedules_ ABSL_GUARDED_BY(mu_) = 0;  // Schedule calls, mod 2^32.
  bool wait_started_ ABSL_GUARDED_BY(mu_) = false;
  bool ctx_done_ ABSL_GUARDED_BY(mu_) = false;
  bool dropped_ ABSL_GUARDED_BY(mu_) = false;  // A due task never ran.
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // WaitAsync's resumptions, called (and dropped) at the next change.
  std::vector<absl::AnyInvocable<void() &&>> change_waiters_
      ABSL_GUARDED_BY(mu_);
};

bool TaskHandle::Cancel() {
  std::shared_ptr<State> owner = state_.lock();
  return owner != nullptr && owner->Cancel(entry_);
}

Group::Group(const Context& ctx, Executor* executor,
             internal::TimerHeap* timers)
    : state_(std::make_shared<TaskHandle::State>(
          ctx, executor,
          timers != nullptr ? *timers : internal::TimerHeap::Default())) {}

Group::~Group() { state_->Shutdown(); }

absl::Status Group::ScheduleTask(absl::Time when, Task task,
                                 TaskHandle* handle) {
  return state_->Schedule(when, std::move(task), handle);
}

absl::Status Group::Wait() { return state_->Wait(); }

#if defined(__cpp_impl_coroutine)
Task<absl::Status> Group::WaitAsync() { return state_->WaitAsync(); }
#endif

absl::Time Group::Now() const { return state_->Now(); }

}  // namespace schedgroup
}  // namespace xsync
