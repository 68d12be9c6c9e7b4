// Copyright 2026 The xsync Authors.
//
// Fuzzes schedgroup::Group on a simulated clock against a model of
// schedgroup.h. A program schedules tasks up to 20 ms ahead (some in the
// past, some with a handle), cancels handles, advances the clock, cancels
// the context, and ends with Wait (after advancing past every task, or with
// the context cancelled) or by destroying the group; on the real executor
// or a StepExecutor it steps.
//
// Checked: a task never runs before its time, and at most once; a handle
// cancelled while its time is still ahead returns true and its task never
// runs; every task neither cancelled nor cut off by the context runs
// exactly once; Wait is OK, or the context's error if the context was done
// before it returned with tasks pending, or before it began (as Go); a
// second Wait and a Delay after Wait are FailedPrecondition (a Delay on a
// done context returns its error first).

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "fuzz/check.h"
#include "fuzz/harness.h"
#include "xsync/context/context.h"
#include "xsync/internal/timer_heap.h"
#include "xsync/schedgroup/schedgroup.h"

namespace xsync {
namespace fuzz {
namespace {

constexpr int kMaxTasks = 48;

struct Entry {
  absl::Time when;
  bool has_handle;
  schedgroup::TaskHandle handle;
  bool never_runs = false;  // Cancelled by its handle, or refused.
};

class Model {
 public:
  explicit Model(Program& program)
      : program_(program), timers_(clock_), tally_(kMaxTasks) {
    entries_.reserve(kMaxTasks);
  }

  void Run() {
    stepped_ = program_.Bit();
    auto [ctx, cancel] = WithCancel(Context::Background());
    cancel_ = cancel;
    group_ = std::make_unique<schedgroup::Group>(
        ctx, stepped_ ? &executor_ : nullptr, &timers_);
    while (!program_.done() && static_cast<int>(entries_.size()) < kMaxTasks) {
      switch (program_.Below(6)) {
        case 0:
        case 1:
          Schedule();
          break;
        case 2:
          CancelHandle();
          break;
        case 3:
          Advance(absl::Milliseconds(program_.Below(8)));
          break;
        case 4:
          if (stepped_) {
            executor_.RunOne(program_.Byte());
          } else {
            XSYNC_FUZZ_TRACE("cancel the context\n");
            cancel_();
            cancelled_ = true;
          }
          break;
        default:
          Finish(program_.Bit());
          return;
      }
    }
    Finish(program_.Bit());
  }

 private:
  void Schedule() {
    const int id = static_cast<int>(entries_.size());
    // -2..20 ms from now: a past time runs at once.
    const absl::Time when =
        clock_.Now() + absl::Milliseconds(program_.Between(-2, 20));
    const bool with_handle = program_.Bit();
    entries_.push_back(Entry{when, with_handle, {}, false});
    Entry& entry = entries_.back();
    XSYNC_FUZZ_TRACE(
        "schedule %d at +%lld ms\n", id,
        static_cast<long long>(absl::ToInt64Milliseconds(when - clock_.Now())));
    auto task = [this, id, when] {
      tally_.Enter(id);
      XSYNC_FUZZ_CHECK(clock_.Now() >= when, "a task ran early");
      tally_.Exit();
    };
    const absl::Status status =
        group_->Schedule(when, task, with_handle ? &entry.handle : nullptr);
    if (cancelled_) {
      XSYNC_FUZZ_CHECK(absl::IsCancelled(status),
                       "scheduling on a done context: " + status.ToString());
      entry.never_runs = true;
    } else {
      XSYNC_FUZZ_CHECK(status.ok(), "Schedule: " + status.ToString());
    }
  }

  void CancelHandle() {
    if (entries_.empty()) return;
    const int id = program_.Below(static_cast<int>(entries_.size()));
    Entry& entry = entries_[id];
    const bool ahead = entry.when > clock_.Now();
    const bool pending =
        ahead && !entry.never_runs && !cancelled_ && entry.has_handle;
    const bool cancelled = entry.handle.Cancel();
    XSYNC_FUZZ_TRACE("cancel handle %d: %d\n", id, cancelled);
    if (cancelled) {
      XSYNC_FUZZ_CHECK(entry.has_handle && !entry.never_runs,
                       "only a pending task's handle cancels, once");
      entry.never_runs = true;
    }
    if (pending) {
      XSYNC_FUZZ_CHECK(cancelled, "a pending task's handle cancels it");
    }
  }

  void Advance(absl::Duration by) {
    XSYNC_FUZZ_TRACE("advance %lld ms\n",
                     static_cast<long long>(absl::ToInt64Milliseconds(by)));
    clock_.Advance(by);
  }

  void Finish(bool wait) {
    if (!wait) {
      XSYNC_FUZZ_TRACE("destroy\n");
      group_.reset();  // Cancels pending tasks, waits for running ones.
      if (stepped_) executor_.RunAll();
      CheckRuns(/*all_due=*/false);
      return;
    }
    // Wait returns only once every task ran or the context ended: move the
    // clock past them all, or end the context.
    const bool end_context = program_.Bit();
    if (end_context) {
      cancel_();
      cancelled_ = true;
    } else {
      Advance(absl::Milliseconds(25));
    }
    XSYNC_FUZZ_TRACE("Wait\n");
    const absl::Status status = group_->Wait();
    if (cancelled_) {
      // Done before Wait began: the context's error, as Go.
      XSYNC_FUZZ_CHECK(absl::IsCancelled(status), "Wait: " + status.ToString());
    } else {
      XSYNC_FUZZ_CHECK(status.ok(), "Wait: " + status.ToString());
    }
    XSYNC_FUZZ_CHECK(absl::IsFailedPrecondition(group_->Wait()),
                     "a second Wait");
    // A done context's error comes first.
    const absl::Status late = group_->Delay(absl::ZeroDuration(), [] {});
    XSYNC_FUZZ_CHECK(
        cancelled_ ? absl::IsCancelled(late) : absl::IsFailedPrecondition(late),
        "Delay after Wait: " + late.ToString());
    group_.reset();
    if (stepped_) executor_.RunAll();
    CheckRuns(/*all_due=*/!cancelled_);
  }

  void CheckRuns(bool all_due) {
    for (size_t id = 0; id < entries_.size(); ++id) {
      const Entry& entry = entries_[id];
      const int runs = tally_.runs(static_cast<int>(id));
      XSYNC_FUZZ_CHECK(runs <= 1, "a task ran twice");
      if (entry.never_runs) {
        XSYNC_FUZZ_CHECK(runs == 0,
                         absl::StrCat("cancelled task ", id, " ran"));
      } else if (all_due) {
        XSYNC_FUZZ_CHECK(runs == 1, absl::StrCat("task ", id, " never ran"));
      }
    }
  }

  Program& program_;
  internal::SimulatedClock clock_;
  internal::TimerHeap timers_;
  Tally tally_;
  StepExecutor executor_;
  std::vector<Entry> entries_;  // Reserved: handles keep their addresses.
  std::unique_ptr<schedgroup::Group> group_;
  CancelFunc cancel_;
  bool stepped_ = false;
  bool cancelled_ = false;
};

}  // namespace
}  // namespace fuzz
}  // namespace xsync

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xsync::fuzz::Program program(data, size);
  xsync::fuzz::Model(program).Run();
  return 0;
}
