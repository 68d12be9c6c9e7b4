// Copyright 2026 The xsync Authors.

#include "benchmarks/compare_peers.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace xsync {
namespace benchmarks {
namespace {

// Runs a shell command and returns its standard output; `*status` gets the
// wait status.
std::string Capture(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *status = -1;
    return out;
  }
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  *status = pclose(pipe);
  return out;
}

std::string Quote(const std::string& s) { return absl::StrCat("'", s, "'"); }

// The last non-empty line of `text`.
std::string LastLine(const std::string& text) {
  std::string last;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty()) last = std::string(line);
  }
  return last;
}

}  // namespace

BusyThreads::BusyThreads(int threads) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      while (!stop_.load(std::memory_order_relaxed)) {
      }
    });
  }
}

BusyThreads::~BusyThreads() {
  stop_.store(true, std::memory_order_relaxed);
  for (std::thread& t : threads_) t.join();
}

GoSuite::GoSuite(const std::string& source, double min_time_s)
    : min_time_s_(min_time_s) {
  int status = 0;
  Capture("command -v go >/dev/null 2>&1", &status);
  if (status != 0) {
    error_ =
        "Go is not installed (apt-get install golang-go "
        "golang-golang-x-sync-dev; tools/bazel does this)";
    return;
  }
  char tmpl[] = "/tmp/xsync-compare-go.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    error_ = "could not make a temporary folder for the Go build";
    return;
  }
  dir_ = tmpl;
  const std::string binary = dir_ + "/gobench";
  // GOPATH mode against Debian's x/sync: no module download.
  const std::string command = absl::StrCat(
      "cd ", Quote(dir_), " && GO111MODULE=off GOPATH=/usr/share/gocode ",
      "GOFLAGS= GOCACHE=", Quote(dir_ + "/cache"), " go build -o ",
      Quote(binary), " ", Quote(source), " 2>&1");
  const std::string out = Capture(command, &status);
  if (status != 0) {
    error_ = absl::StrCat("go build failed: ", LastLine(out));
    return;
  }
  binary_ = binary;
}

GoSuite::~GoSuite() {
  if (dir_.empty()) return;
  int status = 0;
  Capture(absl::StrCat("rm -rf ", Quote(dir_)), &status);
}

Measurement GoSuite::Run(const std::string& name, int arg) const {
  if (binary_.empty()) return Measurement{NAN, NAN, NAN, error_};
  return RunChild(absl::StrFormat("%s -case=%s -arg=%d -min_time=%g",
                                  Quote(binary_), name, arg, min_time_s_),
                  60);
}

Measurement RunChild(const std::string& command, int limit_s) {
  int status = 0;
  const std::string out =
      Capture(absl::StrCat("{ timeout --signal=KILL ", limit_s, " ", command,
                           "; } 2>/dev/null"),
              &status);
  if (WIFEXITED(status) &&
      (WEXITSTATUS(status) == 124 || WEXITSTATUS(status) == 128 + SIGKILL)) {
    return Measurement{NAN, NAN, NAN,
                       absl::StrCat("deadlock (> ", limit_s, " s)")};
  }
  Measurement m = ParseResultLine(LastLine(out));
  if (m.error.empty() && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
    m.error = "exited abnormally";
  }
  return m;
}

Measurement ParseResultLine(const std::string& line) {
  Measurement m;
  absl::string_view rest(line);
  if (absl::ConsumePrefix(&rest, "error=")) {
    m.error = std::string(rest);
    return m;
  }
  std::istringstream in(line);
  std::string field;
  while (in >> field) {
    const size_t eq = field.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = field.substr(0, eq);
    const double value = std::strtod(field.c_str() + eq + 1, nullptr);
    if (key == "ns") m.ns = value;
    if (key == "p50_us" && value >= 0) m.p50_us = value;
    if (key == "p99_us" && value >= 0) m.p99_us = value;
  }
  if (std::isnan(m.ns)) m.error = "no result";
  return m;
}

std::string FormatResultLine(const Measurement& m) {
  if (!m.error.empty()) return absl::StrCat("error=", m.error);
  auto num = [](double v) { return std::isnan(v) ? -1.0 : v; };
  return absl::StrFormat("ns=%.6g p50_us=%.6g p99_us=%.6g", m.ns, num(m.p50_us),
                         num(m.p99_us));
}

}  // namespace benchmarks
}  // namespace xsync
