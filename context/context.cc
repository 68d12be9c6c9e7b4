// Copyright 2026 The xsync Authors.

#include "xsync/context/context.h"

#include <atomic>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "xsync/internal/timer_heap.h"

namespace xsync {
namespace internal {

namespace {
// Built once: copying a Status shares its message instead of allocating.
const absl::Status& CanceledError() {
  static const auto* const status =
      new absl::Status(absl::CancelledError("context canceled"));
  return *status;
}
const absl::Status& DeadlineError() {
  static const auto* const status = new absl::Status(
      absl::DeadlineExceededError("context deadline exceeded"));
  return *status;
}
}  // namespace

// Something to tell when a cancellation state becomes done: a child state or
// an AfterFunc. Linked into its source's intrusive list, guarded by the
// source's mutex.
class CancelListener {
 public:
  virtual ~CancelListener() = default;
  // Called once, with the source's mutex held, after this listener has been
  // unlinked. Must not lock the source's mutex.
  virtual void OnSourceDone(const absl::Status& err,
                            const absl::Status& cause) = 0;
  // Called when the source is destroyed while this listener is still linked.
  virtual void OnSourceDestroyed() {}

 private:
  friend class CancelState;
  CancelListener* prev_ = nullptr;
  CancelListener* next_ = nullptr;
  bool linked_ = false;
};

// The cancellation state of one cancellable context.
//
// Lock order: a parent's mu_ before its children's (cancellation runs down the
// tree with each level's lock held, so that it reaches every descendant before
// cancel() returns); the timer heap's lock after any state's. A state never
// takes its parent's lock while holding its own.
class CancelState final : public CancelListener,
                          public std::enable_shared_from_this<CancelState> {
 public:
  CancelState(std::shared_ptr<CancelState> parent,
              std::optional<absl::Time> deadline)
      : parent_(std::move(parent)), deadline_(deadline) {}

  ~CancelState() override {
    // Unless our own cancellation already unlinked us, Unlink takes the
    // parent's lock, which also waits out a parent cancelling us right now.
    if (parent_ != nullptr && !unlinked_by_cancel_) parent_->Unlink(this);
    // A done state has no listeners (it accepts none) and no timer left.
    if (done()) return;
    TimerHandle timer;
    {
      absl::MutexLock lock(&mu_);
      timer = timer_;
      // Children hold this state alive, so only AfterFuncs can remain.
      while (head_ != nullptr) {
        CancelListener* listener = head_;
        UnlinkLocked(listener);
        listener->OnSourceDestroyed();
      }
    }
    if (!timer.empty()) TimerHeap::Default().Cancel(timer);
  }

  // Links this new state under its parent; cancels it at once if the parent
  // is already done.
  void Attach() {
    if (parent_ == nullptr) return;
    absl::Status err, cause;
    if (!parent_->LinkOrGetError(this, &err, &cause)) {
      Cancel(std::move(err), std::move(cause));
    }
  }

  // Arms the deadline timer (the deadline is in the future).
  void ArmDeadline(absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    if (done_.load(std::memory_order_relaxed)) return;
    timer_ = TimerHeap::Default().Schedule(
        deadline, [weak = std::weak_ptr<CancelState>(shared_from_this())] {
          if (auto self = weak.lock()) self->Cancel(DeadlineError(), {});
        });
  }

  // Cancels this state and its descendants. An OK cause means "none".
  void Cancel(absl::Status err, absl::Status cause) {
    TimerHandle timer;
    {
      absl::MutexLock lock(&mu_);
      if (!CancelLocked(err, cause)) return;
      timer = timer_;
    }
    if (parent_ != nullptr) {
      parent_->Unlink(this);
      unlinked_by_cancel_ = true;  // Read by the destructor, which follows.
    }
    if (!timer.empty()) TimerHeap::Default().Cancel(timer);
  }

  bool done() const { return done_.load(std::memory_order_acquire); }

  absl::Status err() const {
    if (!done()) return absl::OkStatus();
    absl::MutexLock lock(&mu_);
    return err_;
  }

  absl::Status cause() const {
    if (!done()) return absl::OkStatus();
    absl::MutexLock lock(&mu_);
    return cause_.ok() ? err_ : cause_;
  }

  const std::optional<absl::Time>& deadline() const { return deadline_; }

  bool WaitUntil(absl::Time deadline) const {
    if (done()) return true;
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithDeadline(absl::Condition(&done_flag_), deadline);
  }

  // Links `listener` unless this state is done; if done, returns false with
  // the error and cause.
  bool LinkOrGetError(CancelListener* listener, absl::Status* err,
                      absl::Status* cause) {
    absl::MutexLock lock(&mu_);
    if (done_.load(std::memory_order_relaxed)) {
      *err = err_;
      *cause = cause_;
      return false;
    }
    listener->next_ = head_;
    listener->prev_ = nullptr;
    if (head_ != nullptr) head_->prev_ = listener;
    head_ = listener;
    listener->linked_ = true;
    listener_count_ += 1;
    return true;
  }

  // Unlinks `listener` if still linked; true if this call unlinked it.
  bool Unlink(CancelListener* listener) {
    absl::MutexLock lock(&mu_);
    if (!listener->linked_) return false;
    UnlinkLocked(listener);
    return true;
  }

  size_t listener_count() const {
    absl::MutexLock lock(&mu_);
    return listener_count_;
  }

 private:
  void OnSourceDone(const absl::Status& err,
                    const absl::Status& cause) override {
    // Called by the parent with its lock held: no Unlink from the parent (it
    // already unlinked us), but our own timer must go.
    TimerHandle timer;
    {
      absl::MutexLock lock(&mu_);
      if (!CancelLocked(err, cause)) return;
      timer = timer_;
    }
    if (!timer.empty()) TimerHeap::Default().Cancel(timer);
  }

  // Marks done and notifies every listener; false if already done.
  bool CancelLocked(const absl::Status& err, const absl::Status& cause)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (done_.load(std::memory_order_relaxed)) return false;
    err_ = err;
    cause_ = cause;  // OK: none, the cause is err_ (saves a copy).
    done_flag_ = true;
    done_.store(true, std::memory_order_release);
    while (head_ != nullptr) {
      CancelListener* listener = head_;
      UnlinkLocked(listener);
      listener->OnSourceDone(err_, cause_);  // May delete an AfterFunc.
    }
    return true;
  }

  void UnlinkLocked(CancelListener* listener)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (listener->prev_ != nullptr) {
      listener->prev_->next_ = listener->next_;
    } else {
      head_ = listener->next_;
    }
    if (listener->next_ != nullptr) listener->next_->prev_ = listener->prev_;
    listener->prev_ = listener->next_ = nullptr;
    listener->linked_ = false;
    listener_count_ -= 1;
  }

  const std::shared_ptr<CancelState> parent_;
  const std::optional<absl::Time> deadline_;
  mutable absl::Mutex mu_;
  std::atomic<bool> done_{false};
  // Written once, by the one Cancel that did the cancelling.
  bool unlinked_by_cancel_ = false;
  bool done_flag_ ABSL_GUARDED_BY(mu_) = false;  // For Await conditions.
  absl::Status err_ ABSL_GUARDED_BY(mu_);
  absl::Status cause_ ABSL_GUARDED_BY(mu_);
  CancelListener* head_ ABSL_GUARDED_BY(mu_) = nullptr;
  size_t listener_count_ ABSL_GUARDED_BY(mu_) = 0;
  TimerHandle timer_ ABSL_GUARDED_BY(mu_);
};

// An AfterFunc registration. While linked, the list owns it (self_).
class AfterFuncRecord final : public CancelListener {
 public:
  AfterFuncRecord(absl::AnyInvocable<void() &&> f, Executor* executor)
      : f_(std::move(f)), executor_(executor) {}

  // Before linking: the list will own the record while it is linked.
  void Link(std::shared_ptr<AfterFuncRecord> self) { self_ = std::move(self); }

  // After the caller unlinked it (or it was never linkable): true if the
  // function had neither run nor been stopped; it never will now.
  bool StopUnlinked() {
    self_.reset();
    return !finished_.exchange(true);
  }

  // After the caller found the source already done.
  void RunNow() {
    self_.reset();
    Run();
  }

 private:
  void Run() {
    finished_.store(true);
    ExecutorOrDefault(executor_).Schedule(std::move(f_));
  }
  void OnSourceDone(const absl::Status&, const absl::Status&) override {
    auto self = std::move(self_);  // Frees the record on return if unowned.
    Run();
  }
  void OnSourceDestroyed() override { self_.reset(); }

  absl::AnyInvocable<void() &&> f_;
  Executor* const executor_;
  std::atomic<bool> finished_{false};
  std::shared_ptr<AfterFuncRecord> self_;
};

size_t LinkedListenerCountForTesting(const Context& ctx) {
  const auto& state = ContextAccess::State(ctx);
  return state == nullptr ? 0 : state->listener_count();
}

namespace {
absl::Notification& NeverNotified() {
  static auto* const never = new absl::Notification;
  return *never;
}
}  // namespace

}  // namespace internal

using internal::CancelState;

bool Context::Done() const { return cancel_ != nullptr && cancel_->done(); }

absl::Status Context::Err() const {
  return cancel_ == nullptr ? absl::OkStatus() : cancel_->err();
}

absl::Status Context::Cause() const {
  return cancel_ == nullptr ? absl::OkStatus() : cancel_->cause();
}

std::optional<absl::Time> Context::Deadline() const {
  if (cancel_ == nullptr) return std::nullopt;
  return cancel_->deadline();
}

void Context::Wait() const {
  if (cancel_ == nullptr) {
    internal::NeverNotified().WaitForNotification();
    return;
  }
  cancel_->WaitUntil(absl::InfiniteFuture());
}

bool Context::WaitFor(absl::Duration timeout) const {
  return WaitUntil(absl::Now() + timeout);
}

bool Context::WaitUntil(absl::Time deadline) const {
  // A time already past only polls (Go's select with a default case);
  // Abseil's timed waits would still block in the kernel first.
  if (deadline <= absl::Now()) return Done();
  if (cancel_ == nullptr) {
    return internal::NeverNotified().WaitForNotificationWithDeadline(deadline);
  }
  return cancel_->WaitUntil(deadline);
}

void CancelFunc::operator()() const {
  if (state_ != nullptr) state_->Cancel(internal::CanceledError(), {});
}

void CancelCauseFunc::operator()(absl::Status cause) const {
  if (state_ != nullptr) {
    state_->Cancel(internal::CanceledError(), std::move(cause));
  }
}

Context ContextAccess::Make(std::shared_ptr<internal::CancelState> state,
                            std::shared_ptr<const internal::ValueNode> values) {
  Context ctx;
  ctx.cancel_ = std::move(state);
  ctx.values_ = std::move(values);
  return ctx;
}

CancelFunc ContextAccess::MakeCancel(
    std::shared_ptr<internal::CancelState> state) {
  CancelFunc cancel;
  cancel.state_ = std::move(state);
  return cancel;
}

CancelCauseFunc ContextAccess::MakeCancelCause(
    std::shared_ptr<internal::CancelState> state) {
  CancelCauseFunc cancel;
  cancel.state_ = std::move(state);
  return cancel;
}

namespace {

std::shared_ptr<CancelState> NewChildState(const Context& parent,
                                           std::optional<absl::Time> deadline) {
  auto state = std::make_shared<CancelState>(ContextAccess::State(parent),
                                             std::move(deadline));
  state->Attach();
  return state;
}

}  // namespace

ContextAndCancel WithCancel(const Context& parent) {
  auto state = NewChildState(parent, parent.Deadline());
  return {ContextAccess::Make(state, ContextAccess::Values(parent)),
          ContextAccess::MakeCancel(state)};
}

ContextAndCancelCause WithCancelCause(const Context& parent) {
  auto state = NewChildState(parent, parent.Deadline());
  return {ContextAccess::Make(state, ContextAccess::Values(parent)),
          ContextAccess::MakeCancelCause(state)};
}

ContextAndCancel WithDeadline(const Context& parent, absl::Time deadline) {
  const std::optional<absl::Time> inherited = parent.Deadline();
  if (inherited.has_value() && *inherited <= deadline) {
    return WithCancel(parent);  // The parent's deadline comes first.
  }
  auto state = NewChildState(parent, deadline);
  if (deadline <= absl::Now()) {
    state->Cancel(internal::DeadlineError(), {});
  } else {
    state->ArmDeadline(deadline);
  }
  return {ContextAccess::Make(state, ContextAccess::Values(parent)),
          ContextAccess::MakeCancel(state)};
}

ContextAndCancel WithTimeout(const Context& parent, absl::Duration timeout) {
  return WithDeadline(parent, absl::Now() + timeout);
}

Context WithoutCancel(const Context& parent) {
  return ContextAccess::Make(nullptr, ContextAccess::Values(parent));
}

AfterFuncHandle AfterFunc(const Context& ctx, absl::AnyInvocable<void() &&> f,
                          Executor* executor) {
  AfterFuncHandle handle;
  handle.state_ = ContextAccess::State(ctx);
  handle.record_ =
      std::make_shared<internal::AfterFuncRecord>(std::move(f), executor);
  if (handle.state_ == nullptr) return handle;  // Never done: never runs.
  handle.record_->Link(handle.record_);
  absl::Status err, cause;
  if (!handle.state_->LinkOrGetError(handle.record_.get(), &err, &cause)) {
    handle.record_->RunNow();  // Already done.
  }
  return handle;
}

bool AfterFuncHandle::Stop() {
  if (record_ == nullptr) return false;
  if (state_ == nullptr) return record_->StopUnlinked();
  if (!state_->Unlink(record_.get())) return false;
  return record_->StopUnlinked();
}

}  // namespace xsync
