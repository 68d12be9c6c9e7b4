// Copyright 2026 The xsync Authors.

#include "xsync/errgroup/errgroup.h"

#include <algorithm>
#include <thread>

namespace xsync {
namespace errgroup {

internal::GroupEngine::Options Group::EngineOptions(const Options& options) {
  internal::GroupEngine::Options engine;
  engine.limit = options.limit;
  engine.queue_capacity = options.queue_size < 0
                              ? internal::GroupEngine::kUnboundedQueue
                              : static_cast<size_t>(options.queue_size);
  engine.executor = options.executor;
  return engine;
}

Group::Group() : engine_(std::nullopt, EngineOptions(Options())) {}

Group::Group(const Context& parent, Options options)
    : engine_(parent, EngineOptions(options)) {}

absl::Status Group::Wait() {
  absl::Status status = engine_.Wait();
  engine_.RethrowIfException();
  return status;
}

GroupAndContext WithContext(const Context& parent) {
  auto group = std::make_unique<Group>(parent);
  Context ctx = group->context();
  return {std::move(group), std::move(ctx)};
}

GroupAndContext WithContextN(const Context& parent, int num_workers,
                             int queue_size) {
  if (num_workers <= 0) {
    num_workers =
        std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  if (queue_size <= 0) queue_size = num_workers;
  Options options;
  options.limit = num_workers;
  options.queue_size = queue_size;
  auto group = std::make_unique<Group>(parent, options);
  Context ctx = group->context();
  return {std::move(group), std::move(ctx)};
}

}  // namespace errgroup
}  // namespace xsync
