// Copyright 2026 The xsync Authors.

#include "schedgroup/schedgroup.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "internal/group_engine.h"

namespace xsync {
namespace schedgroup {

// The group's shared state: pending tasks (by id, with their timer entries)
// and the engine that runs due tasks. Timer callbacks hold it weakly.
class TaskHandle::Owner : public std::enable_shared_from_this<Owner> {
 public:
  Owner(const Context& ctx, Executor* executor, internal::TimerHeap& timers)
      : ctx_(ctx),
        executor_(ExecutorOrDefault(executor)),
        timers_(timers),
        engine_(ctx, EngineOptions(executor)) {}

  absl::Time Now() const { return timers_.Now(); }

  absl::Status Schedule(absl::Time when, Group::Task task, TaskHandle* handle)
      ABSL_LOCKS_EXCLUDED(mu_) {
    // Err() takes the context's lock, which is taken before ours (the
    // AfterFunc in Finish runs under it): ask before locking.
    if (ctx_.Done()) return ctx_.Err();
    uint64_t id;
    {
      absl::MutexLock lock(&mu_);
      if (wait_started_) {
        return absl::FailedPreconditionError(
            "schedgroup: Schedule/Delay called after Wait started");
      }
      id = next_id_++;
      pending_[id] = internal::TimerHandle();  // Before the timer can fire.
    }
    // Outside mu_, so the timer thread never waits for an arming caller.
    const internal::TimerHandle timer = timers_.Schedule(
        when, [weak = weak_from_this(), id, task = std::move(task)]() mutable {
          if (auto self = weak.lock()) self->Fire(id, std::move(task));
        });
    {
      absl::MutexLock lock(&mu_);
      auto it = pending_.find(id);
      if (it != pending_.end()) it->second = timer;  // Still pending.
    }
    if (handle != nullptr) {
      handle->owner_ = weak_from_this();
      handle->id_ = id;
    }
    return absl::OkStatus();
  }

  bool Cancel(uint64_t id) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    auto it = pending_.find(id);
    if (it == pending_.end()) return false;
    timers_.Cancel(it->second);
    pending_.erase(it);
    return true;
  }

  absl::Status Wait() ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      if (wait_started_) {
        return absl::FailedPreconditionError(
            "schedgroup: Wait called more than once");
      }
      wait_started_ = true;
    }
    return Finish();
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
    options.cancel_on_error = false;
    return options;
  }

  // On the timer thread, kept short: move a due task to the ready list
  // (unless the group ended or the task was cancelled) and make sure one
  // drainer is on its way to hand the list to the engine.
  void Fire(uint64_t id, Group::Task task) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      if (pending_.erase(id) == 0) return;  // Cancelled meanwhile.
      if (ctx_.Done() || stopping_) {
        dropped_ = true;  // Wait must report that the group ended early.
        return;
      }
      ready_.push_back(std::move(task));
      submitting_ += 1;  // Wait must see it until the engine has it.
      if (draining_) return;
      draining_ = true;
    }
    executor_.Schedule([self = shared_from_this()] { self->Drain(); });
  }

  // On the executor: submits ready tasks to the engine (each then runs
  // concurrently) until the ready list stays empty.
  void Drain() ABSL_LOCKS_EXCLUDED(mu_) {
    std::vector<Group::Task> batch;
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        submitting_ -= static_cast<int>(batch.size());
        batch.clear();
        if (ready_.empty()) {
          draining_ = false;
          return;
        }
        batch.swap(ready_);
      }
      for (Group::Task& task : batch) {
        engine_.Submit(
            [task = std::move(task)](const Context& ctx) mutable {
              std::move(task)(ctx);
              return absl::OkStatus();
            },
            internal::GroupEngine::Admission::kBlock);
      }
    }
  }

  // Waits for every pending task to be handed over, or for the context (or
  // shutdown) to end the group; then for every running task.
  absl::Status Finish() ABSL_LOCKS_EXCLUDED(mu_) {
    AfterFuncHandle on_done = AfterFunc(
        ctx_,
        [this] {
          absl::MutexLock lock(&mu_);
          ctx_done_ = true;
        },
        &InlineExecutorInstance());
    bool ended_early;
    {
      absl::MutexLock lock(&mu_);
      auto settled = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return (pending_.empty() && submitting_ == 0) || ctx_done_ || stopping_;
      };
      mu_.Await(absl::Condition(&settled));
      ended_early = dropped_ || !pending_.empty() || submitting_ > 0;
      stopping_ = true;
      for (const auto& [id, timer] : pending_) timers_.Cancel(timer);
      pending_.clear();
      auto handed_over = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return submitting_ == 0;
      };
      mu_.Await(absl::Condition(&handed_over));
    }
    on_done.Stop();
    engine_.Wait().IgnoreError();
    if (ended_early && ctx_.Done()) return ctx_.Err();
    return absl::OkStatus();
  }

  const Context ctx_;
  Executor& executor_;
  internal::TimerHeap& timers_;
  internal::GroupEngine engine_;

  absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, internal::TimerHandle> pending_
      ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::vector<Group::Task> ready_ ABSL_GUARDED_BY(mu_);  // Due, not handed.
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  int submitting_ ABSL_GUARDED_BY(mu_) = 0;  // Due tasks not yet handed.
  bool wait_started_ ABSL_GUARDED_BY(mu_) = false;
  bool ctx_done_ ABSL_GUARDED_BY(mu_) = false;
  bool dropped_ ABSL_GUARDED_BY(mu_) = false;  // A due task never ran.
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

bool TaskHandle::Cancel() {
  std::shared_ptr<Owner> owner = owner_.lock();
  return owner != nullptr && owner->Cancel(id_);
}

Group::Group(const Context& ctx, Executor* executor,
             internal::TimerHeap* timers)
    : state_(std::make_shared<TaskHandle::Owner>(
          ctx, executor,
          timers != nullptr ? *timers : internal::TimerHeap::Default())) {}

Group::~Group() { state_->Shutdown(); }

absl::Status Group::ScheduleTask(absl::Time when, Task task,
                                 TaskHandle* handle) {
  return state_->Schedule(when, std::move(task), handle);
}

absl::Status Group::Wait() { return state_->Wait(); }

absl::Time Group::Now() const { return state_->Now(); }

}  // namespace schedgroup
}  // namespace xsync
