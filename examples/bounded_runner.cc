// Copyright 2026 The xsync Authors.
//
// Exercise 6, bounded_runner: the lesson's run(args, n, doWork) — at most n
// at once, an overall timeout, per-task results, and the first error.
//
// Lesson: ../shared/lessons/001_df6855eb6a95c12a.txt, "补充" (the semaphore +
//   timeout runner).
//
// Pattern: a Semaphore of n tokens bounds the concurrency; each task acquires
// a token (with the group context, so it gives up when the run is cancelled
// or times out), works, releases. The group's context carries the overall
// timeout and is cancelled by the first error. Results go into one slot per
// argument, read only after Wait. Watch out: release the token on every
// path (here: std::lock_guard-style via Acquire/Release around the work).
//
//   ./tools/bazel run //examples:bounded_runner

#include <atomic>
#include <functional>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "xsync/errgroup/errgroup.h"
#include "xsync/sizedgroup/semaphore.h"

struct RunResult {
  std::vector<absl::StatusOr<std::string>> results;  // One per argument.
  absl::Status first_error;
  int peak = 0;
};

using Work = std::function<absl::StatusOr<std::string>(const xsync::Context&,
                                                       const std::string&)>;

RunResult RunBounded(const std::vector<std::string>& args, int n,
                     absl::Duration timeout, const Work& do_work) {
  auto [ctx, cancel] =
      xsync::WithTimeout(xsync::Context::Background(), timeout);
  xsync::errgroup::Group g(ctx);
  xsync::Semaphore tokens(n);
  RunResult out;
  out.results.assign(args.size(), absl::UnknownError("not run"));
  std::atomic<int> active{0}, peak{0};
  for (size_t i = 0; i < args.size(); ++i) {
    g.Go([&, i](const xsync::Context& task_ctx) -> absl::Status {
      if (absl::Status s = tokens.Acquire(task_ctx); !s.ok()) {
        out.results[i] = s;
        return s;
      }
      const int now = active.fetch_add(1) + 1;
      int p = peak.load();
      while (now > p && !peak.compare_exchange_weak(p, now)) {
      }
      out.results[i] = do_work(task_ctx, args[i]);
      active.fetch_sub(1);
      (void)tokens.Release();
      return out.results[i].status();
    });
  }
  out.first_error = g.Wait();
  out.peak = peak.load();
  return out;
}

// The lesson's own scenario, its times scaled by 1/100: 20 arguments, 5 at a
// time, each task 3 s (30 ms), task 10 failing with "test error", an overall
// timeout of 6 s (60 ms). Task 10 starts about when the timeout strikes, so
// either may end the run first — in Go as here. Where the Go run() differs:
// on ctx.Done() its task returns nil, swallowing the timeout, and leaves its
// doWork goroutine blocked for ever on an unbuffered send (a leak); here
// each slot says how its task ended, and Wait returns only after every
// task has.
RunResult RunLessonScenario(std::ostream& out) {
  std::vector<std::string> args;
  for (int i = 0; i < 20; ++i) args.push_back("arg:" + std::to_string(i));
  RunResult r =
      RunBounded(args, 5, absl::Milliseconds(60),
                 [](const xsync::Context& ctx,
                    const std::string& arg) -> absl::StatusOr<std::string> {
                   if (arg == "arg:10") return absl::UnknownError("test error");
                   if (ctx.WaitFor(absl::Milliseconds(30))) return ctx.Err();
                   return "result-" + arg;
                 });
  for (size_t i = 0; i < args.size(); ++i) {
    out << args[i] << ": "
        << (r.results[i].ok() ? *r.results[i]
                              : r.results[i].status().ToString())
        << "\n";
  }
  out << "at most " << r.peak << " at once; catch error: " << r.first_error
      << "\n";
  return r;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunLessonScenario(std::cout);
  return 0;
}
#endif
