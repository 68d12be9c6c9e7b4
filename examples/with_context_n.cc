// Copyright 2026 The xsync Authors.
//
// Exercise 17, with_context_n: neilotoole/errgroup's WithContextN — a number
// of workers and a bounded queue; Go blocks while the queue is full.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "扩展库" >
//   "neilotoole/errgroup" (WithContextN(ctx, numG, qSize): when the queue is
//   full, Go blocks until the task fits).
//
// Two workers, a queue of two: the first two tasks run (they wait for a
// latch here), the next two are queued, and the fifth Go blocks until a
// worker frees up. Non-positive sizes mean the number of CPUs, as in the Go
// original.
//
//   ./tools/bazel run //examples:with_context_n

#include <atomic>
#include <iostream>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errgroup.h"

struct WithContextNReport {
  bool fifth_go_blocked = false;  // Still in Go while the workers were busy.
  int ran = 0;                    // Tasks that ran, of 5.
};

WithContextNReport RunWithContextN(std::ostream& out) {
  WithContextNReport report;
  auto [g, ctx] = xsync::errgroup::WithContextN(xsync::Context::Background(),
                                                /*num_workers=*/2,
                                                /*queue_size=*/2);
  absl::Notification release;
  std::atomic<int> ran{0};
  auto task = [&](const xsync::Context&) {
    release.WaitForNotification();
    ran.fetch_add(1);
    return absl::OkStatus();
  };
  for (int i = 0; i < 4; ++i) g->Go(task);  // 2 running, 2 queued.
  out << "4 tasks in: 2 running, 2 queued\n";

  absl::Notification fifth_returned;
  std::thread submitter([&] {
    g->Go(task);  // The queue is full: blocks.
    fifth_returned.Notify();
  });
  // Time is the subject: the fifth Go must still be blocked a while later.
  report.fifth_go_blocked =
      !fifth_returned.WaitForNotificationWithTimeout(absl::Milliseconds(100));
  out << "the fifth Go " << (report.fifth_go_blocked ? "blocks" : "returned")
      << " while the queue is full\n";
  release.Notify();  // The workers finish; the fifth task gets a place.
  submitter.join();
  (void)g->Wait();
  report.ran = ran.load();
  out << report.ran << " of 5 tasks ran\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunWithContextN(std::cout);
  return 0;
}
#endif
