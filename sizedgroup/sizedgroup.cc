// Copyright 2026 The xsync Authors.

#include "xsync/sizedgroup/sizedgroup.h"

#include "absl/strings/str_cat.h"
#include "xsync/errgroup/errors.h"

namespace xsync {
namespace internal {

SizedSettings::SizedSettings(int size,
                             std::initializer_list<GroupOption> options)
    : size(size) {
  for (const GroupOption& option : options) {
    switch (option.kind) {
      case GroupOption::Kind::kPreemptive:
        preemptive = true;
        break;
      case GroupOption::Kind::kDiscard:
        discard = true;
        preemptive = true;
        break;
      case GroupOption::Kind::kTermOnErr:
        term_on_err = true;
        break;
      case GroupOption::Kind::kContext:
        context = option.context;
        break;
      case GroupOption::Kind::kExecutor:
        executor = option.executor;
        break;
    }
  }
}

GroupEngine::Options SizedSettings::EngineOptions(bool records_errors) const {
  GroupEngine::Options options;
  options.limit = size > 0 ? size : 0;
  options.queue_capacity = preemptive ? 0 : GroupEngine::kUnboundedQueue;
  options.executor = executor;
  options.on_error = records_errors && term_on_err
                         ? GroupEngine::OnError::kCancelAndDrop
                         : GroupEngine::OnError::kRecord;
  options.skip_when_done = true;
  options.fixed_limit = true;
  return options;
}

absl::Status SizedSettings::SizeError() const {
  if (size > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "sized group: size must be > 0, got ", size, "; no task was run"));
}

SizedGroupBase::SizedGroupBase(int size,
                               std::initializer_list<GroupOption> options,
                               bool records_errors)
    : settings_(size, options),
      engine_(settings_.context.has_value() ? settings_.context
                                            : std::optional<Context>(Context()),
              settings_.EngineOptions(records_errors)) {}

bool SizedGroupBase::Submit(GroupEngine::Task task) {
  if (settings_.size <= 0) return false;
  return engine_.Submit(std::move(task), settings_.admission());
}

}  // namespace internal

absl::Status SizedGroup::Wait() {
  engine_.Wait().IgnoreError();  // Only a done context: nothing ran, by design.
  engine_.RethrowIfException();
  return settings_.SizeError();
}

absl::Status ErrSizedGroup::Wait() {
  engine_.Wait().IgnoreError();
  engine_.RethrowIfException();
  if (absl::Status status = settings_.SizeError(); !status.ok()) return status;
  return JoinedErrors();
}

absl::Status ErrSizedGroup::JoinedErrors() const {
  return errgroup::JoinErrors(engine_.Errors());
}

}  // namespace xsync
