// Copyright 2026 The xsync Authors.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "xsync/context/context.h"

struct RunResult {
  std::vector<absl::StatusOr<std::string>> results;
  absl::Status first_error;
  int peak = 0;
};
using Work = std::function<absl::StatusOr<std::string>(const xsync::Context&,
                                                       const std::string&)>;
RunResult RunBounded(const std::vector<std::string>& args, int n,
                     absl::Duration timeout, const Work& do_work);

TEST(BoundedRunner, AtMostNAndPerTaskResults) {
  std::vector<std::string> args = {"a", "b", "c", "d", "e", "f", "g", "h"};
  RunResult r =
      RunBounded(args, 3, absl::Seconds(60),
                 [](const xsync::Context&, const std::string& a)
                     -> absl::StatusOr<std::string> { return a + "!"; });
  EXPECT_TRUE(r.first_error.ok());
  EXPECT_LE(r.peak, 3);
  for (size_t i = 0; i < args.size(); ++i)
    EXPECT_EQ(*r.results[i], args[i] + "!");
}

TEST(BoundedRunner, FirstErrorAndTimeout) {
  std::vector<std::string> args = {"ok", "bad", "slow"};
  RunResult r =
      RunBounded(args, 3, absl::Seconds(60),
                 [](const xsync::Context& ctx,
                    const std::string& a) -> absl::StatusOr<std::string> {
                   if (a == "bad") return absl::InvalidArgumentError("bad");
                   if (a == "slow") {
                     ctx.Wait();  // Stopped by the first error.
                     return ctx.Err();
                   }
                   return a;
                 });
  EXPECT_EQ(r.first_error, absl::InvalidArgumentError("bad"));
  EXPECT_TRUE(absl::IsCancelled(r.results[2].status()));

  RunResult timed =
      RunBounded({"slow"}, 1, absl::Milliseconds(20),
                 [](const xsync::Context& ctx,
                    const std::string&) -> absl::StatusOr<std::string> {
                   ctx.Wait();
                   return ctx.Err();
                 });
  EXPECT_TRUE(absl::IsDeadlineExceeded(timed.first_error));
}
