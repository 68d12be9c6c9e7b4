// Copyright 2026 The xsync Authors.
//
// Fuzzes the context tree against a model of context.h: a program builds up
// to 48 contexts (WithCancel, WithCancelCause, WithDeadline in the past or
// the far future, WithValue, WithoutCancel), cancels them with causes, arms
// AfterFunc callbacks (inline, so they run within the cancel) and stops
// them, and after every step checks each context's Done, Err, Cause,
// Deadline and values, and each callback's run count, against the model.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "fuzz/check.h"
#include "xsync/context/context.h"
#include "xsync/executor/executor.h"

namespace xsync {
namespace fuzz {
namespace {

const ContextKey<int> kKeys[2] = {ContextKey<int>("a"), ContextKey<int>("b")};

struct Node {
  Context ctx;
  absl::AnyInvocable<void(absl::Status)> cancel;  // Empty: not cancellable.
  bool takes_cause = false;                       // WithCancelCause.
  int parent = -1;
  bool detached = false;  // WithoutCancel: cuts cancellation, not values.
  // The model.
  bool done = false;
  absl::Status err;
  absl::Status cause;
  std::optional<absl::Time> deadline;
  int value_key = -1;  // WithValue's key index, and its value.
  int value = 0;
};

struct Callback {
  int node;
  AfterFuncHandle handle;
  int runs = 0;  // Set by the callback itself.
  bool stopped = false;
};

class Model {
 public:
  explicit Model(Program& program) : program_(program) {
    nodes_.push_back(Node{});
    callbacks_.reserve(kMaxCallbacks);
  }

  void Run() {
    while (!program_.done()) {
      Step();
      CheckAll();
    }
  }

 private:
  static constexpr int kMaxNodes = 48;
  static constexpr int kMaxCallbacks = 32;

  int AnyNode() { return program_.Below(static_cast<int>(nodes_.size())); }

  void Step() {
    switch (program_.Below(8)) {
      case 0:
        Derive(/*with_cause=*/false);
        break;
      case 1:
        Derive(/*with_cause=*/true);
        break;
      case 2:
        DeriveWithDeadline();
        break;
      case 3:
        DeriveWithValue();
        break;
      case 4:
        DeriveWithoutCancel();
        break;
      case 5:
        Cancel(AnyNode());
        break;
      case 6:
        ArmCallback();
        break;
      case 7:
        StopCallback();
        break;
    }
  }

  // A child of `parent` as the model sees it at birth.
  Node Child(int parent) {
    Node child;
    child.parent = parent;
    const Node& p = nodes_[parent];
    child.done = p.done;
    child.err = p.err;
    child.cause = p.cause;
    child.deadline = p.deadline;
    return child;
  }

  void Derive(bool with_cause) {
    if (nodes_.size() >= kMaxNodes) return;
    const int parent = AnyNode();
    Node child = Child(parent);
    if (with_cause) {
      auto [ctx, cancel] = WithCancelCause(nodes_[parent].ctx);
      child.ctx = ctx;
      child.cancel = [cancel = cancel](absl::Status c) { cancel(c); };
      child.takes_cause = true;
    } else {
      auto [ctx, cancel] = WithCancel(nodes_[parent].ctx);
      child.ctx = ctx;
      child.cancel = [cancel = cancel](absl::Status) { cancel(); };
    }
    nodes_.push_back(std::move(child));
  }

  void DeriveWithDeadline() {
    if (nodes_.size() >= kMaxNodes) return;
    const int parent = AnyNode();
    Node child = Child(parent);
    // The past (done at once) or a far future that never comes in a run.
    const bool past = program_.Bit();
    const absl::Time when =
        past ? absl::Now() - absl::Seconds(program_.Between(0, 100))
             : absl::Now() + absl::Hours(program_.Between(1, 100));
    auto [ctx, cancel] = WithDeadline(nodes_[parent].ctx, when);
    child.ctx = ctx;
    child.cancel = [cancel = cancel](absl::Status) { cancel(); };
    if (!child.deadline.has_value() || when < *child.deadline) {
      child.deadline = when;
    }
    nodes_.push_back(std::move(child));
    if (past) {
      MarkDone(static_cast<int>(nodes_.size()) - 1,
               absl::DeadlineExceededError("context deadline exceeded"),
               absl::OkStatus());
    }
  }

  void DeriveWithValue() {
    if (nodes_.size() >= kMaxNodes) return;
    const int parent = AnyNode();
    Node child = Child(parent);
    child.value_key = program_.Below(2);
    child.value = program_.Byte();
    child.ctx =
        WithValue(nodes_[parent].ctx, kKeys[child.value_key], child.value);
    nodes_.push_back(std::move(child));
  }

  void DeriveWithoutCancel() {
    if (nodes_.size() >= kMaxNodes) return;
    const int parent = AnyNode();
    Node child;
    child.parent = parent;
    child.detached = true;
    child.ctx = WithoutCancel(nodes_[parent].ctx);
    nodes_.push_back(std::move(child));
  }

  // Cancels `index` (if it has a cancel function), with one of a few causes.
  void Cancel(int index) {
    Node& node = nodes_[index];
    if (!node.cancel) return;
    absl::Status cause;
    switch (program_.Below(3)) {
      case 0:
        break;  // No cause (or an OK one, which counts as none).
      case 1:
        cause = absl::AbortedError("fuzz abort");
        break;
      case 2:
        cause = absl::InternalError(absl::StrCat("cause ", index));
        break;
    }
    if (!node.takes_cause) cause = absl::OkStatus();
    node.cancel(cause);
    MarkDone(index, absl::CancelledError("context canceled"), cause);
  }

  // Marks `index` done (if it is not yet) with `err` and `cause` (OK: none),
  // then every descendant not cut off by WithoutCancel, in tree order.
  void MarkDone(int index, absl::Status err, absl::Status cause) {
    Node& node = nodes_[index];
    if (node.done) return;
    node.done = true;
    node.err = err;
    node.cause = cause.ok() ? err : cause;
    for (size_t i = index + 1; i < nodes_.size(); ++i) {
      Node& child = nodes_[i];
      if (child.parent == index && !child.detached) {
        MarkDone(static_cast<int>(i), node.err, node.cause);
      }
    }
    for (Callback& callback : callbacks_) {
      if (callback.node == index && !callback.stopped) ++expected_runs_;
    }
  }

  void ArmCallback() {
    if (callbacks_.size() >= kMaxCallbacks) return;
    const int index = AnyNode();
    callbacks_.push_back(Callback{index, AfterFuncHandle(), 0, false});
    Callback& callback = callbacks_.back();
    callback.handle = AfterFunc(
        nodes_[index].ctx, [&callback] { ++callback.runs; },
        &InlineExecutorInstance());
    if (nodes_[index].done) ++expected_runs_;
  }

  void StopCallback() {
    if (callbacks_.empty()) return;
    Callback& callback =
        callbacks_[program_.Below(static_cast<int>(callbacks_.size()))];
    const bool had_run = callback.runs > 0;
    const bool was_stopped = callback.stopped;
    const bool stopped = callback.handle.Stop();
    XSYNC_FUZZ_CHECK(stopped == (!had_run && !was_stopped),
                     "Stop is true iff it prevented the run");
    callback.stopped = callback.stopped || stopped;
  }

  void CheckAll() {
    for (size_t i = 0; i < nodes_.size(); ++i) CheckNode(static_cast<int>(i));
    int runs = 0;
    for (const Callback& callback : callbacks_) {
      XSYNC_FUZZ_CHECK(callback.runs <= 1, "an AfterFunc runs at most once");
      XSYNC_FUZZ_CHECK(callback.runs == 0 || !callback.stopped,
                       "a stopped AfterFunc never runs");
      XSYNC_FUZZ_CHECK(
          callback.runs == (nodes_[callback.node].done && !callback.stopped),
          absl::StrCat("AfterFunc on node ", callback.node,
                       " runs iff done and not stopped"));
      runs += callback.runs;
    }
    XSYNC_FUZZ_CHECK(runs == expected_runs_, "AfterFunc run count");
  }

  void CheckNode(int index) {
    const Node& node = nodes_[index];
    const std::string where = absl::StrCat("node ", index);
    XSYNC_FUZZ_CHECK(node.ctx.Done() == node.done, where);
    XSYNC_FUZZ_CHECK(node.ctx.Err() == node.err, where);
    XSYNC_FUZZ_CHECK(node.ctx.Cause() == node.cause, where);
    XSYNC_FUZZ_CHECK(node.ctx.Deadline() == node.deadline, where);
    XSYNC_FUZZ_CHECK(node.ctx.WaitFor(absl::ZeroDuration()) == node.done,
                     where);
    for (int key = 0; key < 2; ++key) {
      const int* value = node.ctx.Value(kKeys[key]);
      const int expected = ExpectedValue(index, key);
      XSYNC_FUZZ_CHECK((value == nullptr) == (expected < 0), where);
      if (value != nullptr) XSYNC_FUZZ_CHECK(*value == expected, where);
    }
  }

  // The nearest WithValue for `key` on the path to the root, or -1.
  int ExpectedValue(int index, int key) const {
    for (int i = index; i >= 0; i = nodes_[i].parent) {
      if (nodes_[i].value_key == key) return nodes_[i].value;
    }
    return -1;
  }

  Program& program_;
  std::vector<Node> nodes_;
  std::vector<Callback> callbacks_;  // Reserved: callbacks keep addresses.
  int expected_runs_ = 0;
};

}  // namespace
}  // namespace fuzz
}  // namespace xsync

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xsync::fuzz::Program program(data, size);
  xsync::fuzz::Model(program).Run();
  return 0;
}
