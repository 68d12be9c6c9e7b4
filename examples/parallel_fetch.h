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

// The demo's services: one answers at 30 ms, one fails at 50 ms, and one
// would take 5 s (it is cancelled by the failure).
inline std::vector<Service> DemoServices() {
  return {{"users", absl::Milliseconds(30), false},
          {"orders", absl::Milliseconds(50), true},
          {"search", absl::Seconds(5), false}};
}

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
