// Copyright 2026 The xsync Authors.

#include "xsync/errgroup/errors.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace xsync {
namespace errgroup {

namespace {

constexpr absl::string_view kPartsPayload = "xsync.errgroup/joined-parts";

// Payload format: for each part, 4-byte code, 8-byte length, message bytes.
void AppendPart(std::string& out, const absl::Status& part) {
  const uint32_t code = static_cast<uint32_t>(part.code());
  const uint64_t size = part.message().size();
  out.append(reinterpret_cast<const char*>(&code), sizeof(code));
  out.append(reinterpret_cast<const char*>(&size), sizeof(size));
  out.append(part.message().data(), part.message().size());
}

}  // namespace

absl::Status JoinErrors(const std::vector<absl::Status>& statuses) {
  std::vector<const absl::Status*> errors;
  for (const absl::Status& status : statuses) {
    if (!status.ok()) errors.push_back(&status);
  }
  if (errors.empty()) return absl::OkStatus();
  std::string message = absl::StrCat(errors.size(), " error(s) occurred: ");
  std::string parts;
  for (size_t i = 0; i < errors.size(); ++i) {
    absl::StrAppend(&message, i == 0 ? "" : ", ", "[", i, "] {",
                    errors[i]->message(), "}");
    AppendPart(parts, *errors[i]);
  }
  absl::Status joined(errors.front()->code(), message);
  joined.SetPayload(kPartsPayload, absl::Cord(parts));
  return joined;
}

std::vector<absl::Status> SplitErrors(const absl::Status& status) {
  if (status.ok()) return {};
  std::optional<absl::Cord> payload = status.GetPayload(kPartsPayload);
  if (!payload.has_value()) return {status};
  const std::string bytes(*payload);
  std::vector<absl::Status> parts;
  size_t at = 0;
  while (at + sizeof(uint32_t) + sizeof(uint64_t) <= bytes.size()) {
    uint32_t code;
    uint64_t size;
    std::memcpy(&code, bytes.data() + at, sizeof(code));
    at += sizeof(code);
    std::memcpy(&size, bytes.data() + at, sizeof(size));
    at += sizeof(size);
    if (size > bytes.size() - at) break;  // Corrupt: stop, keep what we have.
    parts.emplace_back(static_cast<absl::StatusCode>(code),
                       absl::string_view(bytes.data() + at, size));
    at += size;
  }
  return parts;
}

}  // namespace errgroup
}  // namespace xsync
