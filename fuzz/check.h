// Copyright 2026 The xsync Authors.
//
// What the fuzz targets share: the input as a program, and a check that
// stops the run with a message (libFuzzer then saves the input as a crash).

#ifndef XSYNC_FUZZ_CHECK_H_
#define XSYNC_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/program.h"

// Aborts with the failed condition and `what` when `condition` is false.
#define XSYNC_FUZZ_CHECK(condition, what)                                    \
  do {                                                                       \
    if (!(condition)) {                                                      \
      std::fprintf(stderr, "%s:%d: model check failed: %s (%s)\n", __FILE__, \
                   __LINE__, #condition, std::string(what).c_str());         \
      std::abort();                                                          \
    }                                                                        \
  } while (0)

// With XSYNC_FUZZ_TRACE set in the environment, prints each operation (to
// read a crash input as the program it is).
#define XSYNC_FUZZ_TRACE(...)                                  \
  do {                                                         \
    static const bool trace = std::getenv("XSYNC_FUZZ_TRACE"); \
    if (trace) std::fprintf(stderr, __VA_ARGS__);              \
  } while (0)

#endif  // XSYNC_FUZZ_CHECK_H_
