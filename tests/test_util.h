// Copyright 2026 The xsync Authors.
//
// Helpers shared by xsync's tests.

#ifndef XSYNC_TESTS_TEST_UTIL_H_
#define XSYNC_TESTS_TEST_UTIL_H_

#include <algorithm>
#include <utility>

#include "absl/base/config.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "executor/executor.h"

namespace xsync {
namespace testing {

// ThreadSanitizer cannot map trace memory for thousands of live threads, so
// tests whose tasks each hold a thread use fewer of them under TSAN.
#ifdef ABSL_HAVE_THREAD_SANITIZER
inline constexpr int kMaxThreadHeavyTasks = 200;
#else
inline constexpr int kMaxThreadHeavyTasks = 1 << 30;
#endif
inline int ThreadHeavyTasks(int wanted) {
  return std::min(wanted, kMaxThreadHeavyTasks);
}

// Polls `condition` until it holds or `limit` passes; true if it held. For
// tests whose subject is time itself (idle timeouts), never as a substitute
// for a latch.
template <typename Condition>
bool EventuallyTrue(Condition condition,
                    absl::Duration limit = absl::Seconds(30)) {
  const absl::Time give_up = absl::Now() + limit;
  while (!condition()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

}  // namespace testing
}  // namespace xsync

#endif  // XSYNC_TESTS_TEST_UTIL_H_
