// Copyright 2026 The xsync Authors.

#include <functional>
#include <sstream>
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
RunResult RunLessonScenario(std::ostream& out);

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

// The lesson's run: 20 arguments, 5 at a time, task 10 failing, a timeout.
// Which of the two ends the run depends on timing (as in Go); what does not:
// never more than 5 at once, every slot says how its task ended (nothing is
// left running or unaccounted, unlike the Go run()'s leaked goroutine), and
// task 10, if it ran, holds its own error.
TEST(BoundedRunner, TheLessonsScenario) {
  std::ostringstream out;
  const RunResult r = RunLessonScenario(out);
  EXPECT_LE(r.peak, 5);
  EXPECT_TRUE(r.first_error.message() == "test error" ||
              absl::IsDeadlineExceeded(r.first_error))
      << r.first_error;
  ASSERT_EQ(r.results.size(), 20u);
  for (size_t i = 0; i < r.results.size(); ++i) {
    const auto& slot = r.results[i];
    if (slot.ok()) {
      EXPECT_EQ(*slot, "result-arg:" + std::to_string(i));
    } else if (i == 10 && slot.status().message() == "test error") {
      continue;
    } else {
      EXPECT_TRUE(absl::IsCancelled(slot.status()) ||
                  absl::IsDeadlineExceeded(slot.status()))
          << i << ": " << slot.status();
    }
  }
}
