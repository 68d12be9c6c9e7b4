// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: internal/current_engine.h
// -----------------------------------------------------------------------------
//
// The group engine whose task the current thread is running, if any: a task
// that submits to its own full group is queued instead of blocked (it would
// wait for itself). A coroutine task carries it across its suspensions: the
// awaitables record it when the task suspends and the resume queue restores
// it while the task runs again (see resume_queue.h), so the rule holds on
// whichever thread resumes the task.

#ifndef XSYNC_INTERNAL_CURRENT_ENGINE_H_
#define XSYNC_INTERNAL_CURRENT_ENGINE_H_

namespace xsync {
namespace internal {

inline thread_local const void* current_engine = nullptr;

}  // namespace internal
}  // namespace xsync

#endif  // XSYNC_INTERNAL_CURRENT_ENGINE_H_
