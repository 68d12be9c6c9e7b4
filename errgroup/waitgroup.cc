// Copyright 2026 The xsync Authors.

#include "xsync/errgroup/waitgroup.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "xsync/errgroup/errors.h"

namespace xsync {
namespace errgroup {

absl::Status WaitGroup::Add(int delta) {
  absl::MutexLock lock(&mu_);
  if (count_ + delta < 0) {
    const long long was = count_;
    count_ = 0;
    return absl::FailedPreconditionError(
        absl::StrCat("WaitGroup::Add(", delta, "): the counter (", was,
                     ") would go negative; more Done() than Add()"));
  }
  count_ += delta;
  return absl::OkStatus();
}

absl::Status WaitGroup::Error(absl::Status status) {
  if (status.ok()) {
    return absl::InvalidArgumentError(
        "WaitGroup::Error: called with an OK status; report only failures");
  }
  absl::MutexLock lock(&mu_);
  errors_.push_back(std::move(status));
  return absl::OkStatus();
}

absl::Status WaitGroup::Wait() {
  absl::MutexLock lock(&mu_);
  auto zero = [this]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return count_ == 0; };
  mu_.Await(absl::Condition(&zero));
  if (errors_.size() == 1) return errors_.front();
  return JoinErrors(errors_);
}

}  // namespace errgroup
}  // namespace xsync
