// Copyright 2026 The xsync Authors.
//
// Exercise 10, sized_group: 1,000 tasks of 5 ms with at most 10 running.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "其它实用的Group并发原语"
// >
//   "SizedGroup/ErrSizedGroup".
//
// Pattern: go-pkgz's SizedGroup. By default Go never blocks — tasks beyond
// the size wait in a queue, holding no thread. With Preemptive, Go blocks
// until a slot frees, which throttles the producer instead. Either way at
// most 10 run at once, so 1,000 x 5 ms takes about 500 ms. Watch out: with
// the default, the queue can grow without bound if you produce faster than
// you consume; Preemptive applies back-pressure.
//
//   ./tools/bazel run //examples:sized_group

#include <atomic>
#include <iostream>

#include "absl/time/clock.h"
#include "xsync/sizedgroup/sizedgroup.h"

struct SizedReport {
  int ran = 0;
  int peak = 0;
  absl::Duration submit_time;  // How long the Go loop took.
  absl::Duration total_time;
};

SizedReport RunSizedGroup(std::ostream& out, bool preemptive, int tasks,
                          absl::Duration task_time) {
  std::atomic<int> active{0}, peak{0}, ran{0};
  const absl::Time start = absl::Now();
  SizedReport report;
  {
    auto body = [&] {
      const int now = active.fetch_add(1) + 1;
      int p = peak.load();
      while (now > p && !peak.compare_exchange_weak(p, now)) {
      }
      absl::SleepFor(task_time);  // The simulated work.
      active.fetch_sub(1);
      ran.fetch_add(1);
    };
    auto run = [&](xsync::SizedGroup& g) {
      for (int i = 0; i < tasks; ++i) g.Go(body);
      report.submit_time = absl::Now() - start;
      (void)g.Wait();
    };
    if (preemptive) {
      xsync::SizedGroup g(10, xsync::Preemptive());
      run(g);
    } else {
      xsync::SizedGroup g(10);
      run(g);
    }
  }
  report.total_time = absl::Now() - start;
  report.ran = ran.load();
  report.peak = peak.load();
  out << (preemptive ? "Preemptive" : "default   ") << ": " << report.ran
      << " tasks, at most " << report.peak << " at once, Go loop took "
      << report.submit_time << ", all done in " << report.total_time << "\n";
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunSizedGroup(std::cout, false, 1000, absl::Milliseconds(5));
  RunSizedGroup(std::cout, true, 1000, absl::Milliseconds(5));
  return 0;
}
#endif
