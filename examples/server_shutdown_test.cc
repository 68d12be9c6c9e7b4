// Copyright 2026 The xsync Authors.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "xsync/context/context.h"

absl::Status RunServerShutdown(const xsync::Context& parent,
                               const std::function<void(int)>& on_listening);
void BlockShutdownSignals();

namespace {

// As the example's main does, before any thread starts (gtest's main and
// the executor's threads come later and inherit the mask).
const bool kSignalsBlocked = [] {
  BlockShutdownSignals();
  return true;
}();

std::string Get(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\n\r\n";
    (void)!write(fd, request.data(), request.size());
    char buffer[256];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof(buffer))) > 0) reply.append(buffer, n);
  }
  close(fd);
  return reply;
}

// Starts the server on a thread; returns once it listens.
struct Running {
  std::thread thread;
  absl::Status why;
  int port = 0;
};

void Start(Running& r, const xsync::Context& ctx) {
  absl::Notification listening;
  r.thread = std::thread([&r, &listening, ctx] {
    r.why = RunServerShutdown(ctx, [&](int port) {
      r.port = port;
      listening.Notify();
    });
  });
  listening.WaitForNotification();
}

}  // namespace

TEST(ServerShutdown, ShutdownRequestEndsEverything) {
  Running r;
  Start(r, xsync::Context::Background());
  EXPECT_NE(Get(r.port, "/").find("hello"), std::string::npos);
  EXPECT_NE(Get(r.port, "/shutdown").find("bye"), std::string::npos);
  r.thread.join();
  EXPECT_EQ(r.why, absl::AbortedError("shutdown requested via /shutdown"));
}

// A process-directed signal (kill, as Ctrl-C or `kill -TERM pid` send it)
// while the server thread is blocked in accept(): it must end the group as
// a signal, never as a server error (the old handler-based version said
// "INTERNAL: Interrupted system call" about half the time).
TEST(ServerShutdown, ProcessSignalWhileAcceptBlocksEndsEverything) {
  ASSERT_TRUE(kSignalsBlocked);
  for (int signo : {SIGTERM, SIGINT}) {
    for (int i = 0; i < 10; ++i) {
      Running r;
      Start(r, xsync::Context::Background());
      // One request served: the server is back in accept().
      ASSERT_NE(Get(r.port, "/").find("hello"), std::string::npos);
      ASSERT_EQ(kill(getpid(), signo), 0);
      r.thread.join();
      EXPECT_TRUE(absl::IsCancelled(r.why)) << r.why;
      EXPECT_EQ(r.why.message(), "received signal " + std::to_string(signo));
    }
  }
}

TEST(ServerShutdown, ParentCancellationEndsEverything) {
  auto [ctx, cancel] = xsync::WithCancel(xsync::Context::Background());
  Running r;
  Start(r, ctx);
  cancel();
  r.thread.join();
  EXPECT_TRUE(absl::IsCancelled(r.why)) << r.why;
  EXPECT_EQ(r.why.message(), "context canceled");
}
