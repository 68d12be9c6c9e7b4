// Copyright 2026 The xsync Authors.
//
// Exercise 14, context_after_wait: two warnings from the lesson about the
// context errgroup.WithContext returns.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "基本用法" >
//   "1.WithContext": the returned context is cancelled once a task fails or
//   Wait returns; and cancelling the parent does not stop a running task.
//
// 1. The group's context is dead after Wait: a follow-up call made with it
//    fails at once (here: "context canceled"). Use the parent for work after
//    Wait.
// 2. Cancelling the parent only cancels the context: a task that never looks
//    at it runs to the end; one that checks it stops early.
//
//   ./tools/bazel run //examples:context_after_wait

#include <atomic>
#include <iostream>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errgroup.h"

struct ContextAfterWaitReport {
  absl::Status follow_up_with_group_ctx;  // Cancelled: the context is dead.
  absl::Status follow_up_with_parent;     // OK.
  bool oblivious_task_finished = false;   // Ran to the end anyway.
  absl::Status checking_task;             // Stopped with the context's error.
};

// A downstream call that honours its context: it takes `latency` unless the
// context ends first.
absl::Status Call(const xsync::Context& ctx, absl::Duration latency) {
  if (ctx.WaitFor(latency)) return ctx.Err();
  return absl::OkStatus();
}

ContextAfterWaitReport RunContextAfterWait(std::ostream& out) {
  ContextAfterWaitReport report;
  const xsync::Context parent = xsync::Context::Background();

  // 1. After Wait.
  auto [g, ctx] = xsync::errgroup::WithContext(parent);
  g->Go([](const xsync::Context& ctx) {
    return Call(ctx, absl::Milliseconds(1));
  });
  out << "Wait: " << g->Wait() << "\n";
  report.follow_up_with_group_ctx = Call(ctx, absl::Milliseconds(20));
  report.follow_up_with_parent = Call(parent, absl::Milliseconds(20));
  out << "after Wait, a call with the group's context: "
      << report.follow_up_with_group_ctx << "\n"
      << "after Wait, a call with the parent: " << report.follow_up_with_parent
      << "\n";

  // 2. Cancelling the parent while tasks run.
  auto [cancellable, cancel] = xsync::WithCancel(parent);
  xsync::errgroup::Group group(cancellable);
  absl::Notification both_started;
  std::atomic<int> started{0};
  auto arrive = [&] {
    if (started.fetch_add(1) == 1) both_started.Notify();
  };
  group.Go([&](const xsync::Context&) {
    arrive();
    absl::SleepFor(absl::Milliseconds(50));  // Never looks at its context.
    report.oblivious_task_finished = true;
    return absl::OkStatus();
  });
  group.Go([&](const xsync::Context& ctx) {
    arrive();
    report.checking_task = Call(ctx, absl::Seconds(10));
    return absl::OkStatus();
  });
  both_started.WaitForNotification();
  cancel();
  (void)group.Wait();
  out << "parent cancelled: the oblivious task "
      << (report.oblivious_task_finished ? "still finished" : "stopped")
      << "; the checking task returned " << report.checking_task << "\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunContextAfterWait(std::cout);
  return 0;
}
#endif
