#include "tlsrpt/render_html.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "tlsrpt/history.hpp"
#include "tlsrpt/remedy.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

// No script source at all; styles only from the page itself; no image, font, frame or form goes
// anywhere. The SVG charts are inline markup, not images.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
    "connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'";

// Colours: blue and orange (told apart with any colour vision), a sequential light-to-dark scale
// for the heat map, text labels on everything; a dark scheme and print styles.
constexpr const char* kStyle = R"css(
:root{--bg:#fff;--fg:#1b1b1b;--muted:#5f6368;--line:#d0d4d9;--ok:#1f6fb2;--bad:#d9730d;--rate:#1b1b1b;
--h0:#f7f7f7;--h1:#fee8c8;--h2:#fdbb84;--h3:#ef6548;--h4:#b30000;--h5:#5c0000;--blocks:#b30000;--need:#8a5a00;--ready:#1b7a3a}
@media (prefers-color-scheme:dark){:root{--bg:#121416;--fg:#e8eaed;--muted:#a0a6ad;--line:#3a3f45;--ok:#5aa9e6;
--bad:#f0a24a;--rate:#e8eaed;--h0:#1e2226;--h1:#4a3520;--h2:#7a4a1c;--h3:#b45a1c;--h4:#e0631f;--h5:#ffb37a;
--blocks:#ff7b72;--need:#e3b341;--ready:#56d364}}
body{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line)}
.muted{color:var(--muted)}table{border-collapse:collapse;width:100%;margin:.3rem 0}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
td.nw{white-space:nowrap;overflow-wrap:normal}td.why{min-width:16rem}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.totals{display:flex;flex-wrap:wrap;gap:1rem}.totals div{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;min-width:9rem}
.totals b{display:block;font-size:1.4rem}.verdict{font-weight:700}.v-not_ready{color:var(--blocks)}
.v-insufficient_data{color:var(--need)}.v-ready{color:var(--ready)}.level-critical{color:var(--blocks);font-weight:700}
.scroll{overflow-x:auto}svg{max-width:100%;height:auto}svg text{fill:var(--fg);font-size:11px}
.bar-ok{fill:var(--ok)}.bar-bad{fill:var(--bad)}.rate{stroke:var(--rate);fill:none;stroke-width:1.5}.axis{stroke:var(--line)}
.heat{width:auto}.heat td{padding:0;width:1.1rem;height:1.1rem;border:1px solid var(--bg)}.heat th{white-space:nowrap;font-weight:400}
.h0{background:var(--h0)}.h1{background:var(--h1)}.h2{background:var(--h2)}.h3{background:var(--h3)}.h4{background:var(--h4)}.h5{background:var(--h5)}
.hn{background:repeating-linear-gradient(45deg,var(--bg),var(--bg) 2px,var(--line) 2px,var(--line) 4px)}
.legend .h4,.legend .h5{color:var(--bg)}.lg-ok{color:var(--ok)}.lg-bad{color:var(--bad)}.legend span{display:inline-block;padding:0 .5rem;margin-right:.2rem;border:1px solid var(--line)}
details>summary{cursor:pointer;color:var(--muted);margin:.3rem 0}code{overflow-wrap:anywhere}
@media (max-width:600px){body{font-size:14px;padding:.5rem}th,td{padding:.2rem .3rem}.totals div{min-width:7rem}}
@media print{details{display:block}details>summary{display:none}.scroll{overflow:visible}body{max-width:none}}
)css";

using u64 = std::uint64_t;

std::string number(u64 value) { return group_digits(value); }

std::string rate_text(const Counts& counts) {
  return counts.successful + counts.failed ? format_percent(failure_rate(counts)) : "–";
}

// Heat-map class of a failure rate: h0 (none) … h5 (half or more).
const char* heat_class(const Counts& counts) {
  if (counts.successful + counts.failed == 0) return "hn";
  const double rate = failure_rate(counts);
  if (rate == 0) return "h0";
  if (rate < 0.01) return "h1";
  if (rate < 0.05) return "h2";
  if (rate < 0.2) return "h3";
  if (rate < 0.5) return "h4";
  return "h5";
}

class Page {
 public:
  Page(std::ostream& out, std::size_t top) : out_(out), top_(top) {}

  void text(std::string_view raw) { out_ << html_text(raw); }
  Page& operator<<(std::string_view markup) {
    out_ << markup;
    return *this;
  }

  // A table: `header` cells (markup), then rows written by `row(item)`, the first `top_` shown,
  // up to kMaxFoldedRows more in a <details>, the rest counted.
  template <typename List, typename Row>
  void table(const std::string& id, const std::vector<std::string>& header, const List& list,
             Row row) {
    if (list.empty()) return;
    const auto head = [&] {
      out_ << "<div class=\"scroll\"><table><thead><tr>";
      for (const std::string& cell : header) out_ << cell;
      out_ << "</tr></thead><tbody>";
    };
    out_ << fmt::format("<div id=\"{}\">", id);
    head();
    std::size_t index = 0;
    for (const auto& item : list) {
      if (index == top_) {
        out_ << "</tbody></table></div>";
        out_ << fmt::format("<details><summary>{} more rows</summary>",
                            number(std::min(list.size() - top_, kMaxFoldedRows)));
        head();
      }
      if (index == top_ + kMaxFoldedRows) break;
      row(item);
      ++index;
    }
    out_ << "</tbody></table></div>";
    if (index > top_) {
      if (list.size() > index) {
        out_ << fmt::format("<p class=\"muted\">{} more rows: see <code>--format json</code>.</p>",
                            number(list.size() - index));
      }
      out_ << "</details>";
    }
    out_ << "</div>";
  }

 private:
  std::ostream& out_;
  std::size_t top_;
};

const char* verdict_words(Verdict verdict) {
  switch (verdict) {
    case Verdict::ready:
      return "ready";
    case Verdict::not_ready:
      return "not ready";
    case Verdict::insufficient_data:
      return "not enough data";
  }
  return "";
}

// The overall verdict, then one row per policy domain with its numbers and, folded, every reason
// (the first one shown): hundreds of domains stay a table, not pages of lists.
void write_verdicts(Page& page, const Summary& summary) {
  const CheckResult& check = summary.check;
  page << "<section id=\"verdict\"><h2>May MTA-STS move to mode: enforce?</h2>";
  std::size_t by_verdict[3] = {0, 0, 0};
  for (const DomainCheck& domain : check.domains) ++by_verdict[static_cast<int>(domain.verdict)];
  page << fmt::format("<p class=\"verdict v-{0}\" id=\"overall-verdict\" data-verdict=\"{0}\">",
                      verdict_name(check.verdict));
  page << (check.verdict == Verdict::ready       ? "Ready"
           : check.verdict == Verdict::not_ready ? "Not ready"
                                                 : "Not enough data to tell");
  if (check.domains.size() > 1) {
    page << fmt::format(
        " <span class=\"muted\">({} policy domains: {} not ready, {} without "
        "enough data, {} ready)</span>",
        number(check.domains.size()), number(by_verdict[1]), number(by_verdict[2]),
        number(by_verdict[0]));
  }
  page << "</p>";
  page << fmt::format("<p class=\"muted\" id=\"verdict-window\">Judged over the {} days {} to {}.</p>",
                      check.gate.window_days, format_day(check.window_first_day),
                      format_day(check.window_last_day));
  if (summary.errors_total > 0) {
    page << fmt::format(
        "<p class=\"v-insufficient_data\" id=\"inputs-skipped\">Skipped: {} input{} could not be "
        "read (listed below); the verdict rests on the {} report{} that could.</p>",
        number(summary.errors_total), summary.errors_total == 1 ? "" : "s",
        number(summary.reports), summary.reports == 1 ? "" : "s");
  }
  for (const CheckItem& item : check.items) {
    page << "<p>";
    page.text(item.message);
    page << "</p>";
  }
  std::vector<const DomainCheck*> domains;
  for (const DomainCheck& domain : check.domains) domains.push_back(&domain);
  // Not ready first, then not enough data, then ready; by failed sessions within each.
  std::stable_sort(domains.begin(), domains.end(), [&](const DomainCheck* a, const DomainCheck* b) {
    if (verdict_rank(a->verdict) != verdict_rank(b->verdict))
      return verdict_rank(a->verdict) < verdict_rank(b->verdict);
    return a->failed > b->failed;
  });
  page.table(
      "verdict-table",
      {"<th>Policy domain</th>", "<th>Verdict</th>", "<th class=\"n\">Sessions</th>",
       "<th class=\"n\">Failed</th>", "<th class=\"n\">Rate</th>", "<th class=\"n\">Days</th>",
       "<th>Why</th>"},
      domains, [&](const DomainCheck* domain) {
        const Counts counts{domain->successful, domain->failed};
        page << "<tr><td class=\"nw\">";
        page.text(domain->domain);
        page << fmt::format(
            "</td><td class=\"nw verdict v-{}\">{}</td><td class=\"n\">{}</td><td "
            "class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"why\">",
            verdict_name(domain->verdict), verdict_words(domain->verdict),
            number(counts.successful + counts.failed), number(counts.failed), rate_text(counts),
            domain->days_covered);
        if (!domain->items.empty()) {
          page << fmt::format("<details><summary class=\"v-{}\">",
                              verdict_name(domain->items.front().outcome));
          page.text(domain->items.front().message);
          page << "</summary><ul>";
          for (std::size_t i = 1; i < domain->items.size(); ++i) {
            page << fmt::format("<li class=\"v-{}\">", verdict_name(domain->items[i].outcome));
            page.text(domain->items[i].message);
            page << "</li>";
          }
          page << "</ul></details>";
        }
        page << "</td></tr>";
      });
  page << "</section>";
}

void write_totals(Page& page, const Summary& summary) {
  const Counts& totals = summary.totals;
  page << "<section id=\"totals\"><h2>Totals</h2><div class=\"totals\">";
  const auto box = [&](const char* id, const char* label, const std::string& value) {
    page << fmt::format("<div><b id=\"{}\">{}</b>{}</div>", id, value, label);
  };
  box("total-reports", "reports", number(summary.reports));
  box("total-sessions", "sessions", number(totals.successful + totals.failed));
  box("total-successful", "successful", number(totals.successful));
  box("total-failed", "failed", number(totals.failed));
  box("total-rate", "failure rate", rate_text(totals));
  page << "</div>";
  if (summary.span) {
    page << "<p class=\"muted\">Reports from " << format_rfc3339(summary.span->start) << " to "
         << format_rfc3339(summary.span->end) << "; now is " << format_rfc3339(summary.history.now)
         << ".</p>";
  }
  page << "</section>";
}

// Sessions per day as stacked bars (successful, failed) with the failure rate as a line on its
// own scale; every day has a tooltip, and the same numbers are in a table below.
void write_day_chart(Page& page, const HistorySummary& history) {
  const Series& series = history.overall;
  if (series.days.empty()) return;
  page << "<section id=\"days\"><h2>Sessions and failure rate per day</h2>";
  if (history.series_outside_window) {
    page << fmt::format(
        "<p class=\"v-insufficient_data\" id=\"outside-window\">No report falls in the days up "
        "to now: these are the newest days that hold reports ({} to {}), outside the window of "
        "the verdicts and alerts.</p>",
        format_day(series.days.front().day), format_day(series.days.back().day));
  }
  u64 most = 1;
  double highest_rate = 0;
  for (const DayCounts& day : series.days) {
    most = std::max(most, day.successful + day.failed);
    highest_rate = std::max(highest_rate, failure_rate(Counts{day.successful, day.failed}));
  }
  const double rate_scale = highest_rate > 0 ? highest_rate : 1;
  const std::size_t days = series.days.size();
  const double step = std::max(6.0, 720.0 / static_cast<double>(days));
  const double width = 60 + step * static_cast<double>(days) + 50;
  constexpr double kTop = 10;
  constexpr double kHeight = 180;
  page << fmt::format(
      "<div class=\"scroll\"><svg role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 "
      "{:.0f} "
      "{:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\"><title id=\"chart-title\">Sessions per day "
      "(bars: blue successful, orange failed; left scale up to {}) and failure rate (line; right "
      "scale up to {})</title>",
      width, kHeight + 40, width, kHeight + 40, number(most), format_percent(rate_scale));
  page << fmt::format(
      "<line class=\"axis\" x1=\"58\" y1=\"{0:.0f}\" x2=\"{1:.0f}\" y2=\"{0:.0f}\"/>",
      kTop + kHeight, width - 48);
  page << fmt::format("<text x=\"54\" y=\"{:.0f}\" text-anchor=\"end\">{}</text>", kTop + 8,
                      number(most));
  page << fmt::format("<text x=\"54\" y=\"{:.0f}\" text-anchor=\"end\">0</text>", kTop + kHeight);
  page << fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\">{}</text>", width - 46, kTop + 8,
                      format_percent(rate_scale));
  std::string line;
  for (std::size_t i = 0; i < days; ++i) {
    const DayCounts& day = series.days[i];
    const double x = 60 + step * static_cast<double>(i);
    const double ok = kHeight * static_cast<double>(day.successful) / static_cast<double>(most);
    const double bad = kHeight * static_cast<double>(day.failed) / static_cast<double>(most);
    const Counts counts{day.successful, day.failed};
    page << fmt::format("<g><title>{}: {} sessions, {} failed ({})</title>", format_day(day.day),
                        number(day.successful + day.failed), number(day.failed), rate_text(counts));
    page << fmt::format(
        "<rect class=\"bar-ok\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>", x,
        kTop + kHeight - ok, step * 0.8, ok);
    page << fmt::format(
        "<rect class=\"bar-bad\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>", x,
        kTop + kHeight - ok - bad, step * 0.8, bad);
    page << "</g>";
    if (day.successful + day.failed > 0) {
      const double y = kTop + kHeight - kHeight * failure_rate(counts) / rate_scale;
      line += fmt::format("{}{:.1f},{:.1f}", line.empty() ? "" : " ", x + step * 0.4, y);
    }
    if (i == 0 || i + 1 == days || (days > 10 && i % (days / 6) == 0)) {
      page << fmt::format("<text x=\"{:.1f}\" y=\"{:.0f}\">{}</text>", x, kTop + kHeight + 16,
                          format_day(day.day).substr(5));
    }
  }
  if (!line.empty()) page << "<polyline class=\"rate\" points=\"" << line << "\"/>";
  page << "</svg></div><p class=\"legend\"><span><b class=\"lg-ok\">■</b> successful</span>"
          "<span><b class=\"lg-bad\">■</b> failed (on top)</span><span>— failure rate (right "
          "scale)</span></p>";
  page << "<details><summary>The same as a table</summary><div class=\"scroll\"><table "
          "id=\"days-table\"><thead><tr><th>Day</th><th class=\"n\">Sessions</th><th "
          "class=\"n\">Failed</th><th class=\"n\">Rate</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < days; ++i) {
    const DayCounts& day = series.days[i];
    if (!series.reported[i]) {  // a run of days without reports is one row
      std::size_t end = i;
      while (end + 1 < days && !series.reported[end + 1]) ++end;
      page << fmt::format("<tr><td>{}</td><td colspan=\"3\" class=\"muted\">{}</td></tr>",
                          format_day(day.day),
                          end == i ? std::string("no reports")
                                   : fmt::format("{} days without reports, to {}", end - i + 1,
                                                 format_day(series.days[end].day)));
      i = end;
      continue;
    }
    const Counts counts{day.successful, day.failed};
    page << fmt::format(
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td></tr>",
        format_day(day.day), number(day.successful + day.failed), number(day.failed),
        rate_text(counts));
  }
  page << "</tbody></table></div></details></section>";
}

void write_alerts(Page& page, const std::vector<Alert>& alerts) {
  if (alerts.empty()) return;
  page << "<section id=\"alerts\"><h2>Alerts</h2><ul>";
  for (const Alert& alert : alerts) {
    const bool critical = alert.level == AlertLevel::critical;
    page << fmt::format("<li><span class=\"level-{}\">{}:</span> ",
                        critical ? "critical" : "warning", critical ? "CRITICAL" : "warning");
    page.text(alert.message);
    page << "</li>";
  }
  page << "</ul></section>";
}

void write_failure_types(Page& page, const Summary& summary) {
  if (summary.failure_types.empty()) return;
  page << "<section id=\"failure-types\"><h2>Failure types, and what to do</h2>";
  page.table("failure-types-table",
             {"<th>Type</th>", "<th class=\"n\">Failed</th>", "<th class=\"n\">Share</th>",
              "<th>Meaning</th>", "<th>Do</th>"},
             summary.failure_types, [&](const FailureTypeRow& row) {
               page << "<tr><td><code>";
               page.text(row.result_type);
               page << "</code>" << (row.known ? "" : " <span class=\"muted\">(unknown)</span>");
               for (const ReasonRow& reason : row.reasons) {
                 if (reason.failure_reason_code.empty()) continue;
                 page << "<br><span class=\"muted\">reason <code>";
                 page.text(reason.failure_reason_code);
                 page << "</code> (" << number(reason.failed) << ")</span>";
               }
               page << "</td><td class=\"n\">" << number(row.failed) << "</td><td class=\"n\">"
                    << format_percent(row.share) << "</td><td>";
               page.text(row.meaning);
               page << "</td><td>";
               page.text(row.action);
               page << "</td></tr>";
             });
  page << "</section>";
}

// Failure rate per sender and day: the senders with most sessions, the most recent days.
void write_heat_map(Page& page, const HistorySummary& history) {
  if (history.senders.empty() || history.overall.days.empty()) return;
  std::vector<const Series*> senders;
  for (const Series& series : history.senders) senders.push_back(&series);
  const auto sessions = [](const Series* series) {
    u64 total = 0;
    for (const DayCounts& day : series->days) total += day.successful + day.failed;
    return total;
  };
  std::stable_sort(senders.begin(), senders.end(),
                   [&](const Series* a, const Series* b) { return sessions(a) > sessions(b); });
  if (senders.size() > kHeatMapSenders) senders.resize(kHeatMapSenders);
  const std::size_t days = history.overall.days.size();
  const std::size_t first = days > kHeatMapDays ? days - kHeatMapDays : 0;
  page << "<section id=\"heat-map\"><h2>Failure rate by sender and day</h2>";
  page << "<p class=\"legend\"><span class=\"h0\">0%</span><span class=\"h1\">&lt;1%</span>"
          "<span class=\"h2\">&lt;5%</span><span class=\"h3\">&lt;20%</span><span "
          "class=\"h4\">&lt;50%</span><span class=\"h5\">≥50%</span><span class=\"hn\">no "
          "sessions</span></p>";
  page << "<div class=\"scroll\"><table class=\"heat\"><thead><tr><th>Sender</th>";
  for (std::size_t i = first; i < days; ++i) {
    page << "<th title=\"" << format_day(history.overall.days[i].day) << "\">"
         << format_day(history.overall.days[i].day).substr(8) << "</th>";
  }
  page << "</tr></thead><tbody>";
  for (const Series* sender : senders) {
    page << "<tr><th>";
    page.text(sender->name);
    page << "</th>";
    for (std::size_t i = first; i < days; ++i) {
      // A sender's series covers the same days as the overall one.
      const DayCounts day = i < sender->days.size() ? sender->days[i] : DayCounts{};
      const Counts counts{day.successful, day.failed};
      page << fmt::format("<td class=\"{}\" title=\"", heat_class(counts));
      page.text(sender->name);
      page << fmt::format(", {}: {} sessions, {} failed ({})\"></td>", format_day(day.day),
                          number(day.successful + day.failed), number(day.failed),
                          rate_text(counts));
    }
    page << "</tr>";
  }
  page << "</tbody></table></div>";
  if (history.senders.size() > senders.size()) {
    page << "<p class=\"muted\">The " << number(senders.size()) << " senders with most sessions of "
         << number(history.senders.size()) << ".</p>";
  }
  page << "</section>";
}

void write_counts_table(Page& page, const char* id, const char* title, const char* name_header,
                        const std::vector<CountsRow>& rows) {
  if (rows.empty()) return;
  page << fmt::format("<section id=\"{}\"><h2>{}</h2>", id, title);
  page.table(
      std::string(id) + "-table",
      {fmt::format("<th>{}</th>", name_header), "<th class=\"n\">Reports</th>",
       "<th class=\"n\">Sessions</th>", "<th class=\"n\">Failed</th>", "<th class=\"n\">Rate</th>"},
      rows, [&](const CountsRow& row) {
        page << "<tr><td>";
        page.text(row.name.empty() ? "(not given)" : row.name);
        page << fmt::format(
            "</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td "
            "class=\"n\">{}</td></tr>",
            number(row.reports), number(row.counts.successful + row.counts.failed),
            number(row.counts.failed), rate_text(row.counts));
      });
  page << "</section>";
}

void write_host_table(Page& page, const char* id, const char* title, const char* name_header,
                      const std::vector<HostRow>& rows) {
  if (rows.empty()) return;
  page << fmt::format("<section id=\"{}\"><h2>{}</h2>", id, title);
  page.table(std::string(id) + "-table",
             {fmt::format("<th>{}</th>", name_header), "<th class=\"n\">Failed</th>",
              "<th>Failure types</th>"},
             rows, [&](const HostRow& row) {
               page << "<tr><td>";
               page.text(row.host.empty() ? "(not given)" : row.host);
               page << "</td><td class=\"n\">" << number(row.failed) << "</td><td>";
               bool first = true;
               for (const auto& [type, count] : row.result_types) {
                 page << (first ? "" : ", ") << "<code>";
                 page.text(type);
                 page << "</code> " << number(count);
                 first = false;
               }
               page << "</td></tr>";
             });
  page << "</section>";
}

void write_failures(Page& page, const std::vector<PersistentFailure>& failures) {
  if (failures.empty()) return;
  page << "<section id=\"failures\"><h2>Persistent and transient failures</h2>"
          "<p class=\"muted\">Persistent: seen in several report periods; transient: once.</p>";
  page.table("failures-table",
             {"<th>Kind</th>", "<th>Sender</th>", "<th>Type</th>", "<th>MX</th>",
              "<th>Policy domain</th>", "<th class=\"n\">Failed</th>", "<th>Seen</th>"},
             failures, [&](const PersistentFailure& failure) {
               page << "<tr><td>" << (failure.persistent ? "persistent" : "transient")
                    << "</td><td>";
               page.text(failure.sender);
               page << "</td><td><code>";
               page.text(failure.result_type);
               page << "</code></td><td>";
               page.text(failure.receiving_mx_hostname);
               page << "</td><td>";
               page.text(failure.policy_domain);
               page << "</td><td class=\"n\">" << number(failure.failed) << "</td><td>"
                    << format_day(day_of(failure.first_seen)) << " to "
                    << format_day(day_of(failure.last_seen)) << "</td></tr>";
             });
  page << "</section>";
}

void write_diagnostics(Page& page, const Summary& summary) {
  if (summary.errors.empty() && summary.warning_groups.empty()) return;
  page << "<section id=\"diagnostics\"><h2>Skipped inputs and format quirks</h2>";
  if (!summary.errors.empty()) {
    page << "<p>" << number(summary.errors_total) << " input"
         << (summary.errors_total == 1 ? "" : "s") << " could not be read and were skipped:</p>";
    page.table("errors-table", {"<th>File</th>", "<th>Where</th>", "<th>Problem</th>"},
               summary.errors, [&](const Diagnostic& error) {
                 page << "<tr><td><code>";
                 page.text(error.file);
                 page << "</code></td><td>";
                 page.text(error.where);
                 page << "</td><td>";
                 page.text(error.message);
                 page << "</td></tr>";
               });
  }
  if (!summary.warning_groups.empty()) {
    page << "<p>" << number(summary.reports_with_warnings)
         << " reports had format quirks; tlsrpt coped:</p>";
    page.table("warnings-table", {"<th>Quirk</th>", "<th class=\"n\">Count</th>"},
               summary.warning_groups, [&](const WarningGroup& group) {
                 page << "<tr><td><code>";
                 page.text(group.code);
                 page << "</code></td><td class=\"n\">" << number(group.count) << "</td></tr>";
               });
  }
  page << "</section>";
}

}  // namespace

std::string html_text(std::string_view raw) {
  const std::string safe = escape_for_terminal(raw);  // controls and invalid UTF-8 as \xNN
  std::string out;
  out.reserve(safe.size());
  for (const char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void render_summary_html(const Summary& summary, const OutputOptions& options, std::ostream& out) {
  Page page(out, std::max<std::size_t>(1, options.top));
  page << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << kContentSecurityPolicy
       << "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       << "<meta name=\"referrer\" content=\"no-referrer\">\n"
       << "<title>SMTP TLS reports";
  if (summary.span) {
    page << ", " << format_day(day_of(summary.span->start)) << " to "
         << format_day(day_of(summary.span->end));
  }
  page << "</title>\n<style>" << kStyle << "</style></head><body>\n";
  page << "<header><h1>SMTP TLS reports</h1><p class=\"muted\">Made by tlsrpt from "
       << number(summary.reports) << " report" << (summary.reports == 1 ? "" : "s") << " on "
       << format_rfc3339(summary.history.now)
       << ". Every name below is as the reports gave it.</p></header>\n";
  write_verdicts(page, summary);
  write_totals(page, summary);
  write_alerts(page, summary.history.alerts);
  write_day_chart(page, summary.history);
  write_failure_types(page, summary);
  write_heat_map(page, summary.history);
  write_counts_table(page, "senders", "Senders", "Sender", summary.senders);
  write_counts_table(page, "domains", "Policy domains", "Policy domain", summary.domains);
  write_host_table(page, "mx-hosts", "Receiving MX hosts with failures", "MX host",
                   summary.receiving_mx_hosts);
  write_host_table(page, "receiving-ips", "Receiving IPs with failures", "Receiving IP",
                   summary.receiving_ips);
  write_host_table(page, "sending-ips", "Sending IPs with failures", "Sending IP",
                   summary.sending_ips);
  write_failures(page, summary.history.failures);
  write_diagnostics(page, summary);
  page << "<footer><p class=\"muted\">The same numbers as <code>tlsrpt summary --format "
          "json</code>. Opens offline: no script, no request.</p></footer>\n</body></html>\n";
}

}  // namespace tlsrpt
