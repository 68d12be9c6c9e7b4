// Copyright 2026 The xsync Authors.
//
// Exercise 3, parallel_fetch: what the plain (parallel_fetch.cc) and the
// coroutine (parallel_fetch_coro.cc) versions share: the simulated
// services, the report of a run, and how it is printed.

#ifndef XSYNC_EXAMPLES_PARALLEL_FETCH_H_
#define XSYNC_EXAMPLES_PARALLEL_FETCH_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

struct Service {
  std::string name;
  absl::Duration latency;
  bool fails;
};

struct FetchReport {
  absl::Status wait;
  std::map<std::string, std::string> responses;
  std::vector<std::string> cancelled;
  absl::Duration elapsed;
};

inline void PrintFetchReport(std::ostream& out, const FetchReport& report) {
  out << "Wait: " << report.wait << " after " << report.elapsed << "; "
      << report.responses.size() << " responses, " << report.cancelled.size()
      << " calls cancelled\n";
}

// Calls every service at once; the first failure cancels the rest.
FetchReport RunParallelFetch(std::ostream& out,
                             const std::vector<Service>& services);
// The same with coroutine tasks (parallel_fetch_coro.cc).
FetchReport RunParallelFetchCoro(std::ostream& out,
                                 const std::vector<Service>& services);

#endif  // XSYNC_EXAMPLES_PARALLEL_FETCH_H_
