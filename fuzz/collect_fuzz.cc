// Copyright 2026 The xsync Authors.
//
// Fuzzes gollback (All, Race, Retry) and hunch (All, Take, Last, Retry,
// Waterfall) against models of their headers. A program picks a call, up
// to 12 functions that succeed with a value, fail, throw, or wait for their
// context (only where the call surely cancels it), a count, and retries
// with per-attempt outcomes.
//
// Checked: All's results in input order, each exactly its function's;
// Race's winner is a success (else a failure); Take and Last return values
// that successes produced, as many as asked, or a failure's error; Retry
// makes exactly the attempts the rule allows and keeps the last error's
// code (hunch's message "max retries exceeded (N times): ..."); bad counts
// are InvalidArgument naming the call; a throw is rethrown.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "fuzz/check.h"
#include "xsync/context/context.h"
#include "xsync/gollback/gollback.h"
#include "xsync/hunch/hunch.h"

namespace xsync {
namespace fuzz {
namespace {

using Fn = std::function<absl::StatusOr<int>(const Context&)>;

enum class Kind { kSucceed, kFail, kThrow, kWaitContext };

struct Plan {
  std::vector<Kind> kinds;
  std::multiset<int> values;  // What the successes return.
  std::set<std::string> failures;
  bool throws = false;

  int successes() const { return static_cast<int>(values.size()); }
};

absl::StatusOr<int> Outcome(Kind kind, int i, const Context& ctx) {
  switch (kind) {
    case Kind::kSucceed:
      return 100 + i;
    case Kind::kFail:
      return absl::InternalError(absl::StrCat("fail ", i));
    case Kind::kThrow:
#ifdef ABSL_HAVE_EXCEPTIONS
      throw std::runtime_error(absl::StrCat("throw ", i));
#else
      return absl::InternalError(absl::StrCat("fail ", i));
#endif
    case Kind::kWaitContext:
      ctx.Wait();
      return ctx.Err();
  }
  return absl::UnknownError("unreachable");
}

// `allow_wait`: context waiters are allowed (the call will cancel them).
Plan MakePlan(Program& program, bool allow_throw) {
  Plan plan;
  const int n = program.Below(13);
  for (int i = 0; i < n; ++i) {
    Kind kind = static_cast<Kind>(program.Below(3));
#ifndef ABSL_HAVE_EXCEPTIONS
    if (kind == Kind::kThrow) kind = Kind::kFail;
#endif
    if (kind == Kind::kThrow && !allow_throw) kind = Kind::kFail;
    plan.kinds.push_back(kind);
    if (kind == Kind::kSucceed) plan.values.insert(100 + i);
    if (kind == Kind::kFail) plan.failures.insert(absl::StrCat("fail ", i));
    plan.throws |= kind == Kind::kThrow;
  }
  return plan;
}

std::vector<Fn> Functions(const Plan& plan) {
  std::vector<Fn> fns;
  for (size_t i = 0; i < plan.kinds.size(); ++i) {
    const Kind kind = plan.kinds[i];
    fns.push_back([kind, i](const Context& ctx) {
      return Outcome(kind, static_cast<int>(i), ctx);
    });
  }
  return fns;
}

bool IsFailure(const Plan& plan, const absl::Status& status) {
  return plan.failures.count(std::string(status.message())) > 0;
}

// Runs `call`, returning true if it threw (which only a plan with a
// thrower may do).
template <typename Call>
bool Threw(const Plan& plan, Call call) {
#ifdef ABSL_HAVE_EXCEPTIONS
  try {
    call();
  } catch (const std::runtime_error& e) {
    XSYNC_FUZZ_CHECK(plan.throws && absl::StartsWith(e.what(), "throw"),
                     std::string("an unexpected throw: ") + e.what());
    return true;
  }
#else
  (void)plan;
  call();
#endif
  return false;
}

void GollbackAll(Program& program) {
  const Plan plan = MakePlan(program, /*allow_throw=*/true);
  std::vector<absl::StatusOr<int>> results;
  const bool threw = Threw(plan, [&] {
    results = gollback::All(Context::Background(), Functions(plan));
  });
  XSYNC_FUZZ_CHECK(threw == plan.throws, "All rethrows a throw");
  if (threw) return;
  XSYNC_FUZZ_CHECK(results.size() == plan.kinds.size(), "one result each");
  for (size_t i = 0; i < results.size(); ++i) {
    if (plan.kinds[i] == Kind::kSucceed) {
      XSYNC_FUZZ_CHECK(results[i].ok() && *results[i] == 100 + int(i),
                       "All: a success's value in its place");
    } else {
      XSYNC_FUZZ_CHECK(
          results[i].status().message() == absl::StrCat("fail ", i),
          "All: a failure's error in its place");
    }
  }
}

void GollbackRace(Program& program) {
  Plan plan = MakePlan(program, /*allow_throw=*/false);
  // Losers waiting for their context: cancelled once a success wins.
  if (plan.successes() > 0 && program.Bit()) {
    plan.kinds.push_back(Kind::kWaitContext);
  }
  const absl::StatusOr<int> result =
      gollback::Race(Context::Background(), Functions(plan));
  if (plan.kinds.empty()) {
    XSYNC_FUZZ_CHECK(absl::IsInvalidArgument(result.status()),
                     "Race of nothing");
  } else if (plan.successes() > 0) {
    XSYNC_FUZZ_CHECK(result.ok() && plan.values.count(*result) == 1,
                     "Race: a success wins");
  } else {
    XSYNC_FUZZ_CHECK(IsFailure(plan, result.status()),
                     "Race: all failed, a failure's error");
  }
}

// Attempt outcomes for Retry: fail until `succeed_at` (or for ever if -1).
struct Attempts {
  int succeed_at;
  int made = 0;
  absl::StatusOr<int> operator()(const Context&) {
    const int i = made++;
    if (i == succeed_at) return 7;
    return absl::Status(static_cast<absl::StatusCode>(1 + i % 15),
                        absl::StrCat("attempt ", i));
  }
};

void Retry(Program& program, bool hunch) {
  const int retries = program.Between(-2, 6);
  int succeed_at = program.Between(-1, 8);
  // "Until success" needs one to come.
  if (retries <= 0 && succeed_at < 0) succeed_at = 8;
  Attempts attempts{succeed_at};
  auto fn = std::ref(attempts);
  const absl::StatusOr<int> result =
      hunch ? hunch::Retry(Context::Background(), retries,
                           [&](const Context& c) { return fn(c); })
            : gollback::Retry(Context::Background(), retries,
                              [&](const Context& c) { return fn(c); });
  if (hunch && retries < 0) {
    XSYNC_FUZZ_CHECK(absl::IsInvalidArgument(result.status()) &&
                         absl::StrContains(result.status().message(), "Retry"),
                     "hunch Retry with negative retries");
    XSYNC_FUZZ_CHECK(attempts.made == 0, "no attempt on bad input");
    return;
  }
  const bool bounded = retries > 0;
  const bool succeeds = succeed_at >= 0 && (!bounded || succeed_at < retries);
  if (succeeds) {
    XSYNC_FUZZ_CHECK(result.ok() && *result == 7, "Retry: the success");
    XSYNC_FUZZ_CHECK(attempts.made == succeed_at + 1, "Retry: attempts");
    return;
  }
  XSYNC_FUZZ_CHECK(attempts.made == retries, "Retry: every attempt made");
  const int last = retries - 1;
  XSYNC_FUZZ_CHECK(
      result.status().code() == static_cast<absl::StatusCode>(1 + last % 15),
      "Retry keeps the last attempt's code");
  const std::string message = absl::StrCat("attempt ", last);
  if (hunch) {
    XSYNC_FUZZ_CHECK(result.status().message() ==
                         absl::StrCat("max retries exceeded (", retries,
                                      " times): ", message),
                     "hunch Retry's message: " + result.status().ToString());
  } else {
    XSYNC_FUZZ_CHECK(result.status().message() == message,
                     "gollback Retry returns the last error");
  }
}

void HunchAll(Program& program) {
  Plan plan = MakePlan(program, /*allow_throw=*/true);
  // Waiters end once a failure cancels the rest.
  if (!plan.failures.empty() && !plan.throws && program.Bit()) {
    plan.kinds.push_back(Kind::kWaitContext);
  }
  absl::StatusOr<std::vector<int>> result;
  const bool threw = Threw(plan, [&] {
    result = hunch::All(Context::Background(), Functions(plan));
  });
  if (threw) return;
  XSYNC_FUZZ_CHECK(!plan.throws || !plan.failures.empty(),
                   "hunch All rethrows a throw unless a failure came first");
  if (plan.failures.empty()) {
    XSYNC_FUZZ_CHECK(result.ok() && result->size() == plan.kinds.size(),
                     "hunch All: every value");
    for (size_t i = 0; i < result->size(); ++i) {
      XSYNC_FUZZ_CHECK((*result)[i] == 100 + int(i), "in input order");
    }
  } else {
    XSYNC_FUZZ_CHECK(IsFailure(plan, result.status()),
                     "hunch All: the first failure");
  }
}

void HunchTakeOrLast(Program& program, bool take) {
  const Plan plan = MakePlan(program, /*allow_throw=*/false);
  const int num = program.Between(-1, 13);
  const absl::StatusOr<std::vector<int>> result =
      take ? hunch::Take(Context::Background(), num, Functions(plan))
           : hunch::Last(Context::Background(), num, Functions(plan));
  if (num <= 0) {
    XSYNC_FUZZ_CHECK(absl::IsInvalidArgument(result.status()) &&
                         absl::StrContains(result.status().message(),
                                           take ? "Take" : "Last"),
                     "a bad count names the call");
    return;
  }
  const int n = static_cast<int>(plan.kinds.size());
  const int wanted = std::min(num, n);
  // Last needs every function to succeed; Take, `wanted` successes before
  // any failure (order decides when both could happen).
  const bool can_succeed =
      take ? plan.successes() >= wanted : plan.failures.empty();
  const bool can_fail = !plan.failures.empty();
  if (result.ok()) {
    XSYNC_FUZZ_CHECK(can_succeed, "succeeded without enough successes");
    XSYNC_FUZZ_CHECK(static_cast<int>(result->size()) == wanted,
                     absl::StrCat("got ", result->size(), " of ", wanted));
    std::multiset<int> left = plan.values;
    for (int v : *result) {
      auto it = left.find(v);
      XSYNC_FUZZ_CHECK(it != left.end(), "a value no success produced");
      left.erase(it);
    }
  } else {
    XSYNC_FUZZ_CHECK(can_fail && IsFailure(plan, result.status()),
                     "failed without a failure: " + result.status().ToString());
  }
}

void HunchWaterfall(Program& program) {
  const int fail_at = program.Between(-1, 2);  // The failing step, if any.
  int steps = 0;
  auto step = [&](int i, int in) -> absl::StatusOr<int> {
    ++steps;
    if (i == fail_at) return absl::AbortedError(absl::StrCat("step ", i));
    return in * 2 + i;
  };
  const absl::StatusOr<int> result = hunch::Waterfall(
      Context::Background(), [&](const Context&) { return step(0, 1); },
      [&](const Context&, int v) { return step(1, v); },
      [&](const Context&, int v) { return step(2, v); });
  if (fail_at < 0) {
    XSYNC_FUZZ_CHECK(result.ok() && *result == ((1 * 2 + 0) * 2 + 1) * 2 + 2,
                     "Waterfall chains every step");
    XSYNC_FUZZ_CHECK(steps == 3, "every step ran");
  } else {
    XSYNC_FUZZ_CHECK(
        result.status().message() == absl::StrCat("step ", fail_at),
        "Waterfall stops at the failing step");
    XSYNC_FUZZ_CHECK(steps == fail_at + 1, "no step after a failure");
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace xsync

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xsync::fuzz::Program program(data, size);
  while (!program.done()) {
    switch (program.Below(9)) {
      case 0:
        xsync::fuzz::GollbackAll(program);
        break;
      case 1:
        xsync::fuzz::GollbackRace(program);
        break;
      case 2:
        xsync::fuzz::Retry(program, /*hunch=*/false);
        break;
      case 3:
        xsync::fuzz::Retry(program, /*hunch=*/true);
        break;
      case 4:
        xsync::fuzz::HunchAll(program);
        break;
      case 5:
        xsync::fuzz::HunchTakeOrLast(program, /*take=*/true);
        break;
      case 6:
        xsync::fuzz::HunchTakeOrLast(program, /*take=*/false);
        break;
      default:
        xsync::fuzz::HunchWaterfall(program);
        break;
    }
  }
  return 0;
}
