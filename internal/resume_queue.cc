// Copyright 2026 The xsync Authors.

#include "xsync/internal/resume_queue.h"

#if defined(__cpp_impl_coroutine)  // C++20; empty otherwise.

#include <algorithm>
#include <thread>

namespace xsync {
namespace internal {

ResumeQueue& ResumeQueue::Default() {
  static ResumeQueue* const queue = new ResumeQueue(
      DefaultExecutor(),
      std::max(2, static_cast<int>(std::thread::hardware_concurrency())));
  return *queue;
}

ResumeQueue::ResumeQueue(Executor& executor, int max_drainers)
    : executor_(executor), max_drainers_(std::max(1, max_drainers)) {}

bool ResumeQueue::WantsDrainerLocked() {
  if (drainers_ >= max_drainers_) return false;
  if (static_cast<size_t>(drainers_) >= handles_.size()) return false;
  ++drainers_;
  return true;
}

void Resumer::operator()() const { ResumeQueue::Default().Push(*this); }

void ResumeQueue::Push(Resumer resumer) {
  bool ask;
  {
    absl::MutexLock lock(&mu_);
    handles_.push_back(resumer);
    // Up to max_drainers_ at once, so one stuck in a coroutine that blocks
    // its thread does not hold up the handles pushed after it.
    ask = drainers_ < max_drainers_;
    if (ask) ++drainers_;
  }
  if (ask) executor_.Schedule([this] { Drain(); });
}

void ResumeQueue::Drain() {
  mu_.Lock();
  while (!handles_.empty()) {
    const Resumer resumer = handles_.front();
    handles_.pop_front();
    const bool ask = WantsDrainerLocked();
    mu_.Unlock();
    if (ask) executor_.Schedule([this] { Drain(); });
    const void* const outer = current_engine;
    current_engine = resumer.engine_;
    resumer.handle_.resume();
    current_engine = outer;
    mu_.Lock();
  }
  --drainers_;
  mu_.Unlock();
}

}  // namespace internal
}  // namespace xsync

#endif  // defined(__cpp_impl_coroutine)
