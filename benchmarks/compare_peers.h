// Copyright 2026 The xsync Authors.
//
// What //benchmarks:compare needs besides Google Benchmark: busy threads to
// run beside every case (`--load=N`), and the peers that run in processes of
// their own — the Go suite (benchmarks/go/gobench.go, built offline on first
// use) and oneTBB's cases (this binary, re-run as a child under a time
// limit, because TBB's fixed pool deadlocks on the fail-fast fan-out).

#ifndef XSYNC_BENCHMARKS_COMPARE_PEERS_H_
#define XSYNC_BENCHMARKS_COMPARE_PEERS_H_

#include <atomic>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace xsync {
namespace benchmarks {

// One measurement: the time per task (or call) and, for timer cases, the
// firing lateness percentiles; or why there is none.
struct Measurement {
  double ns = NAN;
  double p50_us = NAN;
  double p99_us = NAN;
  std::string error;  // Non-empty: shown instead of the figures.
};

// `threads` threads that spin until the object is destroyed: the busy
// cores beside a case. Zero threads is no load.
class BusyThreads {
 public:
  explicit BusyThreads(int threads);
  ~BusyThreads();
  BusyThreads(const BusyThreads&) = delete;
  BusyThreads& operator=(const BusyThreads&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// The Go peer: builds benchmarks/go/gobench.go once, then runs one case per
// process. If Go or x/sync is missing, or the build fails, every Run returns
// the reason.
class GoSuite {
 public:
  // `source` is gobench.go's path; `min_time_s` is how long each case
  // repeats.
  GoSuite(const std::string& source, double min_time_s);
  ~GoSuite();

  // Runs the Go case `name` with its argument.
  Measurement Run(const std::string& name, int arg) const;

  // Empty if the suite was built; else why not.
  const std::string& error() const { return error_; }

 private:
  std::string dir_;     // A temporary folder holding the binary and cache.
  std::string binary_;  // Empty if not built.
  std::string error_;
  double min_time_s_;
};

// Runs `command` with a time limit and parses the one result line it
// prints ("ns=.. p50_us=.. p99_us=.."). A command that outlives the limit
// is killed and reported as "deadlock (> N s)".
Measurement RunChild(const std::string& command, int limit_s);

// Parses a result line: "ns=<x> p50_us=<x> p99_us=<x>" (negative lateness
// means none), or "error=<why>".
Measurement ParseResultLine(const std::string& line);

// Formats a Measurement as the line ParseResultLine reads.
std::string FormatResultLine(const Measurement& m);

}  // namespace benchmarks
}  // namespace xsync

#endif  // XSYNC_BENCHMARKS_COMPARE_PEERS_H_
