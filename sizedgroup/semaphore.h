// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: sizedgroup/semaphore.h
// -----------------------------------------------------------------------------
//
// `xsync::Semaphore` is golang.org/x/sync/semaphore.Weighted: a counting
// semaphore of `size` tokens, acquired and released in any weights, which
// also works as a mutex-like Lockable (go-pkgz's Locker), spelled the
// standard way so `std::lock_guard` and `std::unique_lock` work:
//
//   xsync::Semaphore sem(4);
//   if (absl::Status s = sem.Acquire(ctx, 2); !s.ok()) return s;  // ctx done
//   ...
//   sem.Release(2).IgnoreError();
//
//   std::lock_guard<xsync::Semaphore> guard(sem);  // Acquire(1) / Release(1)
//
// Semantics (as x/sync):
//   * Strict FIFO: a waiter is served only when every earlier waiter has been,
//     so a large request is never starved by a stream of small ones.
//   * A done context wins: `Acquire` on a done context returns its error even
//     if tokens are free, and a waiter whose context ends returns its error
//     (tokens it was granted at that instant are given back).
//   * `n > size` can never succeed: it waits only for the context and does not
//     block smaller waiters behind it.
//   * A cancelled front waiter wakes the waiters behind it if tokens are free.
//
// Misuse returns an error instead of panicking: `Release` of more than is held
// is FailedPrecondition; a negative `n` or size is InvalidArgument. `unlock()`
// cannot return an error: an over-release there is reported on stderr and
// ignored. `lock()` waits with no context, for ever if it must.
//
// Memory ordering: a `Release` happens-before the `Acquire` it satisfies.
//
// Cost: while nobody waits, `Acquire`, `TryAcquire` and `Release` are one
// compare-and-swap on a single word holding the free tokens and a "waiters
// queued" bit; the mutex and the FIFO queue are used only once a caller must
// wait, and until the queue is empty again. Sizes of 2^62 and more are
// InvalidArgument (the word needs one bit for the flag).

#ifndef XSYNC_SIZEDGROUP_SEMAPHORE_H_
#define XSYNC_SIZEDGROUP_SEMAPHORE_H_

#include <atomic>
#include <cstdint>
#include <list>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "context/context.h"

namespace xsync {

class Semaphore {
 public:
  explicit Semaphore(int64_t size);

  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Blocks until `n` tokens are acquired (OK) or `ctx` is done (its error).
  absl::Status Acquire(const Context& ctx, int64_t n = 1)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Acquires `n` tokens if that can be done now without jumping the queue.
  bool TryAcquire(int64_t n = 1) ABSL_LOCKS_EXCLUDED(mu_);
  // Returns `n` tokens.
  absl::Status Release(int64_t n = 1) ABSL_LOCKS_EXCLUDED(mu_);

  // Lockable: one token.
  void lock() { Acquire(Context::Background(), 1).IgnoreError(); }
  bool try_lock() { return TryAcquire(1); }
  void unlock();

  int64_t size() const { return size_; }

 private:
  struct Waiter {
    int64_t n;
    bool granted = false;
    bool cancelled = false;
  };

  // `state_` is `free_tokens << 1 | kWaitersQueued`. While the bit is clear
  // the fast paths change it by compare-and-swap; while it is set (waiters_
  // is not empty) only holders of `mu_` change it.
  static constexpr int64_t kWaitersQueued = 1;
  static constexpr int64_t kMaxSize = (int64_t{1} << 62) - 1;

  absl::Status CheckWeight(const char* call, int64_t n) const;
  // Takes `n` free tokens if nobody is queued; false if it must queue.
  bool TryAcquireFast(int64_t n);
  // Queues a waiter, or takes the tokens at once (nullopt) if they came free
  // meanwhile.
  std::optional<std::list<Waiter>::iterator> EnqueueOrAcquire(int64_t n)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status AwaitGrant(const Context& ctx, std::list<Waiter>::iterator w)
      ABSL_LOCKS_EXCLUDED(mu_);
  void GrantWaitersLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t size_;
  std::atomic<int64_t> state_;
  absl::Mutex mu_;
  std::list<Waiter> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace xsync

#endif  // XSYNC_SIZEDGROUP_SEMAPHORE_H_
