// Copyright 2026 The xsync Authors.
//
// Pieces the group fuzz targets share: an executor the program steps by
// hand (deterministic runs), latches the program releases, and a tally of
// what the tasks did, checked against the model.

#ifndef XSYNC_FUZZ_HARNESS_H_
#define XSYNC_FUZZ_HARNESS_H_

#include <array>
#include <atomic>
#include <deque>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/config.h"
#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "fuzz/check.h"
#include "xsync/context/context.h"
#include "xsync/executor/executor.h"

namespace xsync {
namespace fuzz {

// Holds what it is given until the program runs it: every task then runs on
// the fuzzing thread, in an order the input decides, so a run repeats
// exactly. Tasks that block have no place here (nothing else would run).
class StepExecutor final : public Executor {
 public:
  void Schedule(Task task) override {
    absl::MutexLock lock(&mu_);
    held_.push_back(std::move(task));
  }

  // Runs the held task at `pick` (modulo the count); false if none is held.
  bool RunOne(int pick) {
    Task task;
    {
      absl::MutexLock lock(&mu_);
      if (held_.empty()) return false;
      const size_t at = static_cast<size_t>(pick) % held_.size();
      task = std::move(held_[at]);
      held_.erase(held_.begin() + static_cast<long>(at));
    }
    std::move(task)();
    return true;
  }

  void RunAll() {
    while (RunOne(0)) {
    }
  }

 private:
  absl::Mutex mu_;
  std::deque<Task> held_ ABSL_GUARDED_BY(mu_);
};

// Gates that blocking tasks wait on, released by the program (and all of
// them before anything waits for those tasks).
class Latches {
 public:
  static constexpr int kCount = 4;

  void Wait(int i) { gates_[i].WaitForNotification(); }
  bool released(int i) const { return gates_[i].HasBeenNotified(); }
  void Release(int i) {
    if (!released(i)) gates_[i].Notify();
  }
  void ReleaseAll() {
    for (int i = 0; i < kCount; ++i) Release(i);
  }

 private:
  std::array<absl::Notification, kCount> gates_;
};

// What the tasks did: runs per task id (each must be exactly one), how many
// ran at once, and the failures they reported.
class Tally {
 public:
  explicit Tally(int max_tasks) : runs_(new std::atomic<int>[max_tasks]) {
    for (int i = 0; i < max_tasks; ++i) runs_[i].store(0);
  }

  // Called first by task `id`; checks it never ran before.
  void Enter(int id) {
    XSYNC_FUZZ_CHECK(runs_[id].fetch_add(1) == 0, "a task ran twice");
    const int now = running_.fetch_add(1) + 1;
    int peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
  }
  // Called last by every task, after it recorded any failure.
  void Exit() {
    running_.fetch_sub(1);
    finished_.fetch_add(1);
  }

  // Runs task `id`'s `body` between Enter and Exit, recording its failure.
  template <typename Body>
  absl::Status Run(int id, Body body) {
    Enter(id);
    absl::Status status = body();
    if (!status.ok()) Fail(std::string(status.message()));
    Exit();
    return status;
  }

  void Fail(std::string message) {
    absl::MutexLock lock(&mu_);
    failures_.insert(std::move(message));
  }

  int runs(int id) const { return runs_[id].load(); }
  int finished() const { return finished_.load(); }
  int peak() const { return peak_.load(); }
  void ResetPeak() { peak_.store(running_.load()); }
  std::multiset<std::string> failures() const {
    absl::MutexLock lock(&mu_);
    return failures_;
  }

 private:
  std::unique_ptr<std::atomic<int>[]> runs_;
  std::atomic<int> running_{0};
  std::atomic<int> peak_{0};
  std::atomic<int> finished_{0};
  mutable absl::Mutex mu_;
  std::multiset<std::string> failures_ ABSL_GUARDED_BY(mu_);
};

// What a fuzzed group task does.
enum class Kind { kSucceed, kFail, kThrow, kWaitContext, kWaitLatch, kNest };

// The body of a task of `kind`, all but kNest (the caller's): fails with
// "fail <id>", throws "throw <id>" (recording the failure and leaving the
// tally first, since the throw skips the caller's Exit; without exceptions,
// succeeds), waits for the context, or waits for latch `id % kCount`.
inline absl::Status RunKind(Kind kind, int id, const Context& ctx, Tally& tally,
                            Latches& latches) {
  switch (kind) {
    case Kind::kFail:
      return absl::InternalError(absl::StrCat("fail ", id));
    case Kind::kThrow:
#ifdef ABSL_HAVE_EXCEPTIONS
      tally.Fail(absl::StrCat("throw ", id));
      tally.Exit();
      throw std::runtime_error(absl::StrCat("throw ", id));
#else
      (void)tally;
      return absl::OkStatus();
#endif
    case Kind::kWaitContext:
      ctx.Wait();
      return absl::OkStatus();
    case Kind::kWaitLatch:
      latches.Wait(id % Latches::kCount);
      return absl::OkStatus();
    default:
      return absl::OkStatus();
  }
}

}  // namespace fuzz
}  // namespace xsync

#endif  // XSYNC_FUZZ_HARNESS_H_
