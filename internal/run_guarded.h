// Copyright 2026 The xsync Authors.
//
// `RunGuarded` runs a callback on one of xsync's own threads (executor worker,
// timer thread) so that nothing it throws can kill that thread: an exception is
// reported on stderr and swallowed. Groups capture their tasks' exceptions
// themselves before this point; this is the last line of defence for raw
// `Executor::Schedule` and timer callbacks.

#ifndef XSYNC_INTERNAL_RUN_GUARDED_H_
#define XSYNC_INTERNAL_RUN_GUARDED_H_

#include "absl/functional/any_invocable.h"

namespace xsync {
namespace internal {

// `what` names the kind of callback in the report, e.g. "timer callback".
void RunGuarded(absl::AnyInvocable<void() &&> callback, const char* what);

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_RUN_GUARDED_H_
