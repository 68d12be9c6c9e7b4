// Copyright 2026 The xsync Authors.
//
// The main job: `./tools/bazel run -c opt //benchmarks:compare` runs a
// curated set of the Google Benchmark cases of every suite and prints one
// table: for each workload and each group type or baseline, the time per task
// (or per call), the ratio to the baseline measured in the same run, timer
// lateness where it applies, and the Go anchor measured on the same machine.
//
//   --out=DIR      also write DIR/compare.json, compare.md and compare.svg
//   --filter=RE    only cases whose "workload case" matches RE
//   --quick        short runs (about 30 s), for CI smoke tests
//   --with-go      also run Go's x/sync (if Go is installed; see README)

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "benchmark/benchmark.h"

namespace {

enum class Metric { kPerTask, kPerCall, kTimers };

struct Case {
  const char* workload;
  const char* label;
  const char* benchmark;  // Exact Google Benchmark run name.
  Metric metric;
  bool baseline;       // The workload's baseline (ratio 1.0).
  const char* go;      // Go anchor on this machine, or "".
  bool heavy = false;  // Skipped by --quick.
};

// The curated set, run one case at a time in this order. Each workload's
// first baseline is what its ratios refer to. Workloads that leave thousands
// of idle threads in the pool (blocking tasks, parked fan-out) run last, so
// they do not colour the others.
const std::vector<Case>& Cases() {
  static const auto* const cases = new std::vector<Case>{
      {"empty tasks (10k)", "mutex+condvar pool (2)",
       "BM_Baseline_Empty_CondVarPool/2/real_time", Metric::kPerTask, true, ""},
      {"empty tasks (10k)", "errgroup, no limit",
       "BM_Errgroup_Empty/-1/real_time", Metric::kPerTask, false, "560 ns"},
      {"empty tasks (10k)", "errgroup, limit 8, x/sync blocking Go",
       "BM_Errgroup_Empty/8/real_time", Metric::kPerTask, false, "570-740 ns"},
      {"empty tasks (10k)", "errgroup, limit 8, unbounded queue",
       "BM_Errgroup_Empty_Queued/8/real_time", Metric::kPerTask, false, ""},
      {"empty tasks (10k)", "SizedGroup(8)", "BM_SizedGroup/real_time",
       Metric::kPerTask, false, "645 ns"},
      {"empty tasks (10k)", "SizedGroup(8, Preemptive)",
       "BM_SizedGroup_Preemptive/real_time", Metric::kPerTask, false, "790 ns"},
      {"empty tasks (10k)",
       "floor for Preemptive: 8-slot lock-free ring to a spinning thread",
       "BM_Baseline_SpinningRing8/real_time", Metric::kPerTask, false, ""},
      {"empty tasks (10k)", "ErrSizedGroup(8)", "BM_ErrSizedGroup/real_time",
       Metric::kPerTask, false, "680 ns"},
      {"empty tasks (10k)", "executor hand-off",
       "BM_Empty_DefaultExecutor/real_time", Metric::kPerTask, false, ""},
      {"empty tasks (10k)", "std::thread per task",
       "BM_Baseline_Empty_ThreadPerTask/real_time", Metric::kPerTask, false,
       ""},
      {"empty tasks (10k)", "std::async per task",
       "BM_Empty_StdAsync/real_time", Metric::kPerTask, false, ""},
      {"~1 us tasks (10k)", "mutex+condvar pool (2)",
       "BM_Baseline_1usTasks_CondVarPool/real_time", Metric::kPerTask, true,
       ""},
      {"~1 us tasks (10k)", "errgroup, no limit",
       "BM_Errgroup_1usTasks/real_time", Metric::kPerTask, false, ""},
      {"~1 us tasks (10k)", "serial loop (no concurrency)",
       "BM_Baseline_1usTasks_SerialLoop/real_time", Metric::kPerTask, false,
       ""},
      {"collectors (16 functions)", "std::thread per function",
       "BM_Baseline_ThreadPerFunction16/real_time", Metric::kPerCall, true, ""},
      {"collectors (16 functions)", "gollback.All",
       "BM_Gollback_All/16/real_time", Metric::kPerCall, false, "8.8 us"},
      {"collectors (16 functions)", "gollback.Race",
       "BM_Gollback_Race/real_time", Metric::kPerCall, false, "10.6 us"},
      {"collectors (16 functions)", "hunch.All", "BM_Hunch_All/real_time",
       Metric::kPerCall, false, "19.3 us"},
      {"collectors (16 functions)", "hunch.Take(1 of 16)",
       "BM_Hunch_Take1Of16/real_time", Metric::kPerCall, false, "14.6 us"},
      {"collectors (16 functions)", "hunch.Waterfall (16 steps)",
       "BM_Hunch_Waterfall16", Metric::kPerCall, false, "13.8 us"},
      {"single task", "std::thread + join",
       "BM_Baseline_SingleTask_Thread/real_time", Metric::kPerCall, true, ""},
      {"single task", "errgroup Go + Wait", "BM_Errgroup_SingleTask/real_time",
       Metric::kPerCall, false, "810 ns"},
      {"context", "WithCancel + cancel", "BM_WithCancelThenCancel",
       Metric::kPerCall, false, "400 ns"},
      {"context", "cancel a parent of 100k children",
       "BM_CancelParentOfChildren/100000/iterations:10", Metric::kPerCall,
       false, "23 ms"},
      {"context", "AfterFunc + cancel", "BM_AfterFuncThenCancel",
       Metric::kPerCall, false, ""},
      {"context", "Semaphore Acquire + Release", "BM_Semaphore_AcquireRelease",
       Metric::kPerCall, false, ""},
      {"context", "std::mutex lock + unlock (reference)",
       "BM_Baseline_StdMutexLockUnlock", Metric::kPerCall, false, ""},
      // Timer rows differ in count (100k vs 2k), so their times are not
      // ratioed; compare the lateness columns.
      {"timers (delays in [0, 100 ms))", "thread per timer (2k timers)",
       "BM_Baseline_ThreadPerTimer/iterations:3/real_time", Metric::kTimers,
       false, ""},
      {"timers (delays in [0, 100 ms))", "schedgroup (100k timers)",
       "BM_Schedgroup_100kTimers/iterations:3/real_time", Metric::kTimers,
       false, "p50 480 us, p99 8.8 ms"},
      {"timers (delays in [0, 100 ms))",
       "schedgroup, the same timers armed 250 ms ahead (firing alone)",
       "BM_Schedgroup_100kTimersArmedAhead/iterations:3/real_time",
       Metric::kTimers, false, ""},
      {"timers (delays in [0, 100 ms))",
       "OS floor: one thread spinning on the 100k sorted deadlines",
       "BM_Baseline_SpinningThread_100kDeadlines/iterations:3/real_time",
       Metric::kTimers, false, ""},
      {"timers (delays in [0, 100 ms))",
       "OS floor: the same, beside two busy threads (3 on 2 cores)",
       "BM_Baseline_SpinningThreadBesideTwoBusy_100kDeadlines/iterations:3/"
       "real_time",
       Metric::kTimers, false, ""},
      {"timers (delays in [0, 100 ms))",
       "floor for arming while firing: per-0.5-ms lists, fired on the timer "
       "thread itself",
       "BM_Baseline_BucketedTimerThread_100kTimers/iterations:3/real_time",
       Metric::kTimers, false, ""},
      {"timers (delays in [0, 100 ms))", "schedgroup arming alone (per timer)",
       "BM_Schedgroup_Arm100kNotDue/iterations:5/manual_time", Metric::kPerTask,
       false, ""},
      {"timer firing (100k due within 10 ms)",
       "own timer heap, each callback run on its timer thread",
       "BM_Baseline_TimerHeapInline_Fire100kBurst/iterations:3/manual_time",
       Metric::kPerTask, true, ""},
      {"timer firing (100k due within 10 ms)",
       "schedgroup (due batches handed to the executor)",
       "BM_Schedgroup_Fire100kBurst/iterations:3/manual_time", Metric::kPerTask,
       false, ""},
      {"1,000 tasks blocking 1 ms", "std::thread per task",
       "BM_Baseline_Sleep1ms_ThreadPerTask/real_time", Metric::kPerCall, true,
       ""},
      {"1,000 tasks blocking 1 ms", "errgroup, no limit",
       "BM_Errgroup_Sleep1ms/real_time", Metric::kPerCall, false, "2.1 ms"},
      {"1,000 tasks blocking 1 ms", "schedgroup, all due at once",
       "BM_Schedgroup_Sleep1ms/real_time", Metric::kPerCall, false, ""},
      {"1,000 tasks blocking 1 ms", "OS floor: 250 threads already parked",
       "BM_Baseline_Sleep1ms_ParkedThreads/250/iterations:5/real_time",
       Metric::kPerCall, false, ""},
      {"1,000 tasks blocking 1 ms", "mutex+condvar pool (2)",
       "BM_Sleep1ms_CondVarPool/iterations:3/real_time", Metric::kPerCall,
       false, "", true},
      {"fail-fast fan-out (10k parked)",
       "OS floor: waking 5,000 parked threads",
       "BM_Baseline_FailFast_ParkedThreads/5000/iterations:3/real_time",
       Metric::kPerCall, true, "", true},
      {"fail-fast fan-out (10k parked)", "errgroup, failing task first",
       "BM_Errgroup_FailFastFanOut/0/real_time", Metric::kPerCall, false,
       "6.1 ms"},
      {"fail-fast fan-out (10k parked)", "errgroup, failing task 5,000th",
       "BM_Errgroup_FailFastFanOut/5000/real_time", Metric::kPerCall, false,
       "6.1 ms", true},
  };
  return *cases;
}

struct Result {
  const Case* c;
  double ns = NAN;  // Per task or per call.
  double p50_us = NAN, p99_us = NAN;
  double ratio = NAN;
  std::string error;
};

std::string Human(double ns) {
  if (std::isnan(ns)) return "-";
  if (ns < 1e3) return absl::StrFormat("%.0f ns", ns);
  if (ns < 1e6) return absl::StrFormat("%.1f us", ns / 1e3);
  if (ns < 1e9) return absl::StrFormat("%.1f ms", ns / 1e6);
  return absl::StrFormat("%.2f s", ns / 1e9);
}

class CollectingReporter : public benchmark::BenchmarkReporter {
 public:
  CollectingReporter(std::map<std::string, Result>* results, size_t total)
      : results_(results), total_(total) {}

  bool ReportContext(const Context&) override { return true; }

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      auto it = results_->find(run.benchmark_name());
      if (it == results_->end()) continue;
      Result& r = it->second;
      if (run.error_occurred) {
        r.error = run.error_message;
      } else {
        const double unit_ns =
            1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
        r.ns = run.GetAdjustedRealTime() * unit_ns;
        auto counter = [&](const char* name) {
          auto c = run.counters.find(name);
          return c == run.counters.end() ? NAN : c->second.value;
        };
        if (r.c->metric == Metric::kPerTask) r.ns = counter("per_task") * 1e9;
        r.p50_us = counter("late_p50_us");
        r.p99_us = counter("late_p99_us");
      }
      ++done_;
      std::fprintf(stderr, "[%zu/%zu] %-34s %-40s %s\n", done_, total_,
                   r.c->workload, r.c->label, Human(r.ns).c_str());
    }
  }

 private:
  std::map<std::string, Result>* results_;
  size_t total_;
  size_t done_ = 0;
};

std::string EscapeRegex(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (std::string("\\^$.|?*+()[]{}").find(ch) != std::string::npos) {
      out += '\\';
    }
    out += ch;
  }
  return out;
}

void Usage(const char* argv0) {
  std::fprintf(
      stderr,
      "usage: %s [--out=DIR] [--filter=REGEX] [--quick] [--with-go]\n"
      "  --out=DIR      also write DIR/compare.{json,md,svg}\n"
      "  --filter=RE    only cases whose \"workload case\" matches RE\n"
      "  --quick        short runs (about 30 s)\n"
      "  --with-go      also run Go's x/sync if Go is installed\n",
      argv0);
}

std::string Markdown(const std::vector<Result>& results) {
  std::string md;
  std::string workload;
  for (const Result& r : results) {
    if (workload != r.c->workload) {
      workload = r.c->workload;
      absl::StrAppend(&md, "\n### ", workload, "\n\n",
                      "| case | time | ratio to baseline | timer lateness "
                      "p50 / p99 | Go anchor |\n|---|---|---|---|---|\n");
    }
    absl::StrAppend(
        &md, "| ", r.c->label, r.c->baseline ? " (baseline)" : "", " | ",
        r.error.empty() ? Human(r.ns) : "error: " + r.error, " | ",
        std::isnan(r.ratio) ? "-" : absl::StrFormat("%.2fx", r.ratio), " | ",
        std::isnan(r.p50_us)
            ? "-"
            : absl::StrCat(Human(r.p50_us * 1e3), " / ", Human(r.p99_us * 1e3)),
        " | ", *r.c->go ? r.c->go : "-", " |\n");
  }
  return md;
}

std::string Json(const std::vector<Result>& results) {
  std::vector<std::string> rows;
  auto num = [](double v) {
    return std::isnan(v) ? std::string("null") : absl::StrFormat("%.6g", v);
  };
  for (const Result& r : results) {
    rows.push_back(absl::StrFormat(
        "  {\"workload\": \"%s\", \"case\": \"%s\", \"benchmark\": \"%s\", "
        "\"baseline\": %s, \"ns\": %s, \"ratio\": %s, \"late_p50_us\": %s, "
        "\"late_p99_us\": %s, \"go_anchor\": \"%s\"}",
        r.c->workload, r.c->label, r.c->benchmark,
        r.c->baseline ? "true" : "false", num(r.ns), num(r.ratio),
        num(r.p50_us), num(r.p99_us), r.c->go));
  }
  return absl::StrCat("[\n", absl::StrJoin(rows, ",\n"), "\n]\n");
}

// Horizontal bars on a log scale (1 ns .. 10 s), grouped by workload.
std::string Svg(const std::vector<Result>& results) {
  const int kLabel = 360, kBars = 520, kRow = 20, kWidth = kLabel + kBars + 90;
  std::string body;
  int y = 50;
  std::string workload;
  auto x_of = [&](double ns) {
    const double lo = 0.0, hi = 10.0;  // log10(ns) from 1 ns to 10 s.
    double v = std::log10(std::max(ns, 1.0));
    return kLabel + static_cast<int>((v - lo) / (hi - lo) * kBars);
  };
  for (const Result& r : results) {
    if (workload != r.c->workload) {
      workload = r.c->workload;
      y += 10;
      absl::StrAppend(&body, absl::StrFormat("<text x=\"8\" y=\"%d\" "
                                             "font-weight=\"bold\">%s</text>\n",
                                             y + 14, workload));
      y += kRow;
    }
    absl::StrAppend(
        &body,
        absl::StrFormat(
            "<text x=\"20\" y=\"%d\">%s</text>\n", y + 14,
            absl::StrCat(r.c->label, r.c->baseline ? " (baseline)" : "")));
    if (!std::isnan(r.ns)) {
      absl::StrAppend(
          &body,
          absl::StrFormat("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "fill=\"%s\"/>\n",
                          kLabel, y + 3, std::max(1, x_of(r.ns) - kLabel),
                          kRow - 6, r.c->baseline ? "#999999" : "#3b7dd8"),
          absl::StrFormat(
              "<text x=\"%d\" y=\"%d\">%s</text>\n", x_of(r.ns) + 4, y + 14,
              absl::StrCat(Human(r.ns),
                           std::isnan(r.ratio)
                               ? ""
                               : absl::StrFormat(" (%.2fx)", r.ratio))));
    }
    y += kRow;
  }
  std::string axis;
  const char* ticks[] = {"1 ns", "10 ns", "100 ns", "1 us", "10 us", "100 us",
                         "1 ms", "10 ms", "100 ms", "1 s",  "10 s"};
  for (int i = 0; i <= 10; ++i) {
    const int x = kLabel + i * kBars / 10;
    absl::StrAppend(
        &axis,
        absl::StrFormat("<line x1=\"%d\" y1=\"40\" x2=\"%d\" y2=\"%d\" "
                        "stroke=\"#dddddd\"/>\n<text x=\"%d\" y=\"34\" "
                        "text-anchor=\"middle\" font-size=\"10\">%s</text>\n",
                        x, x, y, x, ticks[i]));
  }
  return absl::StrCat(
      absl::StrFormat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                      "height=\"%d\" font-family=\"sans-serif\" "
                      "font-size=\"12\">\n",
                      kWidth, y + 20),
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">xsync: "
      "time per task or call (log scale; lower is better; ratio to the "
      "workload's baseline)</text>\n",
      axis, body, "</svg>\n");
}

// The machine's CPU time so far, from the first line of /proc/stat: all of
// it, and the part a hypervisor gave to other guests while this one had
// work ("steal"). Zero where there is no /proc/stat.
struct CpuTicks {
  unsigned long long total = 0;
  unsigned long long steal = 0;
};

CpuTicks ReadCpuTicks() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;
  CpuTicks ticks;
  if (cpu != "cpu") return ticks;
  // user nice system idle iowait irq softirq steal: the eight that add up.
  for (int field = 0; field < 8; ++field) {
    unsigned long long value = 0;
    if (!(in >> value)) return CpuTicks();
    ticks.total += value;
    if (field == 7) ticks.steal = value;
  }
  return ticks;
}

// One line saying how much CPU the hypervisor took away during the run:
// short tasks and hand-offs between threads slow down by far more than
// that share when a virtual CPU is descheduled, so times from runs with
// much steal are not comparable with each other (ratios hold up better).
std::string MachineLine(const CpuTicks& before, const CpuTicks& after) {
  if (after.total <= before.total) return "";
  const double steal = 100.0 * static_cast<double>(after.steal - before.steal) /
                       static_cast<double>(after.total - before.total);
  return absl::StrFormat(
      "\nMachine during the run: %d CPUs; %.0f%% of CPU time stolen by the "
      "hypervisor (/proc/stat). Times with much steal swing widely; compare "
      "ratios.\n",
      static_cast<int>(std::thread::hardware_concurrency()), steal);
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  return static_cast<bool>(out);
}

// `bazel run` starts the binary in its runfiles tree; a relative --out is
// meant relative to where the user ran the command.
std::string ResolveAgainstCallerDirectory(const std::string& path) {
  const char* caller_dir = std::getenv("BUILD_WORKING_DIRECTORY");
  if (path.empty() || path[0] == '/' || caller_dir == nullptr) return path;
  return absl::StrCat(caller_dir, "/", path);
}

}  // namespace

int main(int argc, char** argv) {
  std::string out_dir, filter;
  bool quick = false, with_go = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--out=", 0) == 0) {
      out_dir = ResolveAgainstCallerDirectory(arg.substr(6));
    } else if (arg.rfind("--filter=", 0) == 0) {
      filter = arg.substr(9);
    } else if (arg == "--quick") {
      quick = true;
    } else if (arg == "--with-go") {
      with_go = true;
    } else if (arg == "--help" || arg == "-h") {
      Usage(argv[0]);
      return 0;
    } else {
      std::fprintf(stderr, "compare: unknown argument '%s'\n", arg.c_str());
      Usage(argv[0]);
      return 2;
    }
  }
  std::optional<std::regex> filter_re;
  if (!filter.empty()) {
    try {
      filter_re.emplace(filter);
    } catch (const std::regex_error& e) {
      std::fprintf(stderr, "compare: bad --filter regex '%s': %s\n",
                   filter.c_str(), e.what());
      return 2;
    }
  }
  if (with_go) {
    if (std::system("command -v go >/dev/null 2>&1") != 0) {
      std::fprintf(stderr,
                   "compare: --with-go: Go is not installed. To compare with "
                   "Go's x/sync, run: sudo apt-get install golang-go "
                   "golang-golang-x-sync-dev. Continuing without Go.\n");
    } else {
      std::fprintf(stderr,
                   "compare: --with-go: the Go suite is not part of this "
                   "version yet; the table shows the Go anchors measured on "
                   "the development machine. Continuing.\n");
    }
  }

  std::map<std::string, Result> results;
  std::vector<std::string> names;
  for (const Case& c : Cases()) {
    if (quick && c.heavy) continue;
    if (filter_re.has_value() &&
        !std::regex_search(absl::StrCat(c.workload, " ", c.label),
                           *filter_re)) {
      continue;
    }
    results[c.benchmark].c = &c;
    names.push_back(EscapeRegex(c.benchmark));
  }
  if (names.empty()) {
    std::fprintf(stderr, "compare: no case matches --filter=%s\n",
                 filter.c_str());
    return 2;
  }
  std::vector<std::string> bench_args = {argv[0]};
  if (quick) bench_args.push_back("--benchmark_min_time=0.02");
  std::vector<char*> bench_argv;
  for (auto& a : bench_args) bench_argv.push_back(a.data());
  int bench_argc = static_cast<int>(bench_argv.size());
  benchmark::Initialize(&bench_argc, bench_argv.data());

  std::fprintf(stderr, "compare: running %zu cases%s (about %s)...\n",
               names.size(), quick ? " (--quick)" : "",
               quick ? "30 s" : "1 min");
  CollectingReporter reporter(&results, names.size());
  const CpuTicks ticks_before = ReadCpuTicks();
  for (const std::string& name : names) {
    benchmark::RunSpecifiedBenchmarks(&reporter, absl::StrCat("^", name, "$"));
  }
  const std::string machine = MachineLine(ticks_before, ReadCpuTicks());

  // In curated order, with ratios to each workload's baseline.
  std::vector<Result> ordered;
  std::map<std::string, double> baseline;
  for (const Case& c : Cases()) {
    auto it = results.find(c.benchmark);
    if (it == results.end() || it->second.c != &c) continue;
    if (c.baseline && !baseline.count(c.workload)) {
      baseline[c.workload] = it->second.ns;
    }
    ordered.push_back(it->second);
  }
  for (Result& r : ordered) {
    auto b = baseline.find(r.c->workload);
    if (b != baseline.end() && b->second > 0 && !std::isnan(r.ns)) {
      r.ratio = r.ns / b->second;
    }
  }
  const std::string md = Markdown(ordered) + machine;
  std::printf(
      "\nxsync compare (time per task for task workloads, per call "
      "otherwise; ratio = time / the workload's baseline in this "
      "run)\n%s",
      md.c_str());
  if (!out_dir.empty()) {
    std::string cmd = absl::StrCat("mkdir -p '", out_dir, "'");
    if (std::system(cmd.c_str()) != 0 ||
        !WriteFile(out_dir + "/compare.md", md) ||
        !WriteFile(out_dir + "/compare.json", Json(ordered)) ||
        !WriteFile(out_dir + "/compare.svg", Svg(ordered))) {
      std::fprintf(stderr, "compare: could not write to %s\n", out_dir.c_str());
      return 1;
    }
    std::fprintf(stderr, "compare: wrote %s/compare.{md,json,svg}\n",
                 out_dir.c_str());
  }
  return 0;
}
