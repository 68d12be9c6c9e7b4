// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: coro/coro.h
// -----------------------------------------------------------------------------
//
// Coroutine tasks (C++20): tasks that wait without holding a thread.
//
//   #include "xsync/coro/coro.h"
//
//   xsync::errgroup::Group g(ctx);
//   for (const Url& url : urls) {
//     g.Go([&, url](const xsync::Context& ctx) -> xsync::Task<absl::Status> {
//       co_await xsync::Sleep(ctx, Backoff(url));  // No thread held.
//       co_return Fetch(ctx, url);
//     });
//   }
//   absl::Status s = g.Wait();
//
// * `Task<T>` (coro/task.h): a lazy, move-only coroutine; `co_await` one
//   from another.
// * `Sleep`, `SleepUntil`, `WhenDone` (coro/awaitables.h): resume with OK or
//   the context's error.
// * `SyncWait` (coro/sync_wait.h): run a Task from plain code.
//
// Go's goroutine parks anywhere; a coroutine task parks only at `co_await`.
// See each header for its contract.

#ifndef XSYNC_CORO_CORO_H_
#define XSYNC_CORO_CORO_H_

#if defined(__cpp_impl_coroutine)  // C++20; empty otherwise.

#include "xsync/coro/awaitables.h"  // IWYU pragma: export
#include "xsync/coro/sync_wait.h"   // IWYU pragma: export
#include "xsync/coro/task.h"        // IWYU pragma: export

#endif  // defined(__cpp_impl_coroutine)

#endif  // XSYNC_CORO_CORO_H_
