// Copyright 2026 The xsync Authors.
//
// Fuzzes errgroup::Group against a model of errgroup.h. A program picks the
// group (no context, or a parent with a limit and a queue), the executor
// (the real one, or a StepExecutor the program steps, so the run repeats
// exactly), then submits tasks with Go and TryGo that succeed, fail, throw,
// wait for the group's context or for a latch, or call Go on their own
// group; it changes the limit, releases latches, steps the executor,
// cancels the parent, and ends with Wait or by destroying the group.
//
// Checked: every accepted task runs exactly once; no more tasks run at
// once than the limit; TryGo and SetLimit answer as the model says whenever
// the model knows (always, on the step executor); Wait's error is one of the
// failures, Errors() holds every failure, a throw is rethrown; a second Wait
// gives the same answer.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fuzz/check.h"
#include "fuzz/harness.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errgroup.h"

namespace xsync {
namespace fuzz {
namespace {

constexpr int kMaxTasks = 64;  // Top-level tasks, plus one child each.

class Model {
 public:
  explicit Model(Program& program) : program_(program), tally_(2 * kMaxTasks) {}

  void Run() {
    stepped_ = program_.Bit();
    const bool with_parent = program_.Bit();
    auto [parent, cancel] = WithCancel(Context::Background());
    cancel_parent_ = cancel;
    if (with_parent) {
      errgroup::Options options;
      options.limit = program_.Between(-1, 4);
      const int queue = program_.Below(4);
      options.queue_size = queue == 3 ? errgroup::kUnbounded : queue;
      options.executor = stepped_ ? &executor_ : nullptr;
      limit_ = options.limit;
      queue_ = options.queue_size;
      XSYNC_FUZZ_TRACE("group with parent, limit %d, queue %d, %s\n", limit_,
                       queue_, stepped_ ? "stepped" : "real executor");
      group_ = std::make_unique<errgroup::Group>(parent, options);
      has_context_ = true;
    } else if (!stepped_) {
      group_ = std::make_unique<errgroup::Group>();
    } else {
      errgroup::Options options;
      options.executor = &executor_;
      group_ =
          std::make_unique<errgroup::Group>(Context::Background(), options);
    }
    group_ptr_ = group_.get();
    while (!program_.done() && next_id_ < kMaxTasks) {
      if (!Step()) return;
    }
    Finish(program_.Bit());
  }

 private:
  // One operation; false once the group has ended.
  bool Step() {
    switch (program_.Below(8)) {
      case 0:
      case 1:
        Submit(/*try_only=*/false);
        return true;
      case 2:
        Submit(/*try_only=*/true);
        return true;
      case 3:
        SetLimit(program_.Between(-1, 4));
        return true;
      case 4: {
        const int latch = program_.Below(Latches::kCount);
        XSYNC_FUZZ_TRACE("release latch %d\n", latch);
        latches_.Release(latch);
        return true;
      }
      case 5:
        if (stepped_) executor_.RunOne(program_.Byte());
        return true;
      case 6:
        XSYNC_FUZZ_TRACE("cancel the parent\n");
        cancel_parent_();
        parent_cancelled_ = true;
        return true;
      default:
        Finish(program_.Bit());
        return false;
    }
  }

  Kind PickKind() {
    Kind kind = static_cast<Kind>(program_.Below(6));
#ifndef ABSL_HAVE_EXCEPTIONS
    if (kind == Kind::kThrow) kind = Kind::kFail;
#endif
    // Blocking has no place on the step executor, nor waiting on a context
    // that is never done.
    if (kind == Kind::kWaitLatch && stepped_) kind = Kind::kSucceed;
    if (kind == Kind::kWaitContext && (stepped_ || !has_context_)) {
      kind = Kind::kSucceed;
    }
    return kind;
  }

  // Tasks accepted that have not finished (exact on the step executor).
  int Unfinished() const {
    return accepted_ + spawned_.load() - tally_.finished();
  }

  // Tasks that cannot finish before the program acts: latch waiters whose
  // latch is closed, and context waiters while nothing ends the context.
  // `surely` (for checks): no failing task was even accepted, so none can
  // end them behind the model's back. Otherwise (to avoid hangs): no
  // failure has happened yet, since an accepted one may be stuck in the
  // queue behind the waiters.
  int Pinned(bool surely = true) const {
    int pinned = 0;
    for (int latch : latch_waiters_) pinned += !latches_.released(latch);
    const bool context_stays =
        !parent_cancelled_ &&
        (surely ? !failure_accepted_ : tally_.failures().empty());
    if (context_stays) pinned += context_waiters_;
    return pinned;
  }

  // True if a slot is surely free now / surely none is, as far as the model
  // can tell.
  bool SurelyFull() const {
    if (limit_ < 0) return false;
    return stepped_ ? Unfinished() >= limit_ : Pinned() >= limit_;
  }

  void Submit(bool try_only) {
    const Kind kind = PickKind();
    const int id = next_id_++;
    XSYNC_FUZZ_TRACE("%s task %d kind %d\n", try_only ? "TryGo" : "Go", id,
                     static_cast<int>(kind));
    // Go would block for ever: every slot and the queue held by tasks only
    // the program can end (or, stepped, by tasks only Wait would run).
    const int room = queue_ == errgroup::kUnbounded ? 1 << 20 : queue_;
    // Once pinned tasks hold every slot (with limit 0: always), queued ones
    // are stuck behind them too.
    const bool slots_pinned = limit_ >= 0 && Pinned(false) >= limit_;
    const int stuck = stepped_ || slots_pinned ? Unfinished() : Pinned(false);
    const bool go_would_hang = limit_ >= 0 && stuck >= limit_ + room;
    if (try_only || go_would_hang) {
      const bool surely_full = SurelyFull();
      const bool surely_free = stepped_ && !surely_full;
      const bool accepted = group_->TryGo(Task(kind, id));
      if (surely_full) XSYNC_FUZZ_CHECK(!accepted, "TryGo on a full group");
      if (surely_free) XSYNC_FUZZ_CHECK(accepted, "TryGo with a free slot");
      if (accepted) Accept(kind, id);
      return;
    }
    Accept(kind, id);  // Before Go: a stepped task may run inside it.
    group_->Go(Task(kind, id));
  }

  void Accept(Kind kind, int id) {
    ++accepted_;
    if (kind == Kind::kFail || kind == Kind::kThrow) failure_accepted_ = true;
    if (kind == Kind::kWaitLatch)
      latch_waiters_.push_back(id % Latches::kCount);
    if (kind == Kind::kWaitContext) ++context_waiters_;
    accepted_ids_.push_back(id);
    if (kind == Kind::kNest) accepted_ids_.push_back(kMaxTasks + id);
  }

  absl::AnyInvocable<absl::Status(const Context&)> Task(Kind kind, int id) {
    return [this, kind, id](const Context& ctx) {
      return tally_.Run(id, [&] { return RunBody(kind, id, ctx); });
    };
  }

  absl::Status RunBody(Kind kind, int id, const Context& ctx) {
    if (kind != Kind::kNest) return RunKind(kind, id, ctx, tally_, latches_);
    // The own-group rule: this never blocks, even on a full group.
    spawned_.fetch_add(1);
    // (group_ may be resetting: the raw pointer stays valid until the
    // destructor, which waits for this task, returns.)
    group_ptr_->Go([this, child = kMaxTasks + id] {
      tally_.Enter(child);
      tally_.Exit();
    });
    return absl::OkStatus();
  }

  // Tasks admitted to a slot (not queued), exact on the step executor.
  int Active() const {
    return limit_ < 0 ? Unfinished() : std::min(Unfinished(), limit_);
  }

  void SetLimit(int n) {
    XSYNC_FUZZ_TRACE("SetLimit(%d), pinned %d\n", n, Pinned());
    // Queued tasks are not active; a pinned one may still be queued.
    const bool surely_busy =
        stepped_ ? Active() > 0 : (limit_ < 0 && Pinned() > 0);
    const bool surely_idle = stepped_ && Active() == 0;
    CheckPeak();  // Queued tasks may start under the new limit at once.
    const absl::Status status = group_->SetLimit(n);
    if (surely_busy) {
      XSYNC_FUZZ_CHECK(absl::IsFailedPrecondition(status),
                       "SetLimit with a task active");
    }
    if (surely_idle) XSYNC_FUZZ_CHECK(status.ok(), "SetLimit when idle");
    if (status.ok()) {
      limit_ = n < 0 ? -1 : n;
      tally_.ResetPeak();
    }
  }

  void CheckPeak() {
    if (limit_ >= 0) {
      XSYNC_FUZZ_CHECK(
          tally_.peak() <= limit_,
          absl::StrCat("peak ", tally_.peak(), " > limit ", limit_));
    }
  }

  // Ends the group: Wait (twice), or destruction without Wait.
  void Finish(bool wait) {
    latches_.ReleaseAll();
    if (context_waiters_ > 0) cancel_parent_();
    // A limit of 0 is a closed gate: tasks queued behind it start only once
    // it opens (as in Go, where Go itself would block), so open it.
    if (limit_ == 0) {
      XSYNC_FUZZ_CHECK(group_->SetLimit(-1).ok(), "opening a closed gate");
      limit_ = -1;
    }
    if (!wait) {
      group_.reset();                    // Cancels, waits, never throws.
      if (stepped_) executor_.RunAll();  // Helpers it left behind.
      CheckRuns();
      return;
    }
    const std::optional<std::string> first = WaitOnce();
    XSYNC_FUZZ_CHECK(WaitOnce() == first, "a second Wait answers the same");
    CheckRuns();
    CheckPeak();
    const std::multiset<std::string> failures = tally_.failures();
    if (first.has_value()) {
      bool known = false;
      for (const std::string& f : failures)
        known |= absl::StrContains(*first, f);
      XSYNC_FUZZ_CHECK(known, "Wait's error is a task's: " + *first);
    } else {
      XSYNC_FUZZ_CHECK(failures.empty(), "Wait is OK only without failures");
    }
    const std::vector<absl::Status> errors = group_->Errors();
    XSYNC_FUZZ_CHECK(errors.size() == failures.size(), "Errors() counts all");
    for (const absl::Status& error : errors) {
      bool known = false;
      for (const std::string& f : failures) {
        known |= absl::StrContains(error.message(), f);
      }
      XSYNC_FUZZ_CHECK(known, "Errors() holds only failures");
    }
    group_.reset();
    if (stepped_) executor_.RunAll();
  }

  // Wait's answer: nullopt for OK, else the error's (or exception's) text.
  std::optional<std::string> WaitOnce() {
#ifdef ABSL_HAVE_EXCEPTIONS
    try {
      const absl::Status status = group_->Wait();
      if (status.ok()) return std::nullopt;
      XSYNC_FUZZ_CHECK(!threw_, "an exception takes priority over errors");
      return std::string(status.message());
    } catch (const std::runtime_error& e) {
      threw_ = true;
      return std::string(e.what());
    }
#else
    const absl::Status status = group_->Wait();
    if (status.ok()) return std::nullopt;
    return std::string(status.message());
#endif
  }

  void CheckRuns() {
    const int accepted = accepted_ + spawned_.load();
    XSYNC_FUZZ_CHECK(tally_.finished() == accepted,
                     absl::StrCat(tally_.finished(), " of ", accepted,
                                  " accepted tasks ran"));
    for (int id : accepted_ids_) {
      XSYNC_FUZZ_CHECK(tally_.runs(id) == 1, "every accepted task runs once");
    }
  }

  Program& program_;
  Tally tally_;
  Latches latches_;
  StepExecutor executor_;  // Outlives the group.
  std::unique_ptr<errgroup::Group> group_;
  errgroup::Group* group_ptr_ = nullptr;
  CancelFunc cancel_parent_;
  bool stepped_ = false;
  bool has_context_ = false;
  bool parent_cancelled_ = false;
  bool threw_ = false;
  bool failure_accepted_ = false;
  int limit_ = -1;
  int queue_ = 0;
  int next_id_ = 0;
  int accepted_ = 0;             // By the program.
  std::atomic<int> spawned_{0};  // By tasks, on their own group.
  int context_waiters_ = 0;
  std::vector<int> latch_waiters_;
  std::vector<int> accepted_ids_;
};

}  // namespace
}  // namespace fuzz
}  // namespace xsync

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xsync::fuzz::Program program(data, size);
  xsync::fuzz::Model(program).Run();
  return 0;
}
