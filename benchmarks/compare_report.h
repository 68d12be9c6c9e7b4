// Copyright 2026 The xsync Authors.
//
// The compare runner's outputs: one table of rows (Markdown), the same rows
// as JSON, and a bar chart (SVG) with xsync's, Go's, TBB's and Asio's bars
// side by side per row.

#ifndef XSYNC_BENCHMARKS_COMPARE_REPORT_H_
#define XSYNC_BENCHMARKS_COMPARE_REPORT_H_

#include <cmath>
#include <string>
#include <vector>

#include "benchmarks/compare_peers.h"

namespace xsync {
namespace benchmarks {

// Where a row's peer figure comes from.
enum class Peer {
  kNone,  // The peer has no such case.
  kLive,  // Measured in this run (or why not, in Measurement::error).
  kNote,  // The peer has no such API; `go_note` says so.
};

// One case at one load, with the peers measured beside it.
struct Row {
  std::string workload;
  std::string label;
  std::string benchmark;  // The xsync (or baseline) Google Benchmark name.
  bool baseline = false;  // The workload's baseline (ratio 1.0).
  int load = 0;           // Busy threads beside the case.
  Measurement xsync;
  Peer go_peer = Peer::kNone;
  Measurement go;
  std::string go_note;  // Peer::kNote's text.
  Peer tbb_peer = Peer::kNone;
  Measurement tbb;
  Peer asio_peer = Peer::kNone;  // Asio, for the coroutine workloads.
  Measurement asio;
  std::string quoted;     // A quoted Go anchor (libraries Debian lacks).
  double ratio = NAN;     // xsync / the workload's baseline at this load.
  double ratio_go = NAN;  // xsync / Go.
};

// Formats nanoseconds as "123 ns", "4.5 us", "6.7 ms" or "1.23 s".
std::string Human(double ns);

// The table, one section per load and one sub-table per workload.
std::string Markdown(const std::vector<Row>& rows);

// One JSON object per row.
std::string Json(const std::vector<Row>& rows);

// Horizontal bars on a log scale, xsync, Go, TBB and Asio per row.
std::string Svg(const std::vector<Row>& rows);

}  // namespace benchmarks
}  // namespace xsync

#endif  // XSYNC_BENCHMARKS_COMPARE_REPORT_H_
