// Copyright 2026 The xsync Authors.
//
// Exercise 16, kratos_recover: bilibili kratos' "cancel" and "recover" — a
// task that panics (here: throws) must neither crash the program nor go
// unnoticed, and its failure cancels the siblings.
//
// Lesson: ../shared/lessons/004_724984ebd0a32071.txt, "扩展库" >
//   "bilibili/errgroup" (its two extras: cancel, and recover with the panic
//   in the error).
//
// In xsync a throwing task is a failure like any other: the group cancels
// its context with cause UnknownError("task threw <type>: <what()>"), a
// sibling waiting on the context stops, Errors() lists it, and Wait rethrows
// the exception once every task has ended (an exception takes priority over
// status errors, since dropping it would hide a bug). Without exceptions
// (-fno-exceptions) there is nothing to recover and the program says so.
//
//   ./tools/bazel run //examples:kratos_recover

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "xsync/context/context.h"
#include "xsync/errgroup/errgroup.h"

struct KratosRecoverReport {
  std::string rethrown;              // What Wait rethrew.
  absl::Status sibling;              // The sibling's result: cancelled.
  absl::Status cause;                // The group context's cause.
  std::vector<absl::Status> errors;  // Errors().
};

KratosRecoverReport RunKratosRecover(std::ostream& out) {
  KratosRecoverReport report;
#ifdef ABSL_HAVE_EXCEPTIONS
  xsync::errgroup::Group g(xsync::Context::Background());
  g.Go([](const xsync::Context&) -> absl::Status {
    throw std::runtime_error("index out of range");  // Go: a panic.
  });
  g.Go([&report](const xsync::Context& ctx) {
    // Would take a minute; stops as soon as the sibling's failure cancels.
    report.sibling =
        ctx.WaitFor(absl::Minutes(1)) ? ctx.Err() : absl::OkStatus();
    return report.sibling;
  });
  try {
    (void)g.Wait();
  } catch (const std::runtime_error& e) {
    report.rethrown = e.what();
  }
  report.cause = g.context().Cause();
  report.errors = g.Errors();
  out << "Wait rethrew: " << report.rethrown << "\n"
      << "the sibling returned: " << report.sibling << "\n"
      << "the context's cause: " << report.cause << "\n"
      << "Errors(): " << report.errors.size() << " error(s)\n";
#else
  out << "built without exceptions: nothing can throw, nothing to recover\n";
#endif
  return report;
}

#ifndef XSYNC_EXAMPLE_NO_MAIN
int main() {
  RunKratosRecover(std::cout);
  return 0;
}
#endif
