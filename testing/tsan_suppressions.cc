// Copyright 2026 The xsync Authors.
//
// ThreadSanitizer suppressions for xsync's tests, benchmarks and users' tests
// (target //testing:tsan_suppressions; TSAN calls the hook below at start-up,
// so a test only needs to link it).
//
// One known false positive in Abseil LTS 20220623 itself: a thread's
// PerThreadSynch is carved out of memory LowLevelAlloc mmaps, and another
// thread's Mutex::Unlock later posts to its futex word (Waiter::Post). The
// ordering between the two goes through the mutex word, whose atomics Abseil's
// TSAN annotations hide from TSAN, so TSAN reports the mmap (an imitated write)
// against the post. No xsync frame is involved, and the rule matches only
// reports that have Waiter::Post in a stack.

#include "absl/base/config.h"

#ifdef ABSL_HAVE_THREAD_SANITIZER
extern "C" const char* __tsan_default_suppressions() {
  return "race:absl::*synchronization_internal::Waiter::Post\n";
}
#endif
