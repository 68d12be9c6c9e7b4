// Copyright 2026 The xsync Authors.

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "xsync/context/context.h"

std::string Md5Hex(const std::string& data);
absl::StatusOr<std::string> Md5File(const std::filesystem::path& path);
absl::StatusOr<std::map<std::string, std::string>> Md5All(
    const xsync::Context& parent, const std::filesystem::path& root);

TEST(Md5, Rfc1321TestSuite) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(Md5Hex("abcdefghijklmnopqrstuvwxyz"),
            "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(Md5Hex("12345678901234567890123456789012345678901234567890123456789"
                   "012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5All, MatchesASerialWalkAndReportsErrors) {
  const std::filesystem::path root =
      std::filesystem::path(::testing::TempDir()) / "md5all_example";
  std::filesystem::remove_all(root);
  for (int d = 0; d < 6; ++d) {
    const auto dir = root / ("d" + std::to_string(d)) / "sub";
    std::filesystem::create_directories(dir);
    for (int f = 0; f < 10; ++f) {
      std::ofstream(dir / ("f" + std::to_string(f)))
          << std::string(50 + 97 * f * d, static_cast<char>('a' + f));
    }
  }
  auto sums = Md5All(xsync::Context::Background(), root);
  ASSERT_TRUE(sums.ok()) << sums.status();
  std::map<std::string, std::string> serial;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) serial[e.path().string()] = *Md5File(e.path());
  }
  EXPECT_EQ(serial.size(), 60u);
  EXPECT_EQ(*sums, serial);

  EXPECT_FALSE(Md5All(xsync::Context::Background(), root / "missing").ok());
  auto [ctx, cancel] = xsync::WithCancel(xsync::Context::Background());
  cancel();
  EXPECT_TRUE(absl::IsCancelled(Md5All(ctx, root).status()));
}
