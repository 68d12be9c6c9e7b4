// Copyright 2026 The xsync Authors.
//
// Exercise 4, md5all: the errgroup documentation's pipeline.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt,
//   "任务执行流水线Pipeline" (the MD5All pipeline).
//
// Pattern: one task walks a directory tree and sends file paths into a
// bounded channel; 20 digester tasks receive paths, compute MD5 sums and
// gather them in a map; Wait reports the first error. Any failure cancels the
// group context, which stops the walk (its send gives up) and the digesters.
// Watch out: the walker must close the channel when done — on every path —
// or the digesters wait for ever.
//
// A reader asks (003_b19a9a7e90b2b6c3.txt's comments): why does the Go
// version run `g.Wait()` and `close(c)` in a separate goroutine instead of
// just waiting? Because its digesters send each result into an unbuffered
// channel `c` that main drains with `for r := range c`: waiting first would
// leave the digesters blocked on a send nobody receives (a deadlock), and
// main's range ends only once `c` is closed, which must happen after the
// last send, i.e. after Wait. Here the digesters put results into a map
// under a mutex, so nothing needs draining and main simply calls Wait.
//
//   ./tools/bazel run //examples:md5all -- DIR

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "xsync/errgroup/errgroup.h"

// MD5 (RFC 1321), small and streaming.
class Md5 {
 public:
  void Update(const unsigned char* data, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      block_[block_size_++] = data[i];
      if (block_size_ == 64) {
        Transform();
        block_size_ = 0;
      }
    }
    bits_ += static_cast<uint64_t>(size) * 8;
  }

  std::string HexDigest() {
    const uint64_t bits = bits_;
    const unsigned char pad = 0x80;
    Update(&pad, 1);
    const unsigned char zero = 0;
    while (block_size_ != 56) Update(&zero, 1);
    unsigned char length[8];
    for (int i = 0; i < 8; ++i) length[i] = (bits >> (8 * i)) & 0xff;
    Update(length, 8);
    std::string hex;
    for (uint32_t word : state_) {
      for (int i = 0; i < 4; ++i) {
        char byte[3];
        std::snprintf(byte, sizeof(byte), "%02x", (word >> (8 * i)) & 0xff);
        hex += byte;
      }
    }
    return hex;
  }

 private:
  static uint32_t Rotl(uint32_t x, int c) { return (x << c) | (x >> (32 - c)); }

  void Transform() {
    static const int kShift[64] = {
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    static const std::array<uint32_t, 64> kSines = [] {
      std::array<uint32_t, 64> k{};
      for (int i = 0; i < 64; ++i) {
        k[i] =
            static_cast<uint32_t>(std::fabs(std::sin(i + 1.0)) * 4294967296.0);
      }
      return k;
    }();
    uint32_t m[16];
    for (int i = 0; i < 16; ++i) {
      m[i] = block_[4 * i] | (block_[4 * i + 1] << 8) |
             (block_[4 * i + 2] << 16) |
             (static_cast<uint32_t>(block_[4 * i + 3]) << 24);
    }
    uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      f += a + kSines[i] + m[g];
      a = d;
      d = c;
      c = b;
      b += Rotl(f, kShift[i]);
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
  }

  uint32_t state_[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  unsigned char block_[64];
  size_t block_size_ = 0;
  uint64_t bits_ = 0;
};

std::string Md5Hex(const std::string& data) {
  Md5 md5;
  md5.Update(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return md5.HexDigest();
}

absl::StatusOr<std::string> Md5File(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot read " + path.string());
  Md5 md5;
  char buffer[8192];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    md5.Update(reinterpret_cast<const unsigned char*>(buffer),
               static_cast<size_t>(in.gcount()));
  }
  return md5.HexDigest();
}

// A bounded channel: Send blocks while full (giving up when the context
// ends); Receive returns nullopt once closed and drained.
class PathChannel {
 public:
  explicit PathChannel(size_t capacity) : capacity_(capacity) {}
  bool Send(const xsync::Context& ctx, std::filesystem::path path) {
    absl::MutexLock lock(&mu_);
    auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return items_.size() < capacity_;
    };
    while (!room()) {
      if (ctx.Done()) return false;
      mu_.AwaitWithTimeout(absl::Condition(&room), absl::Milliseconds(5));
    }
    items_.push_back(std::move(path));
    return true;
  }
  std::optional<std::filesystem::path> Receive() {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return closed_ || !items_.empty();
    };
    mu_.Await(absl::Condition(&ready));
    if (items_.empty()) return std::nullopt;
    std::filesystem::path path = std::move(items_.front());
    items_.pop_front();
    return path;
  }
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

 private:
  absl::Mutex mu_;
  const size_t capacity_;
  std::deque<std::filesystem::path> items_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// MD5 of every regular file under `root`, keyed by path.
absl::StatusOr<std::map<std::string, std::string>> Md5All(
    const xsync::Context& parent, const std::filesystem::path& root) {
  xsync::errgroup::Group g(parent);
  PathChannel paths(64);
  g.Go([&](const xsync::Context& ctx) -> absl::Status {
    std::error_code error;
    auto it = std::filesystem::recursive_directory_iterator(root, error);
    for (; !error && it != std::filesystem::recursive_directory_iterator();
         it.increment(error)) {
      if (it->is_regular_file() && !paths.Send(ctx, it->path())) break;
    }
    paths.Close();  // On every path, or the digesters wait for ever.
    if (error)
      return absl::NotFoundError(root.string() + ": " + error.message());
    return ctx.Err();
  });
  absl::Mutex mu;
  std::map<std::string, std::string> sums;
  constexpr int kDigesters = 20;
  for (int i = 0; i < kDigesters; ++i) {
    g.Go([&](const xsync::Context& ctx) -> absl::Status {
      while (std::optional<std::filesystem::path> path = paths.Receive()) {
        absl::StatusOr<std::string> sum = Md5File(*path);
        if (!sum.ok()) return sum.status();
        absl::MutexLock lock(&mu);
        sums[path->string()] = *sum;
        if (ctx.Done()) return ctx.Err();
      }
      return absl::OkStatus();
    });
  }
  if (absl::Status status = g.Wait(); !status.ok()) return status;
  return sums;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main(int argc, char** argv) {
  std::filesystem::path root = argc > 1 ? argv[1] : ".";
  // Under `bazel run` the program starts in its runfiles tree; a relative
  // path means the folder the command was run in.
  if (const char* caller = std::getenv("BUILD_WORKING_DIRECTORY");
      caller != nullptr && root.is_relative()) {
    root = std::filesystem::path(caller) / root;
  }
  auto sums = Md5All(xsync::Context::Background(), root);
  if (!sums.ok()) {
    std::cerr << sums.status() << "\n";
    return 1;
  }
  for (const auto& [path, sum] : *sums)
    std::cout << sum << "  " << path << "\n";
  return 0;
}
#endif
