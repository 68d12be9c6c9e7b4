// Copyright 2026 The xsync Authors.

#include "xsync/internal/run_guarded.h"

#include <cstdio>
#include <exception>
#include <utility>

#include "absl/base/config.h"

namespace xsync {
namespace internal {

void RunGuarded(absl::AnyInvocable<void() &&> callback, const char* what) {
#ifdef ABSL_HAVE_EXCEPTIONS
  try {
    std::move(callback)();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xsync: %s threw: %s (ignored)\n", what, e.what());
  } catch (...) {
    std::fprintf(stderr, "xsync: %s threw a non-std exception (ignored)\n",
                 what);
  }
#else
  (void)what;
  std::move(callback)();
#endif
}

}  // namespace internal
}  // namespace xsync
