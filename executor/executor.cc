// Copyright 2026 The xsync Authors.

#include "executor/executor.h"

#include <algorithm>
#include <deque>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "internal/run_guarded.h"
#include "internal/timer_heap.h"

namespace xsync {

// Invariant (under mu_): idle_ + queue_.size() == threads waiting in
// WorkerLoop. A task is queued for an idle thread only after reserving it
// (idle_ -= 1), so every queued task has a waiting thread bound to take it;
// tasks queued beyond that are "backlog" served by running threads or by the
// starvation check.
class ElasticExecutor::State
    : public std::enable_shared_from_this<ElasticExecutor::State> {
 public:
  explicit State(Options options) : options_(options) {
    if (options_.eager_threads <= 0) {
      options_.eager_threads =
          std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
    }
  }

  void Schedule(Task task) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(task));
    if (idle_ > 0) {
      idle_ -= 1;
      work_.Signal();
    } else {
      backlog_ += 1;
      if (threads_ < options_.eager_threads) {
        StartThreadsLocked(1);  // It takes the backlog before idling.
      } else {
        ArmStarvationCheckLocked();
      }
    }
  }

  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    work_.SignalAll();
    auto all_gone = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return threads_ == 0;
    };
    mu_.Await(absl::Condition(&all_gone));
  }

  int thread_count() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return threads_;
  }
  int idle_thread_count() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return idle_;
  }
  long long threads_started() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return threads_started_;
  }

 private:
  void StartThreadsLocked(int n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (int i = 0; i < n; ++i) {
      threads_ += 1;
      threads_started_ += 1;
      std::thread([self = shared_from_this()] { self->WorkerLoop(); })
          .detach();
    }
  }

  // Takes the next task; the caller holds mu_ and the queue is non-empty.
  Task PopLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Task task = std::move(queue_.front());
    queue_.pop_front();
    progress_ += 1;
    return task;
  }

  void WorkerLoop() ABSL_LOCKS_EXCLUDED(mu_) {
    mu_.Lock();
    while (true) {
      // Backlog first: those tasks have no thread reserved for them.
      if (backlog_ > 0) {
        backlog_ -= 1;
      } else {
        idle_ += 1;
        bool timed_out = false;
        while (queue_.empty() && !stopping_ && !timed_out) {
          timed_out = work_.WaitWithTimeout(&mu_, options_.idle_timeout);
        }
        if (queue_.empty()) {  // Timed out or stopping, with nothing to do.
          idle_ -= 1;
          break;
        }
        // A task was queued for a reserved idle thread (idle_ already
        // decremented by Schedule); this thread takes it.
      }
      Task task = PopLocked();
      mu_.Unlock();
      internal::RunGuarded(std::move(task), "executor task");
      mu_.Lock();
    }
    threads_ -= 1;
    mu_.Unlock();
  }

  void ArmStarvationCheckLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (check_armed_) return;
    check_armed_ = true;
    check_progress_ = progress_;
    check_spawn_ = 1;
    ArmTimerLocked();
  }

  void ArmTimerLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    internal::TimerHeap::Default().Schedule(
        absl::Now() + options_.starvation_delay,
        [weak = weak_from_this()] {
          if (auto self = weak.lock()) self->StarvationCheck();
        });
  }

  // Runs on the timer thread while a backlog exists.
  void StarvationCheck() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (backlog_ == 0) {
      check_armed_ = false;
      return;
    }
    if (progress_ == check_progress_) {
      // Nothing was taken for a whole delay: every thread is blocked.
      StartThreadsLocked(std::min(backlog_, check_spawn_));
      check_spawn_ = std::min(check_spawn_ * 2, 1 << 16);
    } else {
      check_spawn_ = 1;
    }
    check_progress_ = progress_;
    ArmTimerLocked();
  }

  Options options_;
  mutable absl::Mutex mu_;
  absl::CondVar work_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mu_);
  int threads_ ABSL_GUARDED_BY(mu_) = 0;
  int idle_ ABSL_GUARDED_BY(mu_) = 0;     // Waiting and not reserved.
  int backlog_ ABSL_GUARDED_BY(mu_) = 0;  // Queued with no thread reserved.
  long long threads_started_ ABSL_GUARDED_BY(mu_) = 0;
  unsigned long long progress_ ABSL_GUARDED_BY(mu_) = 0;  // Tasks taken.
  bool check_armed_ ABSL_GUARDED_BY(mu_) = false;
  unsigned long long check_progress_ ABSL_GUARDED_BY(mu_) = 0;
  int check_spawn_ ABSL_GUARDED_BY(mu_) = 1;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

ElasticExecutor::ElasticExecutor() : ElasticExecutor(Options()) {}

ElasticExecutor::ElasticExecutor(Options options)
    : state_(std::make_shared<State>(options)) {}

ElasticExecutor::~ElasticExecutor() { state_->Shutdown(); }

void ElasticExecutor::Schedule(Task task) { state_->Schedule(std::move(task)); }

int ElasticExecutor::thread_count() const { return state_->thread_count(); }

int ElasticExecutor::idle_thread_count() const {
  return state_->idle_thread_count();
}

long long ElasticExecutor::threads_started() const {
  return state_->threads_started();
}

Executor& DefaultExecutor() {
  static ElasticExecutor* const executor = new ElasticExecutor;
  return *executor;
}

}  // namespace xsync
