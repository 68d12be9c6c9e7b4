// Uses every public xsync header next to the consumer's own context/ and
// executor/ headers; fails to compile if an xsync header includes one of
// them, and exits non-zero if the groups misbehave.

#include <atomic>
#include <cstdio>

// clang-format off
#include "xsync/context/context.h"
#include "xsync/errgroup/errgroup.h"
#include "xsync/executor/executor.h"
#include "xsync/gollback/gollback.h"
#include "xsync/hunch/hunch.h"
#include "xsync/schedgroup/schedgroup.h"
#include "xsync/sizedgroup/sizedgroup.h"

// Had an xsync header included the consumer's files (a bare
// "context/context.h" resolves to the consumer's first), these would be set.
#if defined(CONSUMER_CONTEXT_INCLUDED) || defined(CONSUMER_EXECUTOR_INCLUDED)
#error "an xsync header included the consumer's own context/ or executor/"
#endif

#include "context/context.h"    // The consumer's.
#include "executor/executor.h"  // The consumer's.
// clang-format on

int main() {
  consumer::RequestContext request{consumer::Threads()};
  std::atomic<int> ran{0};
  xsync::errgroup::Group g(xsync::Context::Background());
  if (!g.SetLimit(2).ok()) return 1;
  for (int i = 0; i < 10; ++i) {
    g.Go([&](const xsync::Context&) {
      ran.fetch_add(request.id);
      return absl::OkStatus();
    });
  }
  if (!g.Wait().ok() || ran.load() != 10) {
    std::fprintf(stderr, "errgroup: ran %d\n", ran.load());
    return 1;
  }
  std::printf("consumer: xsync builds beside its own context/ and executor/\n");
  return 0;
}
