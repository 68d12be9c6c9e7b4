// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: errgroup/waitgroup.h
// -----------------------------------------------------------------------------
//
// `WaitGroup` is facebookgo/errgroup's Group: a sync.WaitGroup that also
// collects errors. The caller starts its own threads; `WaitGroup` only counts
// and collects.
//
//   * `Add(n)` adds n (may be negative) to the counter; `Done()` is Add(-1).
//     Driving the counter below zero is a misuse: it returns
//     FailedPrecondition and leaves the counter at zero (Go panics).
//   * `Error(status)` records a failure; an OK status is InvalidArgument (the
//     Go original silently stores nil).
//   * `Wait()` blocks until the counter is zero and returns OK if no error was
//     recorded, the single error unchanged if one was, or `JoinErrors` of all
//     of them in call order.
//
// Memory ordering: everything before `Done()` or `Error()` happens-before
// `Wait` returns.
//
// Example:
//
//   xsync::errgroup::WaitGroup wg;
//   wg.Add(2);
//   std::thread a([&] { wg.Error(Fetch("a")); wg.Done(); });
//   ...
//   absl::Status status = wg.Wait();

#ifndef XSYNC_ERRGROUP_WAITGROUP_H_
#define XSYNC_ERRGROUP_WAITGROUP_H_

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace xsync {
namespace errgroup {

class WaitGroup {
 public:
  absl::Status Add(int delta) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Done() ABSL_LOCKS_EXCLUDED(mu_) { return Add(-1); }
  absl::Status Error(absl::Status status) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Wait() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Mutex mu_;
  long long count_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<absl::Status> errors_ ABSL_GUARDED_BY(mu_);
};

}  // namespace errgroup
}  // namespace xsync

#endif  // XSYNC_ERRGROUP_WAITGROUP_H_
