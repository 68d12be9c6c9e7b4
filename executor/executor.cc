// Copyright 2026 The xsync Authors.

#include "xsync/executor/executor.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "xsync/internal/run_guarded.h"
#include "xsync/internal/timer_heap.h"

namespace xsync {

namespace {
// How many times the spinning worker polls (yielding) before parking.
constexpr int kSpinPolls = 16;
}  // namespace

// How tasks find threads:
//   * Idle workers wait on a LIFO stack (under mu_), each on its own mutex,
//     so the most recently active (cache-warm) thread is reused first and the
//     coldest ones time out and exit.
//   * A task goes straight into an idle worker's slot ("hand-off") when one
//     is idle and no hand-off is still in flight; otherwise into the FIFO
//     queue. A woken worker first passes up to two queued tasks on to idle
//     workers (while the queue is longer than the number of workers running),
//     then runs its own. So a burst costs the submitter one wake-up, not one
//     per task, and N blocking tasks reach N threads in about log2(N) wake-up
//     latencies. A queue no longer than the running workers is left to them:
//     if they all block, the starvation check below starts it (within about
//     two starvation_delay). Passing every queued task on at once instead
//     (tried) wakes a thread per task of a burst of short ones, which made
//     short collector calls and a single Go + Wait up to twice as slow.
//   * With no idle thread, a new one starts while fewer than eager_threads
//     exist; beyond that the starvation check (on the shared timer heap)
//     starts threads whenever tasks are queued and no running worker took a
//     task for a whole starvation_delay (all are stuck in long or blocking
//     tasks, not merely outpaced by a burst of tiny ones), doubling the
//     number each time this persists.
//   * Wake-ups are signalled after mu_ is released, so a woken worker never
//     contends for mu_ just to start.
//   * At most one worker that runs out of work spins briefly (polling an
//     atomic queue-size hint, yielding) before parking; a task scheduled
//     meanwhile goes straight to it with no OS wake-up (Go's spinning M).
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
    Worker* woken = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (spinning_ > 0 && queue_.empty()) {
        // A worker is spinning for work: give it this one, no wake-up.
        queue_.push_back(std::move(task));
        queued_hint_.store(queue_.size(), std::memory_order_relaxed);
        ArmStarvationCheckLocked();
      } else if (!idle_.empty() && in_flight_ == 0) {
        woken = HandOffLocked(std::move(task));
      } else {
        queue_.push_back(std::move(task));
        queued_hint_.store(queue_.size(), std::memory_order_relaxed);
        if (idle_.empty() && threads_ < options_.eager_threads) {
          StartThreadsLocked(1);
        }
        // Whoever is running or waking normally takes it; the check makes
        // sure of it even if they all block.
        ArmStarvationCheckLocked();
      }
    }
    if (woken != nullptr) woken->Wake();
  }

  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_) {
    std::vector<Worker*> idle;
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
      idle.swap(idle_);
    }
    for (Worker* worker : idle) worker->Wake();
    absl::MutexLock lock(&mu_);
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
    return static_cast<int>(idle_.size());
  }
  long long threads_started() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return threads_started_;
  }

 private:
  // An idle worker's mailbox. `task` is written under State::mu_ by the
  // waker before Wake(); the worker reads it after seeing `woken`.
  struct Worker {
    void Wake() {
      absl::MutexLock lock(&mu);
      woken = true;
    }
    // True if woken before the timeout.
    bool AwaitWake(absl::Duration timeout) {
      absl::MutexLock lock(&mu);
      return mu.AwaitWithTimeout(absl::Condition(&woken), timeout);
    }

    absl::Mutex mu;
    bool woken ABSL_GUARDED_BY(mu) = false;
    Task task;
    // Guarded by State::mu_: tasks taken, and the count the last starvation
    // check saw (unchanged while running means stuck in one task).
    uint64_t tasks_taken = 0;
    uint64_t tasks_seen = 0;
    bool running = true;
  };

  Worker* HandOffLocked(Task task) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Worker* worker = idle_.back();
    idle_.pop_back();
    worker->task = std::move(task);
    worker->tasks_taken += 1;
    worker->running = true;
    in_flight_ += 1;
    running_ += 1;
    return worker;
  }

  // Starts `n` workers: this thread creates one, which creates the rest as a
  // tree (each new worker starts up to two more before taking a task), so a
  // large batch is created in parallel and never on the timer thread. If the
  // OS refuses a thread (EAGAIN), the counts are rolled back and queued tasks
  // wait for the next starvation check, which tries again; nothing throws and
  // nothing is lost.
  void StartThreadsLocked(int n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (n <= 0) return;
    auto* start = new Start{shared_from_this(), n - 1};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    const int error = pthread_create(&thread, &attr, &WorkerMain, start);
    pthread_attr_destroy(&attr);
    if (error != 0) {
      delete start;
      if (!reported_start_failure_) {
        reported_start_failure_ = true;
        std::fprintf(stderr,
                     "xsync: ElasticExecutor could not start a thread (%s); "
                     "queued tasks wait for a retry\n",
                     std::strerror(error));
      }
      ArmStarvationCheckLocked();
      return;
    }
    threads_ += 1;
    threads_started_ += 1;
    running_ += 1;
  }

  struct Start {
    std::shared_ptr<State> state;
    int more;  // Workers this one should start.
  };

  static void* WorkerMain(void* arg) {
    std::unique_ptr<Start> start(static_cast<Start*>(arg));
#ifdef __linux__
    pthread_setname_np(pthread_self(), "xsync-worker");  // For ps, perf, gdb.
#endif
    State& state = *start->state;
    if (start->more > 0) {
      absl::MutexLock lock(&state.mu_);
      const int left = start->more / 2;
      state.StartThreadsLocked(left);
      state.StartThreadsLocked(start->more - left);
    }
    state.WorkerLoop();
    return nullptr;
  }

  void WorkerLoop() ABSL_LOCKS_EXCLUDED(mu_) {
    Worker self;
    mu_.Lock();
    workers_.push_back(&self);
    while (true) {
      Task task;
      if (queue_.empty() && spinning_ == 0 && !stopping_) {
        // Be the one spinner: poll briefly before parking, so a task
        // scheduled soon costs no OS wake-up.
        spinning_ += 1;
        mu_.Unlock();
        for (int i = 0; i < kSpinPolls &&
                        queued_hint_.load(std::memory_order_relaxed) == 0;
             ++i) {
          std::this_thread::yield();
        }
        mu_.Lock();
        spinning_ -= 1;
      }
      if (!queue_.empty()) {
        task = PopLocked();
        self.tasks_taken += 1;
      } else {
        running_ -= 1;
        self.running = false;
        if (stopping_ || !ParkLocked(self)) break;
        task = std::move(self.task);
      }
      // Pass queued work on before running this task, which may block.
      Worker* pass_on[2] = {nullptr, nullptr};
      for (Worker*& next : pass_on) {
        if (queue_.empty() || idle_.empty() ||
            queue_.size() <= static_cast<size_t>(running_)) {
          break;
        }
        next = HandOffLocked(PopLocked());
      }
      mu_.Unlock();
      for (Worker* next : pass_on) {
        if (next != nullptr) next->Wake();
      }
      internal::RunGuarded(std::move(task), "executor task");
      mu_.Lock();
    }
    workers_.erase(std::find(workers_.begin(), workers_.end(), &self));
    threads_ -= 1;
    mu_.Unlock();
  }

  Task PopLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Task task = std::move(queue_.front());
    queue_.pop_front();
    queued_hint_.store(queue_.size(), std::memory_order_relaxed);
    return task;
  }

  // Parks `self` on the idle stack. Returns true, with mu_ held, once a task
  // has been handed to it; false, with mu_ held, when it idled for a whole
  // timeout (or the executor is stopping) and should exit.
  bool ParkLocked(Worker& self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    {
      absl::MutexLock lock(&self.mu);
      self.woken = false;
    }
    idle_.push_back(&self);
    while (true) {
      mu_.Unlock();
      const bool woken = self.AwaitWake(options_.idle_timeout);
      mu_.Lock();
      if (woken) {
        if (self.task == nullptr) return false;  // Shutdown.
        in_flight_ -= 1;
        return true;
      }
      auto it = std::find(idle_.begin(), idle_.end(), &self);
      if (it != idle_.end()) {
        idle_.erase(it);
        return false;
      }
      // Taken off the stack by a waker just as the timeout hit: its Wake()
      // is on the way, so wait for it.
    }
  }

  void ArmStarvationCheckLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (check_armed_) return;
    check_armed_ = true;
    check_spawn_ = 1;
    ArmTimerLocked(absl::Now() + options_.starvation_delay);
  }

  void ArmTimerLocked(absl::Time when) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    internal::TimerHeap::Default().Schedule(when, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->StarvationCheck();
    });
  }

  // Runs on the timer thread every starvation_delay while tasks are queued.
  void StarvationCheck() ABSL_LOCKS_EXCLUDED(mu_) {
    std::vector<Worker*> woken;
    {
      absl::MutexLock lock(&mu_);
      if (queue_.empty() || stopping_) {
        check_armed_ = false;
        return;
      }
      // A whole delay in which no running worker took a task: the oldest
      // queued task has waited that long and nobody is about to take it.
      if (AllRunningWorkersStuckLocked()) {
        int wanted = static_cast<int>(
            std::min(queue_.size(), static_cast<size_t>(check_spawn_)));
        while (wanted > 0 && !idle_.empty()) {
          woken.push_back(HandOffLocked(PopLocked()));
          --wanted;
        }
        StartThreadsLocked(wanted);
        check_spawn_ = std::min(check_spawn_ * 2, 1 << 16);
      } else {
        check_spawn_ = 1;
      }
      ArmTimerLocked(absl::Now() + options_.starvation_delay);
    }
    for (Worker* worker : woken) worker->Wake();
  }

  // True if every running worker took at most one task since the previous
  // check: all are busy with long (maybe blocking) tasks rather than merely
  // outpaced by a burst of tiny ones, which they would take many of per
  // period. Threads still starting count as not stuck.
  bool AllRunningWorkersStuckLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    bool all_stuck = true;
    for (Worker* worker : workers_) {
      if (worker->running && worker->tasks_taken - worker->tasks_seen > 1) {
        all_stuck = false;
      }
      worker->tasks_seen = worker->tasks_taken;
    }
    const int starting = threads_ - static_cast<int>(workers_.size());
    return all_stuck && starting == 0;
  }

  Options options_;
  mutable absl::Mutex mu_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<Worker*> idle_ ABSL_GUARDED_BY(mu_);  // LIFO.
  int threads_ ABSL_GUARDED_BY(mu_) = 0;
  int running_ ABSL_GUARDED_BY(mu_) = 0;    // Threads not parked.
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;  // Handed a task, not yet awake.
  int spinning_ ABSL_GUARDED_BY(mu_) = 0;   // Polling for work (at most 1).
  std::atomic<size_t> queued_hint_{0};      // queue_.size(), readable unlocked.
  long long threads_started_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Worker*> workers_ ABSL_GUARDED_BY(mu_);  // Every live worker.
  bool check_armed_ ABSL_GUARDED_BY(mu_) = false;
  bool reported_start_failure_ ABSL_GUARDED_BY(mu_) = false;
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

void InlineExecutor::Schedule(Task task) {
  internal::RunGuarded(std::move(task), "inline task");
}

Executor& InlineExecutorInstance() {
  static InlineExecutor* const executor = new InlineExecutor;
  return *executor;
}

Executor& DefaultExecutor() {
  static ElasticExecutor* const executor = new ElasticExecutor;
  return *executor;
}

}  // namespace xsync
