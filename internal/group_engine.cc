// Copyright 2026 The xsync Authors.

#include "xsync/internal/group_engine.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <typeinfo>
#include <utility>
#include <vector>

#include "absl/base/config.h"
#include "absl/strings/str_cat.h"
#include "xsync/internal/current_engine.h"
#include "xsync/internal/ready_ring.h"
#include "xsync/internal/spin_wait.h"
#include "xsync/internal/timer_heap.h"

#if defined(__GNUC__) || defined(__clang__)
#include <cxxabi.h>

#include <cstdlib>
#endif

namespace xsync {
namespace internal {

namespace {

#ifdef ABSL_HAVE_EXCEPTIONS
std::string Demangle(const char* name) {
#if defined(__GNUC__) || defined(__clang__)
  int status = 0;
  char* demangled = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status == 0 && demangled != nullptr) {
    std::string result(demangled);
    std::free(demangled);
    return result;
  }
#endif
  return name;
}

// Describes the exception being handled, for the UnknownError cause.
std::string DescribeCurrentException() {
  try {
    throw;
  } catch (const std::exception& e) {
    return absl::StrCat("task threw ", Demangle(typeid(e).name()), ": ",
                        e.what());
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    return absl::StrCat("task threw ",
                        type != nullptr ? Demangle(type->name()) : "unknown",
                        ": (not a std::exception)");
  }
}
#endif

// How often a blocked submitter or a waiter re-checks before sleeping; the
// first kPauseChecks after a short busy pause, the rest after a yield.
constexpr int kSpinChecks = 50;
constexpr int kPauseChecks = 8;
constexpr int kPausesPerCheck = 32;

// The most a runner cap grows to (it stays a cap, so the stall check keeps
// lowering it again once tasks start on time).
constexpr int kMaxRunnerCap = 1 << 20;
// A shorter stall delay is raised to this: a zero one would have the timer
// thread re-check back to back while ready tasks wait.
constexpr absl::Duration kMinStallDelay = absl::Microseconds(1);

// How often a runner that ran out of ready tasks re-checks before leaving:
// after a yield each, or after a CPU pause each while the cores are busy
// (see spin_wait.h).
constexpr int kLingerPolls = 16;
constexpr int kLingerPauses = 1024;
// How many runners may linger at once (more would only compete for cores).
constexpr int kMaxLingering = 2;

// The task the current thread is running (innermost), for
// DetachRunningTask.
struct RunningTask {
  GroupEngine::State* state;
  bool detached = false;
};
thread_local RunningTask* running_task = nullptr;

// The engine asking for runners from its run loop on this thread, if any.
thread_local const void* asking_from_run_loop = nullptr;

// True for an InlineExecutor. Its runners run on the thread that asks for
// them, one at a time already (a run loop's own requests return at once),
// and the stall check would ask from the shared timer thread, running tasks
// there: a runner cap does not apply.
bool RunsInline(Executor& executor) {
#if defined(__GXX_RTTI) || defined(_CPPRTTI)
  return dynamic_cast<InlineExecutor*>(&executor) != nullptr;
#else
  return &executor == &InlineExecutorInstance();
#endif
}

// True if the group counts its slots without the lock (see "Fixed limits"
// in group_engine.h).
bool UsesRing(const GroupEngine::Options& options, Executor& executor) {
  return options.fixed_limit && options.queue_capacity == 0 &&
         options.limit >= 1 && options.limit <= GroupEngine::kMaxRingLimit &&
         options.eager_runners == GroupEngine::kNoLimit &&
         !RunsInline(executor);
}

// How many times a thread of a fixed-limit group re-checks, pausing the CPU
// in between, before it yields (a blocked submitter, `Wait`) or leaves (a
// runner out of ready tasks); and then how many yields before it sleeps or
// leaves.
constexpr int kRingPausePolls = 256;
constexpr int kRingYieldPolls = 16;

// A FIFO of tasks in a ring buffer that doubles when full: nothing is
// allocated before the first push, and a batch needs one block where a
// std::deque needed a map and blocks (and more work per push and pop).
class TaskFifo {
 public:
  using Task = GroupEngine::Task;

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

  void push_back(Task task) {
    if (size_ == slots_.size()) Grow(size_ + 1);
    slots_[(head_ + size_) & (slots_.size() - 1)] = std::move(task);
    ++size_;
  }

  // Requires !empty().
  Task PopFront() {
    Task task = std::move(slots_[head_]);
    slots_[head_] = nullptr;
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
    return task;
  }

  // Makes room for `n` more tasks with at most one reallocation (a batch
  // would otherwise grow the ring once per doubling).
  void Reserve(size_t n) {
    if (size_ + n > slots_.size()) Grow(size_ + n);
  }

  void clear() {
    while (!empty()) PopFront();
  }

  void swap(TaskFifo& other) {
    slots_.swap(other.slots_);
    std::swap(head_, other.head_);
    std::swap(size_, other.size_);
  }

 private:
  static constexpr size_t kFirstCapacity = 8;

  // To the next power of two of at least `wanted` (and of kFirstCapacity).
  void Grow(size_t wanted) {
    size_t capacity = std::max(kFirstCapacity, 2 * slots_.size());
    while (capacity < wanted) capacity *= 2;
    std::vector<Task> bigger(capacity);
    for (size_t i = 0; i < size_; ++i) {
      bigger[i] = std::move(slots_[(head_ + i) & (slots_.size() - 1)]);
    }
    slots_.swap(bigger);
    head_ = 0;
  }

  std::vector<Task> slots_;  // A power of two in size, or empty.
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace

class GroupEngine::State : public std::enable_shared_from_this<State> {
  friend class GroupEngine::Completion;

 public:
  State(std::optional<Context> parent, Options options)
      : options_(options),
        executor_(ExecutorOrDefault(options.executor)),
        eager_runner_cap_(RunsInline(executor_)
                              ? kNoLimit
                              : std::max(1, options.eager_runners)) {
    if (parent.has_value()) {
      auto [ctx, cancel] = WithCancelCause(*parent);
      ctx_ = std::move(ctx);
      cancel_ = std::move(cancel);
      has_context_ = true;
    }
    limit_ = options.limit < 0 ? kNoLimit : options.limit;
    if (UsesRing(options, executor_)) {
      ring_ = std::make_unique<ReadyRing<Task>>(options.limit);
    }
  }

  bool Submit(Task task, Admission admission) ABSL_LOCKS_EXCLUDED(mu_) {
    if (ring_ != nullptr) return RingSubmit(std::move(task), admission);
    int runners;
    {
      absl::MutexLock lock(&mu_);
      if (Rejects()) return false;
      if (active_ >= limit_) {
        if (admission == Admission::kTry) return false;
        return EnqueueLocked(std::move(task));
      }
      AdmitLocked(std::move(task));
      runners = RunnersWantedLocked();
    }
    ScheduleRunners(runners);
    return true;
  }

  // Every task that finds a free slot is admitted under one lock, with one
  // request for runners; the rest go through Submit(kBlock) in order.
  void SubmitAll(absl::Span<Task> tasks) ABSL_LOCKS_EXCLUDED(mu_) {
    if (ring_ != nullptr) {
      for (Task& task : tasks) RingSubmit(std::move(task), Admission::kBlock);
      return;
    }
    size_t admitted = 0;
    int runners;
    bool rejected;
    {
      absl::MutexLock lock(&mu_);
      rejected = Rejects();
      if (!rejected) ready_.Reserve(std::min(tasks.size(), FreeSlotsLocked()));
      for (; !rejected && admitted < tasks.size() && active_ < limit_;
           ++admitted) {
        AdmitLocked(std::move(tasks[admitted]));
      }
      runners = RunnersWantedLocked();
    }
    ScheduleRunners(runners);
    for (size_t i = admitted; i < tasks.size(); ++i) {
      if (rejected) {
        tasks[i] = nullptr;  // Destroyed unrun, outside mu_.
      } else {
        Submit(std::move(tasks[i]), Admission::kBlock);
      }
    }
  }

  // Runs ready tasks on the calling thread while waiting ("caller runs"):
  // a short task is done before a worker could even wake up for it.
  //
  // A fixed-limit group waits in WaitForRing only: its runners free slots
  // without mu_, so waiting on mu_ for them (for a task submitted after
  // WaitForRing saw the group idle) would wake only when something else
  // took mu_.
  absl::Status Wait() ABSL_LOCKS_EXCLUDED(mu_) {
    if (ring_ != nullptr) WaitForRing();
    absl::MutexLock lock(&mu_);
    if (ring_ == nullptr) WaitForReadyLocked();
    waited_ = true;
    if (has_context_) cancel_(absl::OkStatus());
    return first_error_;
  }

  void WaitForReadyLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto idle_or_ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return IdleLocked() || !ready_.empty();
    };
    while (true) {
      RunReadyLocked();
      if (IdleLocked()) break;
      SpinThenAwaitLocked(idle_or_ready);
    }
  }

  void WhenIdle(absl::AnyInvocable<void() &&> callback)
      ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    idle_waiters_.push_back(std::move(callback));
    idle_waiters_pending_.store(true, std::memory_order_seq_cst);
    if (IdleLocked()) RunIdleWaitersLocked();
  }

  std::optional<absl::Status> WaitIfIdle() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (!IdleLocked()) return std::nullopt;
    waited_ = true;
    if (has_context_) cancel_(absl::OkStatus());
    return first_error_;
  }

  void RethrowIfException() ABSL_LOCKS_EXCLUDED(mu_) {
#ifdef ABSL_HAVE_EXCEPTIONS
    // Set under mu_ before the task finished; a caller asking after Wait
    // sees it. With no exception there is nothing to mark observed.
    if (!has_exception_.load(std::memory_order_acquire)) return;
    std::exception_ptr exception;
    {
      absl::MutexLock lock(&mu_);
      exception = exception_;
      exception_observed_ = true;
    }
    if (exception) std::rethrow_exception(exception);
#endif
  }

  // Destructor path: cancel, wait, report; never throws.
  // After a Wait with nothing submitted since (the usual case), that is a
  // single lock.
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_) {
    bool waited, idle;
    {
      absl::MutexLock lock(&mu_);
      waited = waited_;
      idle = waited && IdleLocked();
      if (idle) ReportUnobservedExceptionLocked();
    }
    if (!idle) {
      if (!waited && has_context_) cancel_(absl::OkStatus());
      Wait().IgnoreError();
      absl::MutexLock lock(&mu_);
      ReportUnobservedExceptionLocked();
    }
    StopUsingExecutor();
  }

  std::vector<absl::Status> Errors() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return errors_;
  }

  absl::Status FirstError() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return first_error_;
  }

  // Queued tasks (e.g. of callers blocked at a barrier) are not active: they
  // start under the new limit.
  absl::Status SetLimit(int limit) ABSL_LOCKS_EXCLUDED(mu_) {
    int runners;
    {
      absl::MutexLock lock(&mu_);
      if (options_.fixed_limit) {
        return absl::FailedPreconditionError(
            absl::StrCat("SetLimit(", limit, "): this group's limit is fixed"));
      }
      if (active_ > 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            "SetLimit(", limit, "): the limit cannot change while ", active_,
            " task(s) are active"));
      }
      limit_ = limit < 0 ? kNoLimit : limit;
      while (!queue_.empty() && active_ < limit_) {
        PushReadyLocked(queue_.PopFront());
        popped_ += 1;
        active_ += 1;
      }
      runners = RunnersWantedLocked();
    }
    ScheduleRunners(runners);
    return absl::OkStatus();
  }

  void Cancel(absl::Status cause) {
    if (has_context_) cancel_(std::move(cause));
  }

  const Context& context() const { return ctx_; }

  size_t active() const ABSL_LOCKS_EXCLUDED(mu_) {
    if (ring_ != nullptr) return RingActive();
    absl::MutexLock lock(&mu_);
    return static_cast<size_t>(active_);
  }

 private:
  bool IdleLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return active_ == 0 && queue_.empty() && (ring_ == nullptr || RingIdle());
  }

  // --- Fixed limits: the lock-free slots and ready ring. ---

  enum class RingAdmission { kTaken, kQueued, kRejected };

  bool RingSubmit(Task task, Admission admission) ABSL_LOCKS_EXCLUDED(mu_) {
    if (rejecting_.load(std::memory_order_acquire)) return false;
    if (SkipsNow()) {
      absl::MutexLock lock(&mu_);
      if (Rejects()) return false;  // The error that cancelled the context.
      RecordContextErrorLocked();
      return true;  // Accepted, and by contract not run.
    }
    submitting_.fetch_add(1, std::memory_order_seq_cst);
    const RingAdmission result = TakeRingSlot(admission);
    if (result == RingAdmission::kTaken) PushToRing(std::move(task));
    bool accepted = result == RingAdmission::kTaken;
    if (result == RingAdmission::kQueued) {
      absl::MutexLock lock(&mu_);
      accepted = !Rejects() && EnqueueLocked(std::move(task));
    }
    submitting_.fetch_sub(1, std::memory_order_seq_cst);
    WakeRingSleepers();
    return accepted;
  }

  // Makes a task holding a slot ready: starts a runner if none is running,
  // else arms the stall check (seq_cst against a runner leaving).
  void PushToRing(Task task) {
    ring_->Push(std::move(task));
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (ring_runners_.load(std::memory_order_relaxed) == 0) {
      StartFirstRingRunner();
    } else {
      ArmRingStallCheck();
    }
  }

  // Takes a slot. With none free, kTry rejects; kBlock polls a moment and
  // then queues the task (as does a task of this group, which must not wait
  // for itself): a finishing task's thread then admits it, so a blocked
  // submitter's wake-up is not in the way of its task.
  RingAdmission TakeRingSlot(Admission admission) ABSL_LOCKS_EXCLUDED(mu_) {
    if (!TryTakeRingSlot()) {
      if (admission == Admission::kTry) return RingAdmission::kRejected;
      auto took_one = [this] { return TryTakeRingSlot(); };
      if (current_engine == this || !PollFor(took_one)) {
        return RingAdmission::kQueued;
      }
    }
    // A slot freed by a task that failed (and so stopped admissions) is not
    // for a task submitted after it.
    if (!rejecting_.load(std::memory_order_acquire)) {
      return RingAdmission::kTaken;
    }
    slots_freed_.fetch_add(1, std::memory_order_seq_cst);
    return RingAdmission::kRejected;
  }

  bool TryTakeRingSlot() {
    const uint64_t limit = static_cast<uint64_t>(options_.limit);
    uint64_t taken = slots_taken_.load(std::memory_order_relaxed);
    while (true) {
      if (taken - slots_freed_seen_.load(std::memory_order_acquire) >= limit &&
          !RingSlotFree(taken)) {
        return false;
      }
      if (slots_taken_.compare_exchange_weak(taken, taken + 1,
                                             std::memory_order_relaxed)) {
        return true;
      }
    }
  }

  // Re-reads the freed count (the one line a submitter shares with the
  // runners), caching it for the next submissions.
  bool RingSlotFree(uint64_t taken) {
    const uint64_t freed = slots_freed_.load(std::memory_order_acquire);
    slots_freed_seen_.store(freed, std::memory_order_release);
    return taken - freed < static_cast<uint64_t>(options_.limit);
  }

  size_t RingActive() const {
    const uint64_t freed = slots_freed_.load(std::memory_order_acquire);
    return static_cast<size_t>(slots_taken_.load(std::memory_order_acquire) -
                               freed);
  }

  // No task holds a slot and none is being submitted. The freed count is
  // read first: it never exceeds the taken count, so equal means idle then.
  bool RingIdle() const {
    if (submitting_.load(std::memory_order_seq_cst) != 0) return false;
    return RingActive() == 0;
  }

  // Polls `ready` with CPU pauses, then yields, then sleeps on mu_ until it
  // holds; whoever may make it true calls WakeRingSleepers afterwards.
  template <typename Pred>
  void SpinThenSleep(Pred ready) ABSL_LOCKS_EXCLUDED(mu_) {
    if (PollFor(ready)) return;
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    mu_.LockWhen(absl::Condition(&ready));
    mu_.Unlock();
    sleepers_.fetch_sub(1, std::memory_order_relaxed);
  }

  template <typename Pred>
  static bool PollFor(Pred& ready) {
    return SpinWait(kRingPausePolls, 1, kRingYieldPolls, /*busy_pauses=*/0)
        .PollFor(ready);
  }

  // After a change a sleeper may wait for (seq_cst, against its count):
  // releasing mu_ re-evaluates every sleeper's condition.
  void WakeRingSleepers() ABSL_LOCKS_EXCLUDED(mu_) {
    if (sleepers_.load(std::memory_order_seq_cst) == 0) return;
    absl::MutexLock lock(&mu_);
  }

  void StartFirstRingRunner() {
    int none = 0;
    if (ring_runners_.compare_exchange_strong(none, 1)) ScheduleRingRunner();
  }

  // Another runner, up to one per slot.
  void AddRingRunner() {
    int runners = ring_runners_.load(std::memory_order_relaxed);
    while (runners < options_.limit) {
      if (ring_runners_.compare_exchange_weak(runners, runners + 1)) {
        ScheduleRingRunner();
        return;
      }
    }
  }

  void ScheduleRingRunner() {
    ScheduleOnExecutor([weak = weak_from_this()] {
      if (std::shared_ptr<State> self = weak.lock()) self->RunRing();
    });
  }

  // Hands a runner (pool or ring) to the executor, unless the group has shut
  // down: `Shutdown` waits for the calls in flight, so the executor (which
  // need only outlive the group) is never touched once the destructor has
  // returned, not even by a stall check that fired on the timer thread just
  // as the last task ended.
  void ScheduleOnExecutor(Executor::Task runner) {
    executor_calls_.fetch_add(1, std::memory_order_seq_cst);
    if (!shut_down_.load(std::memory_order_seq_cst)) {
      executor_.Schedule(std::move(runner));
    }
    executor_calls_.fetch_sub(1, std::memory_order_release);
  }

  // Ends executor use (see ScheduleOnExecutor); seq_cst against it.
  void StopUsingExecutor() {
    shut_down_.store(true, std::memory_order_seq_cst);
    while (executor_calls_.load(std::memory_order_acquire) != 0) {
      std::this_thread::yield();
    }
  }

  // An executor thread lent to a fixed-limit group (counted in
  // ring_runners_): runs ready tasks, lingering a moment when there are
  // none, until it leaves with none ready.
  void RunRing() ABSL_LOCKS_EXCLUDED(mu_) {
    const void* const outer = current_engine;
    current_engine = this;
    auto has_ready = [this] { return ring_->HasReady(); };
    while (true) {
      RunRingTasks(/*add_runners=*/true);
      if (PollFor(has_ready)) continue;
      ring_runners_.fetch_sub(1, std::memory_order_seq_cst);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      if (!ring_->HasReady()) break;
      ring_runners_.fetch_add(1, std::memory_order_relaxed);
    }
    current_engine = outer;
  }

  // Runs ready tasks until none is left. A runner taking one while more are
  // ready asks for another runner first (the task may block).
  void RunRingTasks(bool add_runners) ABSL_LOCKS_EXCLUDED(mu_) {
    Task task;
    while (ring_->TryPop(task)) {
      if (add_runners && ring_->HasReady()) AddRingRunner();
      if (SkipsNow()) {
        task = nullptr;  // Destroyed unrun, outside mu_.
        {
          absl::MutexLock lock(&mu_);
          RecordContextErrorLocked();
        }
        FreeRingSlot();
      } else if (TaskEnd ended = RunOne(std::move(task)); !ended.detached) {
        EndRingTask(std::move(ended));
      }  // A detached task keeps its slot until it ends.
    }
  }

  // Frees a finished task's slot, then admits queued tasks into the free
  // slots (the one just freed, unless a submitter took it first).
  void FreeRingSlot() ABSL_LOCKS_EXCLUDED(mu_) {
    if (!HandSlotToQueued()) {
      slots_freed_.fetch_add(1, std::memory_order_seq_cst);
      if (queued_for_ring_.load(std::memory_order_seq_cst) != 0) {
        absl::MutexLock lock(&mu_);
        AdmitQueuedToRingLocked();
      }
    }
    WakeRingSleepers();
    // Seq_cst against WhenIdle's registration: one of the two sees the other.
    if (idle_waiters_pending_.load(std::memory_order_seq_cst)) {
      absl::MutexLock lock(&mu_);
      if (!idle_waiters_.empty() && IdleLocked()) RunIdleWaitersLocked();
    }
  }

  // Gives a finished task's slot straight to the first queued task, if
  // any: the slot count never drops to zero in between, so `Wait` cannot
  // see the group idle while a queued task (one its own task submitted just
  // before ending, say) is about to start. False if none is queued.
  bool HandSlotToQueued() ABSL_LOCKS_EXCLUDED(mu_) {
    if (queued_for_ring_.load(std::memory_order_seq_cst) == 0) return false;
    absl::MutexLock lock(&mu_);
    std::optional<Task> task = PopQueuedToStartLocked();
    if (!task.has_value()) return false;
    PushToRing(*std::move(task));
    return true;
  }

  // Moves queued tasks, in order, into the slots free now. A submitter that
  // queues and a thread that frees a slot each call it after their change
  // (seq_cst against each other), so a queued task never misses a slot.
  void AdmitQueuedToRingLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    while (!queue_.empty() && TryTakeRingSlot()) {
      std::optional<Task> task = PopQueuedToStartLocked();
      if (!task.has_value()) {  // All skipped: the slot goes back.
        slots_freed_.fetch_add(1, std::memory_order_seq_cst);
        return;
      }
      PushToRing(*std::move(task));
    }
  }

  // `Wait` runs ready tasks too, then waits for the slots to be freed.
  void WaitForRing() ABSL_LOCKS_EXCLUDED(mu_) {
    const void* const outer = current_engine;
    current_engine = this;
    while (true) {
      RunRingTasks(/*add_runners=*/false);
      if (RingIdle()) break;
      SpinThenSleep([this] { return RingIdle() || ring_->HasReady(); });
    }
    current_engine = outer;
  }

  // While runners exist, a check one stall_delay after a task is made ready
  // adds a runner if none took a task meanwhile (every runner is blocked,
  // maybe waiting for the tasks behind it), and re-arms while tasks are
  // ready. At most one check is armed at a time.
  void ArmRingStallCheck() {
    if (ring_stall_check_armed_.load(std::memory_order_relaxed) ||
        ring_stall_check_armed_.exchange(true, std::memory_order_seq_cst)) {
      return;
    }
    ScheduleRingStallCheck();
  }

  void ScheduleRingStallCheck() {
    AfterStallDelay(
        [pops = ring_->pops()](State& self) { self.RingStallCheck(pops); });
  }

  void RingStallCheck(uint64_t pops_then) {
    if (ring_->HasReady()) {
      if (ring_->pops() == pops_then) AddRingRunner();
      ScheduleRingStallCheck();
      return;
    }
    ring_stall_check_armed_.store(false, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (ring_->HasReady()) ArmRingStallCheck();
  }

  void ReportUnobservedExceptionLocked() const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
#ifdef ABSL_HAVE_EXCEPTIONS
    if (exception_ && !exception_observed_) {
      std::fprintf(stderr,
                   "xsync: a group was destroyed without Wait observing its "
                   "task's exception: %s\n",
                   std::string(first_exception_status_.message()).c_str());
    }
#endif
  }

  // Waits until `pred` holds. Short tasks finish (and admit) within
  // microseconds, so it re-checks a little, yielding, before sleeping on the
  // condition: a quick join or a full group then costs no OS wake-up.
  // The first few re-checks only pause the CPU: a task another thread has
  // just taken is often done in less time than a yield takes.
  template <typename Pred>
  void SpinThenAwaitLocked(Pred& pred) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    SpinWait spin(kPauseChecks, kPausesPerCheck, kSpinChecks - kPauseChecks,
                  /*busy_pauses=*/0);
    while (!pred()) {
      mu_.Unlock();
      const bool again = spin.Next();
      mu_.Lock();
      if (!again) break;
    }
    mu_.Await(absl::Condition(&pred));
  }

  size_t FreeSlotsLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return active_ >= limit_ ? 0 : static_cast<size_t>(limit_ - active_);
  }

  bool Rejects() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return options_.on_error == OnError::kCancelAndDrop && !first_error_.ok();
  }

  // True if a task about to start (admitted, dequeued or taken from the
  // ready list) is skipped instead: the group skips once its context is done.
  bool SkipsNow() const { return options_.skip_when_done && ctx_.Done(); }

  bool CancelsOnError() const { return options_.on_error != OnError::kRecord; }

  // Makes `task` ready in a free slot, or skips it if the group context is
  // done and the group skips then (accepted, and by contract not run).
  void AdmitLocked(Task task) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (SkipsNow()) {
      RecordContextErrorLocked();
      return;
    }
    active_ += 1;
    PushReadyLocked(std::move(task));
  }

  // Queues `task` while every slot is busy. Beyond the queue's capacity the
  // caller blocks until its task is admitted (within capacity of the front,
  // or dequeued for capacity 0); a finishing task's thread then takes it
  // over, so a full group costs no executor round trip per task. A task of
  // this group submitting to it is never blocked (that could never end).
  bool EnqueueLocked(Task task) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const uint64_t ticket = pushed_++;
    queue_.push_back(std::move(task));
    if (ring_ != nullptr) {
      queued_for_ring_.fetch_add(1, std::memory_order_seq_cst);
      AdmitQueuedToRingLocked();
    }
    if (queue_.size() <= options_.queue_capacity || current_engine == this) {
      return true;
    }
    auto admitted = [this, ticket]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return popped_ + options_.queue_capacity > ticket;
    };
    SpinThenAwaitLocked(admitted);
    return !(drop_begin_ <= ticket && ticket < drop_end_);
  }

  // How many more runners to ask the executor for. Enough are on their way
  // for the ready tasks, but never more than one per thread already running
  // a task of ours: a burst of short tasks is drained by a few threads (one
  // executor hand-off serves many tasks), while tasks that block double the
  // runners at every round, so N blocking tasks reach N threads in about
  // log2(N) wake-ups.
  //
  // With a runner cap, no more are asked for than the cap leaves room for;
  // the stall check then raises the cap if the ready tasks stop starting.
  int RunnersWantedLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    size_t wanted = std::min(ready_.size(), static_cast<size_t>(running_) + 1);
    if (runner_cap_ != kNoLimit) {
      const size_t room =
          static_cast<size_t>(std::max(0, runner_cap_ - running_));
      if (room < wanted) {
        wanted = room;
        ArmStallCheckLocked();
      }
    }
    const size_t pending = static_cast<size_t>(runners_pending_);
    if (pending >= wanted) return 0;
    runners_pending_ += static_cast<int>(wanted - pending);
    return static_cast<int>(wanted - pending);
  }

  // Checks, one stall_delay from now, whether the ready tasks of now have
  // all started by then. At most one check is armed at a time.
  void ArmStallCheckLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (stall_check_armed_) return;
    stall_check_armed_ = true;
    ready_seen_ = ready_pushes_.load(std::memory_order_relaxed);
    AfterStallDelay([](State& self) { self.StallCheck(); });
  }

  // Runs `check(state)` on the shared timer thread one stall_delay from now,
  // unless the group is gone by then. By the heap's own clock (cheaper here
  // than absl::Now(); see timer_heap.cc).
  template <typename Check>
  void AfterStallDelay(Check check) {
    TimerHeap& timers = TimerHeap::Default();
    timers.Schedule(
        timers.Now() + std::max(options_.stall_delay, kMinStallDelay),
        [weak = weak_from_this(), check] {
          if (std::shared_ptr<State> self = weak.lock()) check(*self);
        });
  }

  // On the timer thread. A task that was ready at the last check and has not
  // started since means every runner is stuck (in a long or blocking task,
  // or descheduled): the cap doubles and the runners it now allows are asked
  // for. Otherwise the cap returns to its eager value.
  void StallCheck() ABSL_LOCKS_EXCLUDED(mu_) {
    int runners;
    {
      absl::MutexLock lock(&mu_);
      stall_check_armed_ = false;
      const uint64_t taken =
          ready_pushes_.load(std::memory_order_relaxed) - ready_.size();
      if (taken < ready_seen_) {
        runner_cap_ = std::min(2 * runner_cap_, kMaxRunnerCap);
      } else {
        runner_cap_ = eager_runner_cap_;
      }
      runners = RunnersWantedLocked();  // Re-arms while the cap still binds.
    }
    ScheduleRunners(runners);
  }

  // Outside mu_: an inline executor runs the runner right here.
  void ScheduleRunners(int runners) ABSL_LOCKS_EXCLUDED(mu_) {
    for (int i = 0; i < runners; ++i) {
      ScheduleOnExecutor([weak = weak_from_this()] {
        if (std::shared_ptr<State> self = weak.lock()) self->RunPool();
      });
    }
  }

  // An executor thread lent to this group: runs ready tasks until none are
  // left. Until it starts it holds the state only weakly, so a runner that
  // arrives after the group is gone, or finds its tasks already run by
  // others (e.g. by Wait), just returns; a group never waits for runners.
  //
  // A runner run inline by the run loop's own request (an inline executor)
  // leaves at once: this thread is that loop, which runs the remaining
  // tasks in order once the current one is done. Running them here would
  // start them before it, nested one level per ready task.
  void RunPool() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    runners_pending_ -= 1;
    if (asking_from_run_loop == this) return;
    do {
      RunReadyLocked();
    } while (LingerLocked());
  }

  // Stays a moment for more ready tasks before leaving: a submitter that
  // keeps the group full (x/sync's blocking Go at a limit) has its next
  // task ready within microseconds, and finding this runner still here
  // spares it asking the executor for another. At most two runners linger,
  // polling a counter rather than the lock, and each counts meanwhile as a
  // runner on its way; the decision to leave is taken under mu_, so a task
  // made ready meanwhile is never left without one. True if there is work.
  bool LingerLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!ready_.empty()) return true;
    // With an unbounded queue, tasks beyond the limit reach the ready list
    // from finishing tasks, never from a submitter waiting for a runner.
    if (lingering_ >= kMaxLingering ||
        options_.queue_capacity == kUnboundedQueue) {
      return false;
    }
    lingering_ += 1;
    runners_pending_ += 1;
    const uint64_t seen = ready_pushes_.load(std::memory_order_relaxed);
    mu_.Unlock();
    auto pushed = [this, seen] {
      return ready_pushes_.load(std::memory_order_relaxed) != seen;
    };
    SpinWait(0, 0, kLingerPolls, kLingerPauses).PollFor(pushed);
    mu_.Lock();
    runners_pending_ -= 1;
    lingering_ -= 1;
    return !ready_.empty();
  }

  void PushReadyLocked(Task task) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ready_.push_back(std::move(task));
    ready_pushes_.fetch_add(1, std::memory_order_relaxed);
  }

  // Runs ready tasks, one at a time and unlocked, until there are none. A
  // finishing task's slot goes to the next queued task, if any.
  void RunReadyLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const void* const outer = current_engine;
    current_engine = this;
    while (!ready_.empty()) {
      if (SkipsNow()) {
        SkipReadyLocked();
        continue;
      }
      Task task = ready_.PopFront();
      running_ += 1;
      const int runners = RunnersWantedLocked();
      mu_.Unlock();
      const void* const outer_asking = asking_from_run_loop;
      asking_from_run_loop = this;
      ScheduleRunners(runners);
      asking_from_run_loop = outer_asking;
      TaskEnd ended = RunOne(std::move(task));
      mu_.Lock();
      running_ -= 1;
      // A detached task keeps its slot until it ends.
      if (!ended.detached) EndTaskLocked(std::move(ended));
    }
    current_engine = outer;
  }

  // The group context is done and the group skips then: every ready task
  // is destroyed unrun (outside mu_, as its captures' destructors may call
  // back into the group), and only then is its slot freed (so `Wait` never
  // returns before a task's captures are gone).
  void SkipReadyLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    TaskFifo skipped;
    skipped.swap(ready_);
    const size_t count = skipped.size();
    mu_.Unlock();
    skipped.clear();
    mu_.Lock();
    RecordContextErrorLocked();
    for (size_t i = 0; i < count; ++i) PassSlotLocked();
  }

  struct TaskEnd {
    absl::Status status;
#ifdef ABSL_HAVE_EXCEPTIONS
    std::exception_ptr exception;
#endif
    // The task called DetachRunningTask: it ends when its Completion is
    // finished, and holds its slot until then.
    bool detached = false;
  };

  // Invokes and then destroys the task (before it counts as finished).
  TaskEnd RunOne(Task task) {
    TaskEnd ended;
    RunningTask running{this};
    RunningTask* const outer = running_task;
    running_task = &running;
#ifdef ABSL_HAVE_EXCEPTIONS
    try {
      ended.status = std::move(task)(ctx_);
    } catch (...) {
      ended.exception = std::current_exception();
      ended.status = absl::UnknownError(DescribeCurrentException());
    }
#else
    ended.status = std::move(task)(ctx_);
#endif
    running_task = outer;
    task = nullptr;
    ended.detached = running.detached;
    return ended;
  }

  // A detached task has ended: as the end of RunOne's caller's loop.
  void FinishDetached(TaskEnd ended) ABSL_LOCKS_EXCLUDED(mu_) {
    if (ring_ != nullptr) {
      EndRingTask(std::move(ended));
      return;
    }
    int runners;
    {
      absl::MutexLock lock(&mu_);
      EndTaskLocked(std::move(ended));
      runners = RunnersWantedLocked();  // For a queued task it made ready.
    }
    ScheduleRunners(runners);
  }

  // A fixed-limit group's task has ended: its failure is recorded and its
  // slot freed.
  void EndRingTask(TaskEnd ended) ABSL_LOCKS_EXCLUDED(mu_) {
    if (!ended.status.ok()) {
      absl::MutexLock lock(&mu_);
      RecordLocked(std::move(ended));
    }
    FreeRingSlot();
  }

  // A task has ended: its failure is recorded and its slot passed on.
  void EndTaskLocked(TaskEnd ended) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RecordLocked(std::move(ended));
    PassSlotLocked();
  }

  void RecordLocked(TaskEnd ended) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (ended.status.ok()) return;
#ifdef ABSL_HAVE_EXCEPTIONS
    if (ended.exception && !exception_) {
      exception_ = ended.exception;
      has_exception_.store(true, std::memory_order_release);
      first_exception_status_ = ended.status;
    }
#endif
    RecordErrorLocked(std::move(ended.status));
  }

  void RecordErrorLocked(absl::Status status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    errors_.push_back(status);
    if (!first_error_.ok()) return;
    first_error_ = std::move(status);
    if (has_context_ && CancelsOnError()) cancel_(first_error_);
    if (options_.on_error == OnError::kCancelAndDrop) {
      rejecting_.store(true, std::memory_order_release);
      queued_for_ring_.store(0, std::memory_order_relaxed);
      drop_begin_ = popped_;
      drop_end_ = pushed_;
      popped_ = pushed_;
      queue_.clear();
    }
  }

  // Once, and not when the context is done because the group's own first
  // error cancelled it (that error is the one to report).
  void RecordContextErrorLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (recorded_context_error_) return;
    if (CancelsOnError() && !first_error_.ok()) return;
    recorded_context_error_ = true;
    RecordErrorLocked(ctx_.Err());
  }

  // Gives a finished task's slot to the next queued task (now ready), or
  // frees it.
  void PassSlotLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (active_ <= limit_) {
      if (std::optional<Task> task = PopQueuedToStartLocked()) {
        PushReadyLocked(*std::move(task));
        return;
      }
    }
    active_ -= 1;
    if (!idle_waiters_.empty() && IdleLocked()) RunIdleWaitersLocked();
  }

  // Runs (and forgets) the WhenIdle callbacks: the group is idle now.
  void RunIdleWaitersLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::vector<absl::AnyInvocable<void() &&>> waiters;
    waiters.swap(idle_waiters_);
    idle_waiters_pending_.store(false, std::memory_order_relaxed);
    for (auto& waiter : waiters) std::move(waiter)();
  }

  // Takes queued tasks off the front until one may start, and returns it;
  // those skipped (the group context is done) are destroyed unrun.
  std::optional<Task> PopQueuedToStartLocked()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    while (!queue_.empty()) {
      Task task = queue_.PopFront();
      popped_ += 1;
      if (ring_ != nullptr) {
        queued_for_ring_.fetch_sub(1, std::memory_order_relaxed);
      }
      if (!SkipsNow()) return task;
      RecordContextErrorLocked();
    }
    return std::nullopt;
  }

  const Options options_;
  Executor& executor_;
  std::atomic<int> executor_calls_{0};  // In ScheduleOnExecutor now.
  std::atomic<bool> shut_down_{false};
  // The runner cap when no task stalls: eager_runners (at least 1), or
  // kNoLimit (no cap) with an inline executor.
  const int eager_runner_cap_;
  Context ctx_;
  CancelCauseFunc cancel_;
  bool has_context_ = false;

  mutable absl::Mutex mu_;
  int limit_ ABSL_GUARDED_BY(mu_);
  // Tasks holding a slot: ready (admitted, not yet started) or running.
  int active_ ABSL_GUARDED_BY(mu_) = 0;
  TaskFifo ready_ ABSL_GUARDED_BY(mu_);
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  // Runners scheduled on the executor that have not started yet, or
  // lingering (at most kMaxLingering) for more ready tasks.
  int runners_pending_ ABSL_GUARDED_BY(mu_) = 0;
  int lingering_ ABSL_GUARDED_BY(mu_) = 0;
  // Threads that may run tasks at once before the stall check adds more
  // (kNoLimit: no cap), whether that check is armed, and the ready pushes
  // it saw when armed.
  int runner_cap_ ABSL_GUARDED_BY(mu_) = eager_runner_cap_;
  bool stall_check_armed_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t ready_seen_ ABSL_GUARDED_BY(mu_) = 0;
  std::atomic<uint64_t> ready_pushes_{0};  // Ever made ready; read unlocked.
  // Tasks waiting for a slot.
  TaskFifo queue_ ABSL_GUARDED_BY(mu_);
  // Tickets: tasks ever queued and ever taken off the queue (run, skipped or
  // dropped); [drop_begin_, drop_end_) were dropped unrun by kCancelAndDrop.
  uint64_t pushed_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t popped_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t drop_begin_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t drop_end_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status first_error_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Status> errors_ ABSL_GUARDED_BY(mu_);
  bool recorded_context_error_ ABSL_GUARDED_BY(mu_) = false;
  bool waited_ ABSL_GUARDED_BY(mu_) = false;
  // WhenIdle callbacks, and whether there are any (read by ring runners).
  std::vector<absl::AnyInvocable<void() &&>> idle_waiters_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> idle_waiters_pending_{false};
  // Fixed limits (null ring_ otherwise). The queue above holds the tasks
  // that found no slot, of blocked submitters or of the group's own tasks
  // (queued_for_ring_ of them). Submitters write the first line, runners the
  // second, and the rest changes only as runners come and go, threads sleep
  // or an error stops admissions.
  std::unique_ptr<ReadyRing<Task>> ring_;
  alignas(64) std::atomic<uint64_t> slots_taken_{0};
  std::atomic<uint64_t> slots_freed_seen_{0};  // A recent slots_freed_.
  std::atomic<int> submitting_{0};
  alignas(64) std::atomic<uint64_t> slots_freed_{0};
  alignas(64) std::atomic<int> ring_runners_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> rejecting_{false};  // kCancelAndDrop, after an error.
  std::atomic<size_t> queued_for_ring_{0};
  std::atomic<bool> ring_stall_check_armed_{false};
#ifdef ABSL_HAVE_EXCEPTIONS
  std::exception_ptr exception_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> has_exception_{false};  // exception_ is set.
  absl::Status first_exception_status_ ABSL_GUARDED_BY(mu_);
  bool exception_observed_ ABSL_GUARDED_BY(mu_) = false;
#endif
};

GroupEngine::Completion GroupEngine::DetachRunningTask() {
  RunningTask* const running = running_task;
  if (running == nullptr || running->detached) return Completion();
  running->detached = true;
  return Completion(running->state->shared_from_this());
}

void GroupEngine::UndoDetach(Completion completion) {
  RunningTask* const running = running_task;
  if (running != nullptr && running->detached &&
      completion.state_.get() == running->state) {
    running->detached = false;
  }
}

GroupEngine::Completion::Completion(std::shared_ptr<State> state)
    : state_(std::move(state)) {}
GroupEngine::Completion::Completion(Completion&&) noexcept = default;
GroupEngine::Completion& GroupEngine::Completion::operator=(
    Completion&&) noexcept = default;
GroupEngine::Completion::~Completion() = default;

void GroupEngine::Completion::Finish(absl::Status status,
                                     std::exception_ptr exception) && {
  std::shared_ptr<State> state = std::move(state_);
  if (state == nullptr) return;
  State::TaskEnd ended;
  ended.status = std::move(status);
#ifdef ABSL_HAVE_EXCEPTIONS
  if (exception) {
    try {
      std::rethrow_exception(exception);
    } catch (...) {
      ended.status = absl::UnknownError(DescribeCurrentException());
    }
    ended.exception = std::move(exception);
  }
#else
  (void)exception;
#endif
  state->FinishDetached(std::move(ended));
}

GroupEngine::GroupEngine(std::optional<Context> parent, Options options)
    : state_(new State(std::move(parent), options)) {}

GroupEngine::~GroupEngine() { state_->Shutdown(); }

bool GroupEngine::Submit(Task task, Admission admission) {
  return state_->Submit(std::move(task), admission);
}

void GroupEngine::SubmitAll(absl::Span<Task> tasks) {
  state_->SubmitAll(tasks);
}

absl::Status GroupEngine::Wait() { return state_->Wait(); }

void GroupEngine::RethrowIfException() { state_->RethrowIfException(); }

void GroupEngine::WhenIdle(absl::AnyInvocable<void() &&> callback) {
  state_->WhenIdle(std::move(callback));
}

std::optional<absl::Status> GroupEngine::WaitIfIdle() {
  return state_->WaitIfIdle();
}

std::vector<absl::Status> GroupEngine::Errors() const {
  return state_->Errors();
}

absl::Status GroupEngine::FirstError() const { return state_->FirstError(); }

absl::Status GroupEngine::SetLimit(int limit) {
  return state_->SetLimit(limit);
}

void GroupEngine::Cancel(absl::Status cause) {
  state_->Cancel(std::move(cause));
}

const Context& GroupEngine::context() const { return state_->context(); }

size_t GroupEngine::active() const { return state_->active(); }

}  // namespace internal
}  // namespace xsync
