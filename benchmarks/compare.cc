// Copyright 2026 The xsync Authors.
//
// The main job: `./tools/bazel run -c opt //benchmarks:compare` runs a
// curated set of the Google Benchmark cases of every suite and prints one
// table: for each workload and each group type or baseline, xsync's time per
// task (or per call), the same workload on Go (x/sync, context, goroutines,
// time.AfterFunc; benchmarks/go/gobench.go), on oneTBB's task_group (task
// workloads) and on Asio's C++20 coroutines (coroutine workloads), all
// measured live in this run, the ratio xsync / Go, the ratio to the
// workload's baseline, and timer lateness where it applies. Go libraries
// that Debian lacks (go-pkgz/syncs, gollback, Hunch, schedgroup) keep quoted
// figures in a column of their own.
//
// Every case runs at idle cores first; then the task workloads run again
// with two threads spinning beside them (peers included), to show how each
// system degrades when the cores are busy.
//
//   --out=DIR      also write DIR/compare.json, compare.md and compare.svg
//   --filter=RE    only cases whose "workload case" matches RE
//   --load=N       run every case with N busy threads beside it (only)
//   --quick        short runs (under a minute), for CI smoke tests
//   --no-peers     skip Go, TBB and Asio

#include <unistd.h>

#include <climits>
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

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "benchmarks/compare_peers.h"
#include "benchmarks/compare_report.h"

namespace xsync {
namespace benchmarks {
namespace {

enum class Metric { kPerTask, kPerCall, kTimers };

// One curated case: an xsync (or baseline) benchmark and what it is
// compared with. Built with Make(...) and the chained setters below.
struct Case {
  const char* workload = "";
  const char* label = "";
  const char* benchmark = "";  // Exact Google Benchmark run name.
  Metric metric = Metric::kPerCall;
  bool baseline = false;     // The workload's baseline (ratio 1.0).
  const char* go_case = "";  // The Go suite's case, run live.
  int go_arg = 0;
  const char* go_note = "";  // Why Go has no such row.
  const char* tbb = "";      // The TBB benchmark, run in a child process.
  const char* asio = "";     // The Asio benchmark, likewise.
  const char* quoted = "";   // A quoted Go anchor.
  bool heavy = false;        // Skipped by --quick.
  bool busy = false;         // Also in the default busy-cores section.

  Case Baseline() const {
    return With([](Case& c) { c.baseline = true; });
  }
  Case Go(const char* name, int arg = 0) const {
    return With([&](Case& c) {
      c.go_case = name;
      c.go_arg = arg;
    });
  }
  Case GoNote(const char* note) const {
    return With([&](Case& c) { c.go_note = note; });
  }
  Case Tbb(const char* name) const {
    return With([&](Case& c) { c.tbb = name; });
  }
  Case Asio(const char* name) const {
    return With([&](Case& c) { c.asio = name; });
  }
  Case Quoted(const char* anchor) const {
    return With([&](Case& c) { c.quoted = anchor; });
  }
  Case Heavy() const {
    return With([](Case& c) { c.heavy = true; });
  }
  Case Busy() const {
    return With([](Case& c) { c.busy = true; });
  }

 private:
  template <typename F>
  Case With(F&& f) const {
    Case c = *this;
    f(c);
    return c;
  }
};

Case Make(const char* workload, const char* label, const char* benchmark,
          Metric metric) {
  Case c;
  c.workload = workload;
  c.label = label;
  c.benchmark = benchmark;
  c.metric = metric;
  return c;
}

// When and where the quoted anchors were measured.
constexpr char kQuotedWhere[] =
    "Quoted Go anchors: go-pkgz/syncs, gollback, Hunch and schedgroup (not in "
    "Debian), measured 2026-11 on the 2-vCPU development machine.";

// The curated set, run one case at a time in this order. Each workload's
// first baseline is what its ratios refer to. Workloads that leave thousands
// of idle threads in the pool (blocking tasks, parked fan-out) run last, so
// they do not colour the others.
const std::vector<Case>& Cases() {
  constexpr Metric kTask = Metric::kPerTask, kCall = Metric::kPerCall,
                   kTimers = Metric::kTimers;
  static constexpr char kEmpty[] = "empty tasks (10k)";
  static constexpr char k1us[] = "~1 us tasks (10k)";
  static constexpr char kCollect[] = "collectors (16 functions)";
  static constexpr char kSingle[] = "single task";
  static constexpr char kContext[] = "context";
  static constexpr char kTimer[] = "timers (delays in [0, 100 ms))";
  static constexpr char kFiring[] = "timer firing (100k due within 10 ms)";
  static constexpr char kSleep[] = "1,000 tasks blocking 1 ms";
  static constexpr char kFanOut[] = "fail-fast fan-out (10k parked)";
  static const auto* const cases = new std::vector<Case>{
      Make(kEmpty, "mutex+condvar pool (2)",
           "BM_Baseline_Empty_CondVarPool/2/real_time", kTask)
          .Baseline()
          .Busy(),
      Make(kEmpty, "errgroup, no limit", "BM_Errgroup_Empty/-1/real_time",
           kTask)
          .Go("errgroup_empty", -1)
          .Tbb("BM_Tbb_Empty/real_time")
          .Busy(),
      Make(kEmpty, "errgroup, no limit, coroutine tasks",
           "BM_Errgroup_CoroEmpty/real_time", kTask)
          .Go("errgroup_empty", -1)
          .Asio("BM_Asio_CoroEmpty/real_time")
          .Busy(),
      Make(kEmpty, "errgroup, limit 2, x/sync blocking Go",
           "BM_Errgroup_Empty/2/real_time", kTask)
          .Go("errgroup_empty", 2)
          .Busy(),
      Make(kEmpty, "errgroup, limit 8, x/sync blocking Go",
           "BM_Errgroup_Empty/8/real_time", kTask)
          .Go("errgroup_empty", 8)
          .Busy(),
      Make(kEmpty, "errgroup, limit 8, unbounded queue",
           "BM_Errgroup_Empty_Queued/8/real_time", kTask)
          .Busy(),
      Make(kEmpty, "SizedGroup(8)", "BM_SizedGroup/real_time", kTask)
          .Quoted("go-pkgz 645 ns")
          .Busy(),
      Make(kEmpty, "SizedGroup(8, Preemptive)",
           "BM_SizedGroup_Preemptive/real_time", kTask)
          .Quoted("go-pkgz 790 ns")
          .Busy(),
      Make(kEmpty,
           "floor for Preemptive: 8-slot lock-free ring to a spinning thread",
           "BM_Baseline_SpinningRing8/real_time", kTask),
      Make(kEmpty, "ErrSizedGroup(8)", "BM_ErrSizedGroup/real_time", kTask)
          .Quoted("go-pkgz 680 ns")
          .Busy(),
      Make(kEmpty, "executor hand-off (Go: go + sync.WaitGroup)",
           "BM_Empty_DefaultExecutor/real_time", kTask)
          .Go("go_waitgroup")
          .Busy(),
      Make(kEmpty, "std::thread per task",
           "BM_Baseline_Empty_ThreadPerTask/real_time", kTask),
      Make(kEmpty, "std::async per task", "BM_Empty_StdAsync/real_time", kTask),
      Make(k1us, "mutex+condvar pool (2)",
           "BM_Baseline_1usTasks_CondVarPool/real_time", kTask)
          .Baseline(),
      Make(k1us, "errgroup, no limit", "BM_Errgroup_1usTasks/real_time", kTask)
          .Go("errgroup_1us")
          .Tbb("BM_Tbb_1usTasks/real_time"),
      Make(k1us, "serial loop (no concurrency)",
           "BM_Baseline_1usTasks_SerialLoop/real_time", kTask),
      Make(kCollect, "std::thread per function",
           "BM_Baseline_ThreadPerFunction16/real_time", kCall)
          .Baseline(),
      Make(kCollect, "gollback.All", "BM_Gollback_All/16/real_time", kCall)
          .Quoted("8.8 us"),
      Make(kCollect, "gollback.Race", "BM_Gollback_Race/real_time", kCall)
          .Quoted("10.6 us"),
      Make(kCollect, "hunch.All", "BM_Hunch_All/real_time", kCall)
          .Quoted("19.3 us"),
      Make(kCollect, "hunch.Take(1 of 16)", "BM_Hunch_Take1Of16/real_time",
           kCall)
          .Quoted("14.6 us"),
      Make(kCollect, "hunch.Waterfall (16 steps)", "BM_Hunch_Waterfall16",
           kCall)
          .Quoted("13.8 us"),
      Make(kSingle, "std::thread + join",
           "BM_Baseline_SingleTask_Thread/real_time", kCall)
          .Baseline()
          .Busy(),
      Make(kSingle, "errgroup Go + Wait", "BM_Errgroup_SingleTask/real_time",
           kCall)
          .Go("errgroup_single")
          .Tbb("BM_Tbb_SingleTask/real_time")
          .Busy(),
      Make(kContext, "WithCancel + cancel", "BM_WithCancelThenCancel", kCall)
          .Go("withcancel"),
      Make(kContext, "cancel a parent of 100k children",
           "BM_CancelParentOfChildren/100000/iterations:10", kCall)
          .Go("cancel_children", 100000),
      Make(kContext, "AfterFunc + cancel", "BM_AfterFuncThenCancel", kCall)
          .GoNote("none: Go 1.19 has no context.AfterFunc"),
      Make(kContext, "Semaphore Acquire + Release",
           "BM_Semaphore_AcquireRelease", kCall)
          .Go("semaphore"),
      Make(kContext, "std::mutex lock + unlock (reference)",
           "BM_Baseline_StdMutexLockUnlock", kCall),
      // Timer rows differ in count (100k vs 2k), so their times are not
      // ratioed; compare the lateness columns.
      Make(kTimer, "thread per timer (2k timers)",
           "BM_Baseline_ThreadPerTimer/iterations:3/real_time", kTimers),
      Make(kTimer, "schedgroup (100k timers; Go: time.AfterFunc)",
           "BM_Schedgroup_100kTimers/iterations:3/real_time", kTimers)
          .Go("timers", 3)
          .Quoted("schedgroup p50 480 us, p99 8.8 ms"),
      Make(kTimer,
           "schedgroup, the same timers armed 250 ms ahead (firing alone)",
           "BM_Schedgroup_100kTimersArmedAhead/iterations:3/real_time",
           kTimers),
      Make(kTimer, "OS floor: one thread spinning on the 100k sorted deadlines",
           "BM_Baseline_SpinningThread_100kDeadlines/iterations:3/real_time",
           kTimers),
      Make(kTimer, "OS floor: the same, beside two busy threads (3 on 2 cores)",
           "BM_Baseline_SpinningThreadBesideTwoBusy_100kDeadlines/"
           "iterations:3/real_time",
           kTimers),
      Make(kTimer,
           "floor for arming while firing: per-0.5-ms lists, fired on the "
           "timer thread itself",
           "BM_Baseline_BucketedTimerThread_100kTimers/iterations:3/real_time",
           kTimers),
      Make(kTimer, "schedgroup arming alone (per timer)",
           "BM_Schedgroup_Arm100kNotDue/iterations:5/manual_time", kTask),
      Make(kFiring, "own timer heap, each callback run on its timer thread",
           "BM_Baseline_TimerHeapInline_Fire100kBurst/iterations:3/manual_time",
           kTask)
          .Baseline(),
      Make(kFiring, "schedgroup (due batches handed to the executor)",
           "BM_Schedgroup_Fire100kBurst/iterations:3/manual_time", kTask),
      Make(kSleep, "std::thread per task",
           "BM_Baseline_Sleep1ms_ThreadPerTask/real_time", kCall)
          .Baseline()
          .Busy(),
      Make(kSleep, "errgroup, no limit", "BM_Errgroup_Sleep1ms/real_time",
           kCall)
          .Go("errgroup_sleep1ms")
          .Tbb("BM_Tbb_Sleep1ms/real_time")
          .Busy(),
      Make(kSleep, "errgroup, coroutine tasks (co_await Sleep)",
           "BM_Errgroup_CoroSleep1ms/real_time", kCall)
          .Go("errgroup_sleep1ms")
          .Asio("BM_Asio_CoroSleep1ms/real_time")
          .Busy(),
      Make(kSleep, "schedgroup, all due at once",
           "BM_Schedgroup_Sleep1ms/real_time", kCall),
      Make(kSleep, "OS floor: 250 threads already parked",
           "BM_Baseline_Sleep1ms_ParkedThreads/250/iterations:5/real_time",
           kCall)
          .Busy(),
      Make(kSleep, "mutex+condvar pool (2)",
           "BM_Sleep1ms_CondVarPool/iterations:3/real_time", kCall)
          .Heavy(),
      Make(kFanOut, "OS floor: waking 5,000 parked threads",
           "BM_Baseline_FailFast_ParkedThreads/5000/iterations:3/real_time",
           kCall)
          .Baseline()
          .Heavy()
          .Busy(),
      Make(kFanOut, "errgroup, failing task first",
           "BM_Errgroup_FailFastFanOut/0/real_time", kCall)
          .Go("errgroup_failfast", 0)
          .Tbb("BM_Tbb_FailFastFanOut/0/real_time")
          .Busy(),
      Make(kFanOut, "errgroup, coroutine tasks, failing task first",
           "BM_Errgroup_CoroFailFastFanOut/0/real_time", kCall)
          .Go("errgroup_failfast", 0)
          .Asio("BM_Asio_CoroFailFastFanOut/0/real_time")
          .Busy(),
      Make(kFanOut, "errgroup, coroutine tasks, failing task 5,000th",
           "BM_Errgroup_CoroFailFastFanOut/5000/real_time", kCall)
          .Go("errgroup_failfast", 5000)
          .Asio("BM_Asio_CoroFailFastFanOut/5000/real_time")
          .Busy(),
      Make(kFanOut, "errgroup, coroutine tasks, failing task last",
           "BM_Errgroup_CoroFailFastFanOut/9999/real_time", kCall)
          .Go("errgroup_failfast", 9999)
          .Asio("BM_Asio_CoroFailFastFanOut/9999/real_time")
          .Busy(),
      Make(kFanOut, "errgroup, failing task 5,000th",
           "BM_Errgroup_FailFastFanOut/5000/real_time", kCall)
          .Go("errgroup_failfast", 5000)
          .Tbb("BM_Tbb_FailFastFanOut/5000/real_time")
          .Heavy()
          .Busy(),
      Make(kFanOut, "errgroup, failing task last",
           "BM_Errgroup_FailFastFanOut/9999/real_time", kCall)
          .Go("errgroup_failfast", 9999)
          .Tbb("BM_Tbb_FailFastFanOut/9999/real_time")
          .Heavy()
          .Busy(),
  };
  return *cases;
}

// The time per task (kPerTask rows report the "per_task" counter) or per
// iteration, and timer lateness, of a Google Benchmark run.
Measurement FromRun(const benchmark::BenchmarkReporter::Run& run,
                    bool per_task) {
  Measurement m;
  if (run.error_occurred) {
    m.error = run.error_message;
    return m;
  }
  auto counter = [&](const char* name) {
    auto c = run.counters.find(name);
    return c == run.counters.end() ? NAN : c->second.value;
  };
  m.ns = per_task ? counter("per_task") * 1e9
                  : run.GetAdjustedRealTime() * 1e9 /
                        benchmark::GetTimeUnitMultiplier(run.time_unit);
  m.p50_us = counter("late_p50_us");
  m.p99_us = counter("late_p99_us");
  return m;
}

// Keeps the one run of the benchmark it was made for.
class OneRunReporter : public benchmark::BenchmarkReporter {
 public:
  explicit OneRunReporter(bool per_task) : per_task_(per_task) {}
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration) result_ = FromRun(run, per_task_);
    }
  }
  const Measurement& result() const { return result_; }

 private:
  bool per_task_;
  Measurement result_{NAN, NAN, NAN, "not run"};
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

Measurement RunInProcess(const std::string& benchmark, bool per_task) {
  OneRunReporter reporter(per_task);
  benchmark::RunSpecifiedBenchmarks(
      &reporter, absl::StrCat("^", EscapeRegex(benchmark), "$"));
  return reporter.result();
}

void Usage(const char* argv0) {
  std::fprintf(
      stderr,
      "usage: %s [--out=DIR] [--filter=REGEX] [--load=N] [--quick] "
      "[--no-peers] [--help]\n"
      "  --out=DIR      also write DIR/compare.{json,md,svg}\n"
      "  --filter=RE    only cases whose \"workload case\" matches RE\n"
      "  --load=N       N busy threads beside every case (default: idle, then\n"
      "                 the task workloads again with 2 busy threads)\n"
      "  --quick        short runs (under a minute)\n"
      "  --no-peers     skip Go, oneTBB and Asio\n"
      "  --help         this text\n",
      argv0);
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

// gobench.go's absolute path (Go reads a relative one as an import path):
// in the runfiles tree under `bazel run`, else in the source tree of the
// workspace the command was run in.
std::string GoSource() {
  const char* relative = "benchmarks/go/gobench.go";
  char path[PATH_MAX];
  if (realpath(relative, path) != nullptr) return path;
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  return workspace == nullptr ? relative
                              : absl::StrCat(workspace, "/", relative);
}

struct Options {
  std::string out_dir;
  std::string filter;
  std::vector<int> loads = {0, 2};
  bool busy_section_only_busy_cases = true;  // False with --load.
  bool quick = false;
  bool peers = true;
  std::string child;  // --child=BENCHMARK: run it alone, print one line.
  bool child_per_task = false;
  bool help = false;  // --help: print the usage and stop.
};

// Parses the flags; returns false (after printing why) on a bad one.
bool ParseFlags(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    int load = 0;
    if (arg.rfind("--out=", 0) == 0) {
      o->out_dir = ResolveAgainstCallerDirectory(arg.substr(6));
    } else if (arg.rfind("--filter=", 0) == 0) {
      o->filter = arg.substr(9);
    } else if (arg.rfind("--load=", 0) == 0) {
      if (!absl::SimpleAtoi(arg.substr(7), &load) || load < 0 || load > 64) {
        std::fprintf(stderr, "compare: --load wants 0..64 busy threads\n");
        return false;
      }
      o->loads = {load};
      o->busy_section_only_busy_cases = false;
    } else if (arg == "--quick") {
      o->quick = true;
    } else if (arg == "--no-peers") {
      o->peers = false;
    } else if (arg == "--help" || arg == "-h") {
      o->help = true;
    } else if (arg.rfind("--child=", 0) == 0) {
      o->child = arg.substr(8);
    } else if (arg == "--child_per_task") {
      o->child_per_task = true;
    } else if (arg.rfind("--benchmark_", 0) == 0) {
      // Passed on to Google Benchmark.
    } else {
      std::fprintf(stderr, "compare: unknown argument '%s'\n", arg.c_str());
      Usage(argv[0]);
      return false;
    }
  }
  return true;
}

// The cases to run at `load`, in curated order.
std::vector<const Case*> Selected(const Options& o,
                                  const std::optional<std::regex>& filter,
                                  int load) {
  std::vector<const Case*> selected;
  for (const Case& c : Cases()) {
    if (o.quick && c.heavy) continue;
    if (load > 0 && o.busy_section_only_busy_cases && !c.busy) continue;
    if (filter.has_value() &&
        !std::regex_search(absl::StrCat(c.workload, " ", c.label), *filter)) {
      continue;
    }
    selected.push_back(&c);
  }
  return selected;
}

// Runs one case and its peers at `load`, all beside the same busy threads.
Row RunCase(const Case& c, int load, const Options& o, const GoSuite* go,
            const std::string& self) {
  Row row;
  row.workload = c.workload;
  row.label = c.label;
  row.benchmark = c.benchmark;
  row.baseline = c.baseline;
  row.load = load;
  row.quoted = c.quoted;
  const bool per_task = c.metric == Metric::kPerTask;
  BusyThreads busy(load);
  row.xsync = RunInProcess(c.benchmark, per_task);
  if (*c.go_note) {
    row.go_peer = Peer::kNote;
    row.go_note = c.go_note;
  } else if (*c.go_case && go != nullptr) {
    row.go_peer = Peer::kLive;
    row.go = go->Run(c.go_case, c.go_arg);
  }
  // C++ peers run in children of this binary, under a time limit.
  auto child = [&](const char* benchmark) {
    return RunChild(absl::StrCat("'", self, "' --child='", benchmark, "'",
                                 per_task ? " --child_per_task" : "",
                                 o.quick ? " --benchmark_min_time=0.02" : ""),
                    o.quick ? 3 : 6);
  };
  if (*c.tbb && o.peers) {
    row.tbb_peer = Peer::kLive;
    row.tbb = child(c.tbb);
  }
  if (*c.asio && o.peers) {
    row.asio_peer = Peer::kLive;
    row.asio = child(c.asio);
  }
  auto peer = [](const Measurement& m) {
    return m.error.empty() ? Human(m.ns) : m.error;
  };
  std::fprintf(stderr, "load %d  %-32s %-46s %10s  Go %10s  TBB %s  Asio %s\n",
               load, c.workload, c.label, Human(row.xsync.ns).c_str(),
               peer(row.go).c_str(), peer(row.tbb).c_str(),
               peer(row.asio).c_str());
  return row;
}

// Ratios to each workload's baseline (per load) and to Go.
void AddRatios(std::vector<Row>* rows) {
  std::map<std::pair<int, std::string>, double> baseline;
  for (const Row& r : *rows) {
    const auto key = std::make_pair(r.load, r.workload);
    if (r.baseline && !baseline.count(key)) baseline[key] = r.xsync.ns;
  }
  for (Row& r : *rows) {
    auto b = baseline.find(std::make_pair(r.load, r.workload));
    if (b != baseline.end() && b->second > 0) r.ratio = r.xsync.ns / b->second;
    if (r.go.ns > 0) r.ratio_go = r.xsync.ns / r.go.ns;
  }
}

int Main(int argc, char** argv) {
  Options o;
  if (!ParseFlags(argc, argv, &o)) return 2;
  if (o.help) {
    Usage(argv[0]);
    return 0;
  }
  std::optional<std::regex> filter;
  if (!o.filter.empty()) {
    try {
      filter.emplace(o.filter);
    } catch (const std::regex_error& e) {
      std::fprintf(stderr, "compare: bad --filter regex '%s': %s\n",
                   o.filter.c_str(), e.what());
      return 2;
    }
  }
  std::vector<std::string> bench_args = {argv[0]};
  if (o.quick) bench_args.push_back("--benchmark_min_time=0.02");
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]).rfind("--benchmark_", 0) == 0) {
      bench_args.push_back(argv[i]);
    }
  }
  std::vector<char*> bench_argv;
  for (auto& a : bench_args) bench_argv.push_back(a.data());
  int bench_argc = static_cast<int>(bench_argv.size());
  benchmark::Initialize(&bench_argc, bench_argv.data());

  if (!o.child.empty()) {  // A TBB or Asio case in its own process.
    std::printf(
        "%s\n",
        FormatResultLine(RunInProcess(o.child, o.child_per_task)).c_str());
    return 0;
  }

  std::vector<std::vector<const Case*>> plan;  // The cases, per load.
  size_t total = 0;
  for (int load : o.loads) {
    plan.push_back(Selected(o, filter, load));
    total += plan.back().size();
  }
  if (total == 0) {
    std::fprintf(stderr, "compare: no case matches --filter=%s\n",
                 o.filter.c_str());
    return 2;
  }
  std::optional<GoSuite> go;
  if (o.peers) {
    go.emplace(GoSource(), o.quick ? 0.02 : 0.5);
    if (!go->error().empty()) {
      std::fprintf(stderr, "compare: Go peer unavailable: %s\n",
                   go->error().c_str());
    }
  }
  std::fprintf(stderr, "compare: running %zu cases%s%s...\n", total,
               o.quick ? " (--quick)" : "",
               o.peers ? " with Go, oneTBB and Asio beside them" : "");
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  self[n > 0 ? n : 0] = '\0';

  // The first case of a fresh process, right after the Go build, reads
  // high (bimodally, for the mutex+condvar pool): one run is thrown away.
  if (!plan[0].empty()) {
    RunInProcess(plan[0].front()->benchmark, /*per_task=*/true);
  }
  std::vector<Row> rows;
  const CpuTicks ticks_before = ReadCpuTicks();
  for (size_t i = 0; i < plan.size(); ++i) {
    for (const Case* c : plan[i]) {
      rows.push_back(RunCase(*c, o.loads[i], o, go ? &*go : nullptr, self));
    }
  }
  const std::string machine = MachineLine(ticks_before, ReadCpuTicks());
  AddRatios(&rows);

  const std::string md =
      absl::StrCat(Markdown(rows), "\n", kQuotedWhere, "\n", machine);
  std::printf(
      "\nxsync compare (time per task for task workloads, per call "
      "otherwise; xsync / Go and the ratio to the workload's baseline are "
      "from this run)\n%s",
      md.c_str());
  if (!o.out_dir.empty()) {
    std::string cmd = absl::StrCat("mkdir -p '", o.out_dir, "'");
    if (std::system(cmd.c_str()) != 0 ||
        !WriteFile(o.out_dir + "/compare.md", md) ||
        !WriteFile(o.out_dir + "/compare.json", Json(rows)) ||
        !WriteFile(o.out_dir + "/compare.svg", Svg(rows))) {
      std::fprintf(stderr, "compare: could not write to %s\n",
                   o.out_dir.c_str());
      return 1;
    }
    std::printf("\ncompare: wrote %s/compare.{md,json,svg}\n",
                o.out_dir.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace benchmarks
}  // namespace xsync

int main(int argc, char** argv) { return xsync::benchmarks::Main(argc, argv); }
