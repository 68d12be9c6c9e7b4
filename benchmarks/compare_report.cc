// Copyright 2026 The xsync Authors.

#include "benchmarks/compare_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace xsync {
namespace benchmarks {
namespace {

std::string Figure(const Measurement& m) {
  return m.error.empty() ? Human(m.ns) : m.error;
}

std::string PeerCell(Peer peer, const Measurement& m, const std::string& note) {
  switch (peer) {
    case Peer::kNone:
      return "-";
    case Peer::kNote:
      return note;
    case Peer::kLive:
      return Figure(m);
  }
  return "-";
}

std::string Lateness(const Measurement& m) {
  if (std::isnan(m.p50_us)) return "";
  return absl::StrCat(Human(m.p50_us * 1e3), " / ", Human(m.p99_us * 1e3));
}

std::string LatenessCell(const Row& r) {
  std::vector<std::string> parts;
  if (!Lateness(r.xsync).empty()) parts.push_back(Lateness(r.xsync));
  if (!Lateness(r.go).empty()) parts.push_back("Go " + Lateness(r.go));
  return parts.empty() ? "-" : absl::StrJoin(parts, "; ");
}

std::string Ratio(double ratio) {
  return std::isnan(ratio) ? "-" : absl::StrFormat("%.2fx", ratio);
}

std::string LoadHeading(int load) {
  if (load == 0) return "Idle cores (load 0)";
  return absl::StrFormat(
      "Busy cores (load %d: %d thread%s spinning beside every case, peers "
      "included)",
      load, load, load == 1 ? "" : "s");
}

// Where the rows, in order, start a new load section or workload table (a
// new load starts a new workload too).
class Sections {
 public:
  struct Starts {
    bool load;
    bool workload;
  };
  Starts Next(const Row& r) {
    Starts starts;
    starts.load = r.load != load_;
    starts.workload = starts.load || r.workload != workload_;
    load_ = r.load;
    workload_ = r.workload;
    return starts;
  }

 private:
  int load_ = -1;
  std::string workload_;
};

std::string Label(const Row& r) {
  return absl::StrCat(r.label, r.baseline ? " (baseline)" : "");
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '&') {
      out += "&amp;";
    } else if (ch == '<') {
      out += "&lt;";
    } else if (ch == '>') {
      out += "&gt;";
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

std::string Human(double ns) {
  if (std::isnan(ns)) return "-";
  if (ns < 1e3) return absl::StrFormat("%.0f ns", ns);
  if (ns < 1e6) return absl::StrFormat("%.1f us", ns / 1e3);
  if (ns < 1e9) return absl::StrFormat("%.1f ms", ns / 1e6);
  return absl::StrFormat("%.2f s", ns / 1e9);
}

std::string Markdown(const std::vector<Row>& rows) {
  std::string md;
  Sections sections;
  for (const Row& r : rows) {
    const Sections::Starts starts = sections.Next(r);
    if (starts.load) absl::StrAppend(&md, "\n## ", LoadHeading(r.load), "\n");
    if (starts.workload) {
      absl::StrAppend(&md, "\n### ", r.workload, "\n\n",
                      "| case | xsync | Go | TBB | Asio | xsync / Go | ratio "
                      "to baseline | lateness p50 / p99 | quoted Go anchor "
                      "|\n|---|---|---|---|---|---|---|---|---|\n");
    }
    absl::StrAppend(&md, "| ", Label(r), " | ", Figure(r.xsync), " | ",
                    PeerCell(r.go_peer, r.go, r.go_note), " | ",
                    PeerCell(r.tbb_peer, r.tbb, ""), " | ",
                    PeerCell(r.asio_peer, r.asio, ""), " | ", Ratio(r.ratio_go),
                    " | ", Ratio(r.ratio), " | ", LatenessCell(r), " | ",
                    r.quoted.empty() ? "-" : r.quoted, " |\n");
  }
  return md;
}

std::string Json(const std::vector<Row>& rows) {
  std::vector<std::string> objects;
  auto num = [](double v) {
    return std::isnan(v) ? std::string("null") : absl::StrFormat("%.6g", v);
  };
  auto str = [](const std::string& s) {
    return s.empty() ? std::string("null")
                     : absl::StrCat("\"", Escape(s), "\"");
  };
  auto peer_note = [](Peer peer, const Measurement& m,
                      const std::string& note) {
    if (peer == Peer::kNote) return note;
    return peer == Peer::kLive ? m.error : std::string();
  };
  for (const Row& r : rows) {
    objects.push_back(absl::StrCat(
        "  {\"workload\": ", str(r.workload), ", \"case\": ", str(r.label),
        ", \"benchmark\": ", str(r.benchmark),
        ", \"baseline\": ", r.baseline ? "true" : "false",
        ", \"load\": ", r.load, ", \"ns\": ", num(r.xsync.ns),
        ", \"error\": ", str(r.xsync.error), ", \"go_ns\": ", num(r.go.ns),
        ", \"go_note\": ", str(peer_note(r.go_peer, r.go, r.go_note)),
        ", \"tbb_ns\": ", num(r.tbb.ns),
        ", \"tbb_note\": ", str(peer_note(r.tbb_peer, r.tbb, "")),
        ", \"asio_ns\": ", num(r.asio.ns),
        ", \"asio_note\": ", str(peer_note(r.asio_peer, r.asio, "")),
        ", \"ratio_go\": ", num(r.ratio_go), ", \"ratio\": ", num(r.ratio),
        ", \"late_p50_us\": ", num(r.xsync.p50_us), ", \"late_p99_us\": ",
        num(r.xsync.p99_us), ", \"go_late_p50_us\": ", num(r.go.p50_us),
        ", \"go_late_p99_us\": ", num(r.go.p99_us),
        ", \"quoted_go\": ", str(r.quoted), "}"));
  }
  return absl::StrCat("[\n", absl::StrJoin(objects, ",\n"), "\n]\n");
}

std::string Svg(const std::vector<Row>& rows) {
  // Labels are measured at about 7 px a character (12 px sans-serif), so
  // the longest one fits; bars span 1 ns .. 10 s on a log scale.
  size_t longest = 0;
  for (const Row& r : rows) longest = std::max(longest, Label(r).size());
  const int kLabel = 30 + static_cast<int>(longest) * 7;
  const int kBars = 560, kBar = 12, kWidth = kLabel + kBars + 160;
  struct Series {
    const char* name;
    const char* color;
  };
  const Series kSeries[] = {{"xsync", "#3b7dd8"},
                            {"Go (live)", "#2aa876"},
                            {"TBB (live)", "#e8a33d"},
                            {"Asio (live)", "#9b59b6"}};
  constexpr int kSeriesCount = 4;  // xsync and the three peers.
  auto x_of = [&](double ns) {
    const double v = std::log10(std::max(ns, 1.0));
    return kLabel + static_cast<int>(v / 10.0 * kBars);
  };
  std::string body;
  int y = 70;
  Sections sections;
  for (const Row& r : rows) {
    const Sections::Starts starts = sections.Next(r);
    if (starts.load) {
      y += 12;
      absl::StrAppend(&body,
                      absl::StrFormat("<text x=\"8\" y=\"%d\" font-size=\"14\" "
                                      "font-weight=\"bold\">%s</text>\n",
                                      y + 14, XmlEscape(LoadHeading(r.load))));
      y += 22;
    }
    if (starts.workload) {
      y += 6;
      absl::StrAppend(&body, absl::StrFormat("<text x=\"8\" y=\"%d\" "
                                             "font-weight=\"bold\">%s</text>\n",
                                             y + 12, XmlEscape(r.workload)));
      y += 18;
    }
    const Measurement* figures[] = {&r.xsync, &r.go, &r.tbb, &r.asio};
    const Peer peers[] = {Peer::kLive, r.go_peer, r.tbb_peer, r.asio_peer};
    // A bar per figure, and a line of text per live figure missing (a
    // deadlock, a peer that could not be built).
    auto shown = [&](int i) {
      return !std::isnan(figures[i]->ns) ||
             (peers[i] == Peer::kLive && !figures[i]->error.empty());
    };
    int bars = 0;
    for (int i = 0; i < kSeriesCount; ++i) bars += shown(i) ? 1 : 0;
    const int height = std::max(1, bars) * kBar + 6;
    absl::StrAppend(
        &body, absl::StrFormat("<text x=\"20\" y=\"%d\">%s</text>\n", y + 12,
                               XmlEscape(Label(r))));
    int bar_y = y;
    for (int i = 0; i < kSeriesCount; ++i) {
      const Measurement& m = *figures[i];
      if (!shown(i)) continue;
      if (std::isnan(m.ns)) {
        absl::StrAppend(
            &body,
            absl::StrFormat("<text x=\"%d\" y=\"%d\" font-size=\"10\" "
                            "fill=\"%s\">%s: %s</text>\n",
                            kLabel + 2, bar_y + kBar - 1, kSeries[i].color,
                            kSeries[i].name, XmlEscape(m.error)));
        bar_y += kBar;
        continue;
      }
      const int x = x_of(m.ns);
      std::string text = Human(m.ns);
      if (i == 0 && !std::isnan(r.ratio_go)) {
        absl::StrAppend(&text, absl::StrFormat(" (%.2fx Go)", r.ratio_go));
      }
      absl::StrAppend(
          &body,
          absl::StrFormat("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "fill=\"%s\"/>\n",
                          kLabel, bar_y + 2, std::max(1, x - kLabel), kBar - 2,
                          r.baseline && i == 0 ? "#999999" : kSeries[i].color),
          absl::StrFormat(
              "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>\n", x + 4,
              bar_y + kBar - 1, text));
      bar_y += kBar;
    }
    y += height;
  }
  std::string axis;
  const char* ticks[] = {"1 ns", "10 ns", "100 ns", "1 us", "10 us", "100 us",
                         "1 ms", "10 ms", "100 ms", "1 s",  "10 s"};
  for (int i = 0; i <= 10; ++i) {
    const int x = kLabel + i * kBars / 10;
    absl::StrAppend(
        &axis,
        absl::StrFormat("<line x1=\"%d\" y1=\"60\" x2=\"%d\" y2=\"%d\" "
                        "stroke=\"#dddddd\"/>\n<text x=\"%d\" y=\"54\" "
                        "text-anchor=\"middle\" font-size=\"10\">%s</text>\n",
                        x, x, y, x, ticks[i]));
  }
  std::string legend;
  for (int i = 0; i < kSeriesCount; ++i) {
    absl::StrAppend(
        &legend,
        absl::StrFormat("<rect x=\"%d\" y=\"26\" width=\"12\" height=\"10\" "
                        "fill=\"%s\"/><text x=\"%d\" y=\"35\">%s</text>\n",
                        8 + i * 120, kSeries[i].color, 24 + i * 120,
                        kSeries[i].name));
  }
  return absl::StrCat(
      absl::StrFormat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                      "height=\"%d\" font-family=\"sans-serif\" "
                      "font-size=\"12\">\n",
                      kWidth, y + 20),
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">xsync "
      "compare: time per task or call (log scale; lower is better)</text>\n",
      legend, axis, body, "</svg>\n");
}

}  // namespace benchmarks
}  // namespace xsync
