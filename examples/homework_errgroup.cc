// Copyright 2026 The xsync Authors.
//
// Exercise 18, homework_errgroup: the lesson's homework answered the way a
// student could, from the parts its source walk-through names — a
// WaitGroup, a once for the first error, and a cancel function — plus the
// explicit Cancel() the homework asks for; then the same job with the
// library's errgroup::Group.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "思考题" (write an
//   ErrGroup that can cancel its subtasks); 001_df6855eb6a95c12a.txt,
//   "源码" (Group = WaitGroup + errOnce + cancel).
//
// The Go shape being mirrored:
//
//   type Group struct {
//       cancel  func()
//       wg      sync.WaitGroup
//       errOnce sync.Once
//       err     error
//   }
//   func (g *Group) Cancel() { g.cancel() }   // the homework's addition
//
// Differences from the library: one OS thread per task (as `go` is one
// goroutine per call), no limit, no exceptions handling, no reuse. The
// library's group does all of that and cancels the same way, so the
// answer's behaviour and the library's match below.
//
//   ./tools/bazel run //examples:homework_errgroup

#include <functional>
#include <iostream>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errgroup.h"

// The student's answer.
class CancellableGroup {
 public:
  explicit CancellableGroup(const xsync::Context& parent) {
    auto [ctx, cancel] = xsync::WithCancelCause(parent);
    ctx_ = ctx;
    cancel_ = cancel;
  }
  ~CancellableGroup() { (void)Wait(); }

  // Like errgroup's Go: a thread per task; the first error cancels.
  void Go(std::function<absl::Status(const xsync::Context&)> f) {
    threads_.emplace_back([this, f = std::move(f)] {
      absl::Status status = f(ctx_);
      if (!status.ok()) {
        std::call_once(err_once_, [&] {
          err_ = status;
          cancel_(status);
        });
      }
    });
  }

  // The homework: cancel every subtask from outside.
  void Cancel() { cancel_(absl::CancelledError("cancelled by Cancel()")); }

  // Joins every thread (the WaitGroup), then returns the first error.
  absl::Status Wait() {
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    cancel_(absl::OkStatus());  // As errgroup: Wait ends the context.
    return err_;
  }

 private:
  xsync::Context ctx_;
  xsync::CancelCauseFunc cancel_;
  std::once_flag err_once_;
  absl::Status err_;  // Written once (call_once), read after the joins.
  std::vector<std::thread> threads_;
};

struct HomeworkReport {
  absl::Duration answer_cancel_took;  // Cancel() to Wait() returning.
  absl::Status answer_first_error;
  absl::Status library_first_error;
  absl::Duration library_took;
};

// A subtask that would take a minute unless its context ends.
absl::Status LongTask(const xsync::Context& ctx) {
  if (ctx.WaitFor(absl::Minutes(1))) return ctx.Err();
  return absl::OkStatus();
}

absl::Status Failing(const xsync::Context&) {
  return absl::InternalError("subtask 2 failed");
}

HomeworkReport RunHomework(std::ostream& out) {
  HomeworkReport report;
  const xsync::Context root = xsync::Context::Background();
  {
    // The homework: Cancel() stops running subtasks.
    CancellableGroup g(root);
    g.Go(LongTask);
    g.Go(LongTask);
    const absl::Time start = absl::Now();
    g.Cancel();
    (void)g.Wait();
    report.answer_cancel_took = absl::Now() - start;
    out << "answer: Cancel() stopped two one-minute subtasks in "
        << report.answer_cancel_took << "\n";
  }
  {
    // And the first error cancels the rest.
    CancellableGroup g(root);
    g.Go(LongTask);
    g.Go(Failing);
    report.answer_first_error = g.Wait();
    out << "answer: first error " << report.answer_first_error << "\n";
  }
  {
    // The library's group, with the same tasks.
    const absl::Time start = absl::Now();
    xsync::errgroup::Group g(root);
    g.Go(LongTask);
    g.Go(Failing);
    report.library_first_error = g.Wait();
    report.library_took = absl::Now() - start;
    out << "library: first error " << report.library_first_error << " in "
        << report.library_took << "\n";
  }
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunHomework(std::cout);
  return 0;
}
#endif
