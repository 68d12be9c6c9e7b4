// Copyright 2026 The xsync Authors.
//
// -----------------------------------------------------------------------------
// File: errgroup/errors.h
// -----------------------------------------------------------------------------
//
// `JoinErrors` folds many statuses into one, the way go-pkgz's MultiError and
// facebookgo's errgroup report "every error"; `SplitErrors` gets the parts
// back.
//
//   * `JoinErrors` returns OK if no element is an error (OK elements are
//     skipped). Otherwise a status with the first error's code and the message
//     "N error(s) occurred: [0] {msg0}, [1] {msg1}", with the parts attached as
//     a payload (so the joined status survives copies).
//   * `SplitErrors(status)` returns the parts of a joined status in order; the
//     status itself (as the only part) if it was not joined; nothing for OK.
//
// Example:
//
//   absl::Status all = xsync::errgroup::JoinErrors(group.Errors());
//   for (const absl::Status& part : xsync::errgroup::SplitErrors(all)) { ... }

#ifndef XSYNC_ERRGROUP_ERRORS_H_
#define XSYNC_ERRGROUP_ERRORS_H_

#include <vector>

#include "absl/status/status.h"

namespace xsync {
namespace errgroup {

absl::Status JoinErrors(const std::vector<absl::Status>& statuses);
std::vector<absl::Status> SplitErrors(const absl::Status& status);

}  // namespace errgroup
}  // namespace xsync

#endif  // XSYNC_ERRGROUP_ERRORS_H_
