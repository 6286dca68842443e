// `export --format prometheus`: the text exposition format (version 0.0.4) for node_exporter's
// textfile collector. Counts cover the reports given (as summary's totals); the senders beyond
// the `top` with most sessions are summed as sender="other", so that the number of series stays
// bounded whatever arrives.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "tlsrpt/export.hpp"
#include "tlsrpt/history.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

// A label value: backslash, double quote and newline escaped (exposition format).
std::string label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string or_none(const std::string& name) { return name.empty() ? "(not given)" : name; }

class Metrics {
 public:
  explicit Metrics(std::ostream& out) : out_(out) {}
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  void sample(std::string_view name, const std::vector<std::pair<std::string, std::string>>& labels,
              double value) {
    out_ << name;
    if (!labels.empty()) {
      out_ << '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        out_ << (i ? "," : "") << labels[i].first << "=\"" << label(labels[i].second) << '"';
      }
      out_ << '}';
    }
    out_ << ' ' << fmt::format("{}", value) << '\n';
  }

 private:
  std::ostream& out_;
};

}  // namespace

void write_prometheus(const Summary& summary, std::size_t top, std::ostream& out) {
  Metrics metrics(out);
  // The senders named in labels: the `top` with most sessions; the others become "other".
  std::vector<const CountsRow*> by_sessions;
  for (const CountsRow& row : summary.senders) by_sessions.push_back(&row);
  std::stable_sort(by_sessions.begin(), by_sessions.end(), [](const auto* a, const auto* b) {
    return a->counts.successful + a->counts.failed > b->counts.successful + b->counts.failed;
  });
  std::set<std::string> named;
  for (std::size_t i = 0; i < by_sessions.size() && i < top; ++i) {
    named.insert(or_none(by_sessions[i]->name));
  }
  const auto sender = [&](const std::string& name) {
    return named.contains(or_none(name)) ? or_none(name) : std::string("other");
  };

  metrics.family("tlsrpt_reports", "gauge", "TLS reports counted (duplicates once).");
  metrics.sample("tlsrpt_reports", {}, static_cast<double>(summary.reports));
  metrics.family("tlsrpt_skipped_inputs", "gauge",
                 "Inputs that could not be read or decoded and were skipped.");
  metrics.sample("tlsrpt_skipped_inputs", {}, static_cast<double>(summary.errors_total));

  metrics.family("tlsrpt_sessions", "gauge",
                 "TLS sessions the reports counted, successful and failed, per policy domain.");
  for (const CountsRow& row : summary.domains) {
    metrics.sample("tlsrpt_sessions", {{"policy_domain", or_none(row.name)}},
                   static_cast<double>(row.counts.successful + row.counts.failed));
  }
  metrics.family("tlsrpt_failed_sessions", "gauge",
                 "Failed TLS sessions the reports counted, per policy domain.");
  for (const CountsRow& row : summary.domains) {
    metrics.sample("tlsrpt_failed_sessions", {{"policy_domain", or_none(row.name)}},
                   static_cast<double>(row.counts.failed));
  }
  metrics.family("tlsrpt_failure_ratio", "gauge",
                 "Failed sessions over all sessions, per policy domain (0 to 1).");
  for (const CountsRow& row : summary.domains) {
    metrics.sample("tlsrpt_failure_ratio", {{"policy_domain", or_none(row.name)}},
                   failure_rate(row.counts));
  }

  // Per sender: the named ones, then "other" as their sum.
  std::map<std::string, Counts> senders;
  for (const CountsRow& row : summary.senders) {
    Counts& counts = senders[sender(row.name)];
    counts.successful += row.counts.successful;
    counts.failed += row.counts.failed;
  }
  metrics.family("tlsrpt_sender_sessions", "gauge",
                 "TLS sessions the reports counted, per sender (the rest as sender=\"other\").");
  for (const auto& [name, counts] : senders) {
    metrics.sample("tlsrpt_sender_sessions", {{"sender", name}},
                   static_cast<double>(counts.successful + counts.failed));
  }
  metrics.family("tlsrpt_sender_failed_sessions", "gauge",
                 "Failed TLS sessions the reports counted, per sender.");
  for (const auto& [name, counts] : senders) {
    metrics.sample("tlsrpt_sender_failed_sessions", {{"sender", name}},
                   static_cast<double>(counts.failed));
  }

  // Failed sessions per policy domain, sender and result type (the failure details).
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> failed;
  for (const PersistentFailure& failure : summary.history.failures) {
    failed[{or_none(failure.policy_domain), sender(failure.sender),
            or_none(failure.result_type)}] += failure.failed;
  }
  metrics.family("tlsrpt_failed_sessions_by_type", "gauge",
                 "Failed TLS sessions in the failure details, per policy domain, sender and RFC "
                 "8460 result type.");
  for (const auto& [key, count] : failed) {
    const auto& [domain, name, type] = key;
    metrics.sample("tlsrpt_failed_sessions_by_type",
                   {{"policy_domain", domain}, {"sender", name}, {"result_type", type}},
                   static_cast<double>(count));
  }

  // The newest report end per sender: the last day it reported, in the analysis window.
  metrics.family("tlsrpt_last_report_timestamp_seconds", "gauge",
                 "End of the newest report period of each sender in the analysis window, Unix "
                 "seconds.");
  std::map<std::string, std::int64_t> newest;
  for (const Series& series : summary.history.senders) {
    for (std::size_t i = series.days.size(); i-- > 0;) {
      if (!series.reported[i]) continue;
      std::int64_t& at = newest[sender(series.name)];
      at = std::max(at, (series.days[i].day + 1) * kSecondsPerDay);
      break;
    }
  }
  for (const auto& [name, at] : newest) {
    metrics.sample("tlsrpt_last_report_timestamp_seconds", {{"sender", name}},
                   static_cast<double>(at));
  }
  if (summary.history.newest_end) {
    metrics.family("tlsrpt_newest_report_timestamp_seconds", "gauge",
                   "End of the newest report period of all, Unix seconds.");
    metrics.sample("tlsrpt_newest_report_timestamp_seconds", {},
                   static_cast<double>(*summary.history.newest_end + 1));
  }

  {
    metrics.family("tlsrpt_check_verdict", "gauge",
                   "The enforce check's verdict per policy domain: 1 for the current one of "
                   "ready, not_ready, insufficient_data.");
    for (const DomainCheck& domain : summary.check.domains) {
      for (const Verdict verdict :
           {Verdict::ready, Verdict::not_ready, Verdict::insufficient_data}) {
        metrics.sample("tlsrpt_check_verdict",
                       {{"policy_domain", or_none(domain.domain)},
                        {"verdict", std::string(verdict_name(verdict))}},
                       domain.verdict == verdict ? 1 : 0);
      }
    }
  }
  metrics.family("tlsrpt_alerts", "gauge", "Alerts that fired, by level.");
  std::uint64_t warnings = 0;
  std::uint64_t critical = 0;
  for (const Alert& alert : summary.history.alerts) {
    (alert.level == AlertLevel::critical ? critical : warnings) += 1;
  }
  metrics.sample("tlsrpt_alerts", {{"level", "warning"}}, static_cast<double>(warnings));
  metrics.sample("tlsrpt_alerts", {{"level", "critical"}}, static_cast<double>(critical));
}

}  // namespace tlsrpt
