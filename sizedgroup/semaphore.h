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
#if defined(__cpp_impl_coroutine)
#include <coroutine>
#endif

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "xsync/context/context.h"

namespace xsync {

#if defined(__cpp_impl_coroutine)
class SemaphoreAcquireAwaiter;
#endif

class Semaphore {
 public:
  explicit Semaphore(int64_t size);

  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Blocks until `n` tokens are acquired (OK) or `ctx` is done (its error).
  absl::Status Acquire(const Context& ctx, int64_t n = 1)
      ABSL_LOCKS_EXCLUDED(mu_);

#if defined(__cpp_impl_coroutine)
  // The awaitable twin of `Acquire` (C++20):
  // `absl::Status s = co_await sem.AcquireAsync(ctx, n);` suspends, holding
  // no thread, in the same FIFO queue as blocking callers, with the same
  // results and rules. The semaphore must outlive the await.
  SemaphoreAcquireAwaiter AcquireAsync(const Context& ctx, int64_t n = 1);
#endif
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
    int64_t n = 0;
    bool granted = false;
    bool cancelled = false;
    // An AcquireAsync waiter's resumption: called once, under mu_, when the
    // waiter is granted or cancelled (empty for a blocking Acquire).
    absl::AnyInvocable<void() &&> wake;
  };
  using WaiterRef = std::list<Waiter>::iterator;

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
  absl::Status AwaitGrant(const Context& ctx, WaiterRef w)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Wakes `w` when `ctx` ends (marks it cancelled, under mu_).
  AfterFuncHandle CancelOnDone(const Context& ctx, WaiterRef w);
  // Sets an async waiter's resumption; calls it at once if it is due.
  void ArmWake(WaiterRef w, absl::AnyInvocable<void() &&> wake)
      ABSL_LOCKS_EXCLUDED(mu_);
  void WakeLocked(Waiter& w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After a waiter was woken: takes it off the queue and returns OK if it
  // holds its tokens, else (giving back tokens granted too late) the
  // context's error.
  absl::Status FinishWait(const Context& ctx, WaiterRef w)
      ABSL_LOCKS_EXCLUDED(mu_);
  void GrantWaitersLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

#if defined(__cpp_impl_coroutine)
  friend class SemaphoreAcquireAwaiter;
#endif

  const int64_t size_;
  std::atomic<int64_t> state_;
  absl::Mutex mu_;
  std::list<Waiter> waiters_ ABSL_GUARDED_BY(mu_);
};

#if defined(__cpp_impl_coroutine)
// Returned by `Semaphore::AcquireAsync`; resumes with OK (the tokens are
// held) or the context's error, on the resume queue.
class [[nodiscard]] SemaphoreAcquireAwaiter {
 public:
  SemaphoreAcquireAwaiter(Semaphore& sem, const Context& ctx, int64_t n)
      : sem_(sem), ctx_(ctx), n_(n) {}

  bool await_ready();
  void await_suspend(std::coroutine_handle<> handle);
  absl::Status await_resume();

 private:
  Semaphore& sem_;
  Context ctx_;
  int64_t n_;
  absl::Status ready_status_;                   // When it never suspended.
  std::optional<Semaphore::WaiterRef> waiter_;  // Queued, if it suspends.
  AfterFuncHandle on_done_;
};
#endif

}  // namespace xsync

#endif  // XSYNC_SIZEDGROUP_SEMAPHORE_H_
