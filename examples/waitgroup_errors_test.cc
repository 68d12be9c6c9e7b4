// Copyright 2026 The xsync Authors.

#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "xsync/errgroup/errors.h"

absl::Status RunWaitGroupErrors(std::ostream& out, int failures);

TEST(WaitGroupErrors, NoneOneAndSeveral) {
  std::ostringstream out;
  EXPECT_TRUE(RunWaitGroupErrors(out, 0).ok());
  EXPECT_EQ(RunWaitGroupErrors(out, 1), absl::UnavailableError("fetch 0"));
  absl::Status two = RunWaitGroupErrors(out, 2);
  EXPECT_TRUE(absl::IsUnavailable(two));
  EXPECT_EQ(xsync::errgroup::SplitErrors(two).size(), 2u);
  EXPECT_NE(std::string(two.message()).find("2 error(s) occurred"),
            std::string::npos);
}

// What it prints is readable text: the message and each part's message,
// never the joined status's binary payload.
TEST(WaitGroupErrors, PrintsMessagesNotPayloadBytes) {
  std::ostringstream out;
  (void)RunWaitGroupErrors(out, 2);
  const std::string text = out.str();
  EXPECT_NE(text.find("Wait: UNAVAILABLE: 2 error(s) occurred"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  part: fetch 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  part: fetch 1\n"), std::string::npos) << text;
  for (char c : text) {
    EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f))
        << "unprintable byte " << static_cast<int>(c) << " in: " << text;
  }
}
