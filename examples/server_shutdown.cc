// Copyright 2026 The xsync Authors.
//
// Exercise 5, server_shutdown: "one exits, all exit".
//
// Lesson: ../shared/lessons/001_df6855eb6a95c12a.txt, "案例" (the HTTP server +
//   signal shutdown homework).
//
// Three tasks in one group:
//   * a loopback TCP server answering "hello", which exits with an error when
//     a "GET /shutdown" request arrives;
//   * a signal watcher, which exits with an error on SIGINT or SIGTERM;
//   * a shutdown task, which waits for the group context and then closes the
//     listening socket, so the blocked accept() returns and the server ends.
// Whichever exits first cancels the context (with its error as cause); the
// others notice and end; Wait reports why it stopped. Watch out: a blocking
// accept() does not look at any context — something has to close the
// socket, which is the shutdown task's whole job.
//
// Signals are handled as Go's signal.Notify does: SIGINT and SIGTERM are
// blocked in every thread (main blocks them before any thread starts, and
// threads inherit the mask) and the watcher waits for them with
// sigtimedwait. A signal then never lands in another thread's blocking call
// (accept() would fail with EINTR, which a handler-based version reports as
// a server failure about half the time).
//
//   ./tools/bazel run //examples:server_shutdown   (then: curl
//   127.0.0.1:PORT/shutdown, or Ctrl-C)

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "xsync/errgroup/errgroup.h"

namespace {

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// Waits for SIGINT or SIGTERM (blocked everywhere, so only taken here),
// checking the context every 20 ms.
absl::Status WatchSignals(const xsync::Context& ctx) {
  const sigset_t set = ShutdownSignals();
  while (!ctx.Done()) {
    timespec timeout = {0, 20 * 1000 * 1000};
    const int signo = sigtimedwait(&set, nullptr, &timeout);
    if (signo > 0) {
      return absl::CancelledError(absl::StrCat("received signal ", signo));
    }
  }
  return ctx.Err();
}

absl::Status Serve(const xsync::Context& ctx, int listener) {
  while (true) {
    const int conn = accept(listener, nullptr, nullptr);
    if (conn < 0 && errno == EINTR) continue;  // Another signal: not ours.
    if (conn < 0) {
      // The shutdown task closed the listener: the context is done.
      return ctx.Done() ? ctx.Err() : absl::InternalError(std::strerror(errno));
    }
    char request[512] = {};
    const ssize_t n = read(conn, request, sizeof(request) - 1);
    const bool shutdown = n > 0 && std::strstr(request, "GET /shutdown");
    const char* reply = shutdown ? "HTTP/1.0 200 OK\r\n\r\nbye\n"
                                 : "HTTP/1.0 200 OK\r\n\r\nhello\n";
    (void)!write(conn, reply, std::strlen(reply));
    close(conn);
    if (shutdown) return absl::AbortedError("shutdown requested via /shutdown");
  }
}

}  // namespace

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts
// later: call it first in main, before any thread exists.
void BlockShutdownSignals() {
  const sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

// Runs the three tasks until one exits; `on_listening` gets the port.
absl::Status RunServerShutdown(const xsync::Context& parent,
                               const std::function<void(int)>& on_listening) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // Ephemeral.
  socklen_t len = sizeof(addr);
  if (listener < 0 ||
      bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listener, 16) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (listener >= 0) close(listener);
    return absl::UnavailableError(
        absl::StrCat("listen: ", std::strerror(errno)));
  }
  on_listening(ntohs(addr.sin_port));

  xsync::errgroup::Group g(parent);
  g.Go([listener](const xsync::Context& ctx) { return Serve(ctx, listener); });
  g.Go(WatchSignals);
  g.Go([listener](const xsync::Context& ctx) {
    ctx.Wait();                     // Whoever exits first cancels this.
    shutdown(listener, SHUT_RDWR);  // Wakes the blocked accept().
  });
  absl::Status why = g.Wait();
  close(listener);
  return why;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  BlockShutdownSignals();  // Before any thread starts.
  absl::Status why =
      RunServerShutdown(xsync::Context::Background(), [](int port) {
        std::cout << "listening on 127.0.0.1:" << port
                  << " (GET /shutdown or Ctrl-C to stop)" << std::endl;
      });
  std::cout << "stopped: " << why << "\n";
  return 0;
}
#endif
