// Copyright 2026 The xsync Authors.

#include "xsync/internal/spin_wait.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace xsync {
namespace internal {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The kernel's count of runnable threads (the "3" of "0.5 0.4 0.3 3/200
// 1234" in /proc/loadavg, this reader included); -1 if unreadable.
int RunnableThreads() {
#ifdef __linux__
  const int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[128];
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = '\0';
  const char* slash = std::strchr(buf, '/');
  if (slash == nullptr) return -1;
  const char* start = slash;
  while (start > buf && start[-1] != ' ') --start;
  return std::atoi(start);
#else
  return -1;
#endif
}

std::atomic<int64_t> next_refresh_ns{0};
std::atomic<bool> cores_busy{false};

}  // namespace

bool SpinWait::CoresBusy() {
  const int64_t now = NowNs();
  int64_t due = next_refresh_ns.load(std::memory_order_relaxed);
  if (now >= due &&
      next_refresh_ns.compare_exchange_strong(
          due,
          now +
              std::chrono::duration_cast<std::chrono::nanoseconds>(kBusyRefresh)
                  .count(),
          std::memory_order_relaxed)) {
    static const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    const int runnable = RunnableThreads();
    cores_busy.store(cores > 0 && runnable > cores + 1,
                     std::memory_order_relaxed);
  }
  return cores_busy.load(std::memory_order_relaxed);
}

}  // namespace internal
}  // namespace xsync
