// Copyright 2026 The xsync Authors.
//
// The compare runner's plumbing: result lines from peers, the watchdog on
// child processes, and the table, JSON and chart built from rows.

#include "benchmarks/compare_report.h"

#include <cmath>
#include <string>
#include <vector>

#include "benchmarks/compare_peers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xsync {
namespace benchmarks {
namespace {

using ::testing::HasSubstr;

TEST(CompareTest, ParsesResultLines) {
  Measurement m = ParseResultLine("ns=12.5 p50_us=-1 p99_us=-1");
  EXPECT_EQ(m.ns, 12.5);
  EXPECT_TRUE(std::isnan(m.p50_us));
  EXPECT_TRUE(m.error.empty());
  m = ParseResultLine("ns=100 p50_us=3 p99_us=40");
  EXPECT_EQ(m.p50_us, 3);
  EXPECT_EQ(m.p99_us, 40);
  EXPECT_EQ(ParseResultLine("error=go build failed").error, "go build failed");
  EXPECT_EQ(ParseResultLine("").error, "no result");
}

TEST(CompareTest, FormatAndParseRoundTrip) {
  Measurement m{250, NAN, NAN, ""};
  const Measurement back = ParseResultLine(FormatResultLine(m));
  EXPECT_EQ(back.ns, 250);
  EXPECT_TRUE(std::isnan(back.p99_us));
}

TEST(CompareTest, ChildResultIsTheLastLine) {
  const Measurement m =
      RunChild("printf 'noise\\nns=7 p50_us=-1 p99_us=-1\\n'", 30);
  EXPECT_TRUE(m.error.empty()) << m.error;
  EXPECT_EQ(m.ns, 7);
}

TEST(CompareTest, ChildThatOutlivesItsLimitIsADeadlock) {
  const Measurement m = RunChild("sleep 30", 1);
  EXPECT_EQ(m.error, "deadlock (> 1 s)");
  EXPECT_TRUE(std::isnan(m.ns));
}

TEST(CompareTest, ChildThatFailsSaysSo) {
  EXPECT_EQ(RunChild("sh -c 'echo ns=5; exit 3'", 30).error,
            "exited abnormally");
}

std::vector<Row> TwoRows() {
  Row base;
  base.workload = "empty tasks";
  base.label = "pool";
  base.baseline = true;
  base.xsync.ns = 100;
  base.ratio = 1;
  Row group = base;
  group.label = "errgroup";
  group.baseline = false;
  group.xsync.ns = 200;
  group.go_peer = Peer::kLive;
  group.go.ns = 400;
  group.ratio_go = 0.5;
  group.tbb_peer = Peer::kLive;
  group.tbb.error = "deadlock (> 6 s)";
  group.ratio = 2;
  group.asio_peer = Peer::kLive;
  group.asio.ns = 300;
  Row loaded = group;
  loaded.load = 2;
  return {base, group, loaded};
}

TEST(CompareTest, MarkdownHasPeersRatiosAndLoadSections) {
  const std::string md = Markdown(TwoRows());
  EXPECT_THAT(md, HasSubstr("## Idle cores (load 0)"));
  EXPECT_THAT(md, HasSubstr("## Busy cores (load 2"));
  EXPECT_THAT(md, HasSubstr("| errgroup | 200 ns | 400 ns | deadlock (> 6 s) | "
                            "300 ns | 0.50x | 2.00x | - | - |"));
  EXPECT_THAT(md, HasSubstr("| pool (baseline) | 100 ns | - | - | - |"));
}

TEST(CompareTest, JsonHasTheDocumentedFields) {
  const std::string json = Json(TwoRows());
  for (const char* field :
       {"\"workload\": \"empty tasks\"", "\"case\": \"errgroup\"",
        "\"load\": 2", "\"ns\": 200", "\"go_ns\": 400", "\"tbb_ns\": null",
        "\"tbb_note\": \"deadlock (> 6 s)\"", "\"asio_ns\": 300",
        "\"ratio_go\": 0.5", "\"late_p50_us\": null",
        "\"late_p99_us\": null"}) {
    EXPECT_THAT(json, HasSubstr(field));
  }
}

TEST(CompareTest, SvgDrawsEveryPeerAndSaysWhyOneIsMissing) {
  const std::string svg = Svg(TwoRows());
  EXPECT_THAT(svg, HasSubstr("#2aa876"));  // A Go bar.
  EXPECT_THAT(svg, HasSubstr("#9b59b6"));  // An Asio bar.
  EXPECT_THAT(svg, HasSubstr("TBB (live): deadlock (&gt; 6 s)"));
}

}  // namespace
}  // namespace benchmarks
}  // namespace xsync
