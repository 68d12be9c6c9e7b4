// Copyright 2026 The xsync Authors.
//
// A fuzz input read as a program: each call takes the next bytes and turns
// them into a choice. An exhausted input reads as zeros, so every input is a
// valid program and a short one ends with the simplest choices.

#ifndef XSYNC_FUZZ_PROGRAM_H_
#define XSYNC_FUZZ_PROGRAM_H_

#include <cstddef>
#include <cstdint>

namespace xsync {
namespace fuzz {

class Program {
 public:
  Program(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // True once every byte has been read.
  bool done() const { return next_ >= size_; }

  uint8_t Byte() { return done() ? 0 : data_[next_++]; }

  // A number in [0, n), n in [1, 256].
  int Below(int n) { return Byte() % n; }

  // A number in [lo, hi], hi - lo < 256.
  int Between(int lo, int hi) { return lo + Below(hi - lo + 1); }

  bool Bit() { return (Byte() & 1) != 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t next_ = 0;
};

}  // namespace fuzz
}  // namespace xsync

#endif  // XSYNC_FUZZ_PROGRAM_H_
