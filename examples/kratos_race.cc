// Copyright 2026 The xsync Authors.
//
// Exercise 8, kratos_race: the bug the lesson shows in bilibili's kratos
// errgroup, fixed.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "扩展库" >
//   "bilibili/errgroup" (and its race).
//
// kratos queued tasks beyond its worker limit and started them only when Wait
// was called; concurrent Go calls raced on its queue. The lesson's test: one
// worker (GOMAXPROCS(1)), a blocker task that holds it for 1 s (100 ms
// here), then 10,000 concurrent Go calls (here from 8 threads); kratos lost
// some and could hang in Wait. Here all 10,001 run, and they start as the
// slot frees — before Wait is called.
//
//   ./tools/bazel run //examples:kratos_race

#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "xsync/errgroup/errgroup.h"

struct KratosReport {
  int ran = 0;
  int ran_before_wait = 0;
};

KratosReport RunKratosRace(std::ostream& out) {
  constexpr int kThreads = 8;
  constexpr int kTasks = 10000;
  xsync::errgroup::Group g(xsync::Context::Background(),
                           {/*limit=*/1, xsync::errgroup::kUnbounded,
                            /*executor=*/nullptr});
  std::atomic<int> ran{0};
  absl::BlockingCounter all_ran(kTasks + 1);
  g.Go([&] {  // The lesson's blocker: holds the only worker a while.
    absl::SleepFor(absl::Milliseconds(100));
    all_ran.DecrementCount();
  });
  std::vector<std::thread> submitters;
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([&] {
      for (int i = 0; i < kTasks / kThreads; ++i) {
        g.Go([&] {
          ran.fetch_add(1);
          all_ran.DecrementCount();
        });
      }
    });
  }
  for (auto& s : submitters) s.join();
  all_ran.Wait();  // Every task ran with no Wait in sight.
  KratosReport report;
  report.ran_before_wait = ran.load();
  (void)g.Wait();
  report.ran = ran.load();
  out << report.ran << " tasks ran beside the blocker; "
      << report.ran_before_wait << " of them before Wait was called\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunKratosRace(std::cout);
  return 0;
}
#endif
