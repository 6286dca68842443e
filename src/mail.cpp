#include "tlsrpt/mail.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "tlsrpt/gzip.hpp"
#include "tlsrpt/input.hpp"
#include "tlsrpt/sniff.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"
#include "tlsrpt/zip.hpp"

namespace tlsrpt {

namespace {

// One domain equal to the other or below it: DKIM relaxed alignment without the public
// suffix list (a signature for "com" cannot pass in practice).
bool aligned(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  const auto below = [](std::string_view child, std::string_view parent) {
    return child.size() > parent.size() && child.ends_with(parent) &&
           child[child.size() - parent.size() - 1] == '.';
  };
  return below(a, b) || below(b, a);
}

bool ends_with_any(std::string_view name, std::initializer_list<std::string_view> suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(),
                     [&](std::string_view s) { return name.ends_with(s); });
}

// The value of `key=` inside an Authentication-Results result, up to white space or ';'.
std::string property(std::string_view text, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = text.find(key, pos)) != std::string_view::npos) {
    if (pos == 0 || text[pos - 1] == ' ' || text[pos - 1] == '\t' || text[pos - 1] == ')') {
      const std::size_t start = pos + key.size();
      const std::size_t end = find_any(text, " \t;()", start);
      return std::string(
          text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    }
    pos += key.size();
  }
  return {};
}

// RFC 8601 values carry comments in parentheses, which may hold ';' ("(2048-bit key;
// unprotected)").
std::string without_comments(std::string_view value) {
  if (find_any(value, "(\"") == std::string_view::npos) return std::string(value);  // the usual
  std::string out;
  out.reserve(value.size());
  int depth = 0;
  bool quoted = false;
  for (const char c : value) {
    if (c == '"' && depth == 0) quoted = !quoted;
    if (!quoted && c == '(') {
      ++depth;
      continue;
    }
    if (!quoted && c == ')' && depth > 0) {
      --depth;
      out += ' ';
      continue;
    }
    if (depth == 0) out += c;
  }
  return out;
}

}  // namespace

std::optional<ReportFileName> parse_report_filename(std::string_view name) {
  if (const auto slash = name.find_last_of('/'); slash != std::string_view::npos)
    name.remove_prefix(slash + 1);
  for (const std::string_view suffix : {".gz", ".zip", ".json"}) {
    if (name.ends_with(suffix)) name.remove_suffix(suffix.size());
  }
  std::vector<std::string_view> fields;
  for (std::size_t pos = 0;;) {
    const auto bang = name.find('!', pos);
    fields.push_back(
        name.substr(pos, bang == std::string_view::npos ? std::string_view::npos : bang - pos));
    if (bang == std::string_view::npos) break;
    pos = bang + 1;
  }
  if (fields.size() != 4 && fields.size() != 5) return std::nullopt;
  ReportFileName parts;
  parts.submitter = lowercase(fields[0]);
  parts.policy_domain = lowercase(fields[1]);
  for (auto [text, value] :
       {std::pair{fields[2], &parts.begin}, std::pair{fields[3], &parts.end}}) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
    if (text.empty() || end != text.data() + text.size()) return std::nullopt;
    // Digits, but a time no date-time can be (or no 64-bit integer holds): the convention, with
    // times that check_provenance says are out of range instead of comparing them.
    if (error == std::errc::result_out_of_range || *value < kEarliestTime || *value > kLatestTime) {
      parts.times_out_of_range = true;
      *value = 0;
    } else if (error != std::errc{}) {
      return std::nullopt;
    }
  }
  if (fields.size() == 5) parts.unique_id = fields[4];
  if (parts.submitter.empty() || parts.policy_domain.empty()) return std::nullopt;
  return parts;
}

std::string address_domain(std::string_view address) {
  if (const auto open = address.rfind('<'); open != std::string_view::npos) {
    address = address.substr(open + 1, address.find('>', open) - open - 1);
  }
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view domain = address.substr(at + 1);
  domain = domain.substr(0, find_any(domain, " \t>;,"));
  return lowercase(trim(domain));
}

DkimVerdict dkim_verdict(const Headers& headers, std::string_view submitter_domain,
                         std::string& signing_domain, std::string& authserv_id,
                         const std::vector<std::string>& trusted) {
  const std::vector<std::string_view> results = headers.all("Authentication-Results");
  if (results.empty()) return DkimVerdict::none;
  const auto server_of = [](std::string_view value) {
    std::string_view id = trim(value.substr(0, value.find(';')));
    return lowercase(id.substr(0, find_any(id, " \t")));  // "mx.microsoft.com 1": drop the version
  };
  // The topmost header is the last added, by the receiving server; with trusted servers named,
  // the topmost one of theirs.
  const auto topmost = std::find_if(results.begin(), results.end(), [&](std::string_view value) {
    return trusted.empty() ||
           std::find(trusted.begin(), trusted.end(), server_of(value)) != trusted.end();
  });
  if (topmost == results.end()) return DkimVerdict::none;
  authserv_id = server_of(*topmost);
  for (const std::string_view raw : results) {
    if (server_of(raw) != authserv_id) continue;
    const std::string value = without_comments(raw);
    std::size_t pos = value.find(';');
    while (pos != std::string_view::npos) {
      const std::size_t next = value.find(';', pos + 1);
      const std::string_view result = trim(std::string_view(value).substr(
          pos + 1, next == std::string::npos ? std::string_view::npos : next - pos - 1));
      pos = next;
      if (!result.starts_with("dkim=")) continue;
      const std::string outcome = lowercase(result.substr(5, find_any(result, " \t(", 5) - 5));
      std::string domain = lowercase(property(result, "header.d="));
      if (domain.empty()) domain = address_domain(property(result, "header.i="));
      if (outcome == "pass" && aligned(domain, submitter_domain)) {
        signing_domain = domain;
        return DkimVerdict::pass;
      }
    }
  }
  return DkimVerdict::fail;
}

MailScan scan_message(Message&& message, const std::vector<std::string>& trusted_authserv_ids) {
  MailScan scan;
  Provenance& provenance = scan.provenance;
  const Headers& headers = message.headers;
  provenance.message_id = trim(headers.get("Message-ID"));
  provenance.date = trim(headers.get("Date"));
  provenance.from = decode_encoded_words(trim(headers.get("From")));
  provenance.subject = decode_encoded_words(trim(headers.get("Subject")));
  provenance.tls_report_domain = lowercase(trim(headers.get("TLS-Report-Domain")));
  provenance.tls_report_submitter = lowercase(trim(headers.get("TLS-Report-Submitter")));
  const std::string submitter = provenance.tls_report_submitter.empty()
                                    ? address_domain(provenance.from)
                                    : provenance.tls_report_submitter;
  provenance.dkim = dkim_verdict(headers, submitter, provenance.dkim_domain, provenance.authserv_id,
                                 trusted_authserv_ids);

  std::vector<std::string> seen_types;
  for (MimePart& leaf : message.leaves) {
    const std::string media_type = leaf.content_type.mime_type();
    seen_types.push_back(media_type);
    const std::string name = lowercase(leaf.filename);
    const bool typed = media_type.starts_with("application/tlsrpt") ||
                       media_type == "application/gzip" || media_type == "application/x-gzip" ||
                       media_type == "application/json" || media_type == "application/zip" ||
                       media_type == "application/x-zip-compressed";
    const bool named = ends_with_any(name, {".json", ".gz", ".zip"});
    bool by_content = false;
    if (leaf.decode_error.empty()) {
      const Content kind = sniff(leaf.body);
      by_content = kind == Content::gzip || kind == Content::json || kind == Content::zip;
    }
    if (!by_content && !typed && !named) continue;
    scan.parts.push_back(ReportPart{leaf.number, leaf.filename, media_type, std::move(leaf.body),
                                    leaf.decode_error});
  }
  if (scan.parts.empty()) {
    const auto report_type = message.content_type.params.find("report-type");
    const std::string kind =
        report_type == message.content_type.params.end() ? "" : lowercase(report_type->second);
    if (message.content_type.mime_type() == "multipart/report" && kind == "delivery-status") {
      scan.not_report_reason = "a delivery status notification (bounce), not a TLS report";
    } else if (message.content_type.mime_type() == "multipart/report" &&
               kind == "feedback-report") {
      scan.not_report_reason = "an abuse feedback report (ARF), not a TLS report";
    } else {
      std::string types;
      for (const std::string& type : seen_types) types += (types.empty() ? "" : ", ") + type;
      scan.not_report_reason =
          fmt::format("a message without a report attachment ({}), not a TLS report", types);
    }
  }
  return scan;
}

std::vector<Diagnostic> check_provenance(const Report& report, const Provenance& provenance) {
  std::vector<Diagnostic> warnings;
  std::set<std::string> domains;
  for (const Policy& policy : report.policies) {
    if (!policy.policy_domain.empty()) domains.insert(lowercase(policy.policy_domain));
  }
  std::string domain_list;
  for (const std::string& domain : domains)
    domain_list += (domain_list.empty() ? "" : ", ") + domain;
  const auto warn = [&](std::string where, std::string message) {
    warnings.push_back(Diagnostic{Severity::warning, "", std::move(where), std::move(message),
                                  "metadata_mismatch"});
  };
  if (!provenance.tls_report_domain.empty() && !domains.empty() &&
      !domains.contains(provenance.tls_report_domain)) {
    warn("TLS-Report-Domain",
         fmt::format("the message says the report is for {}, but its policies are for {}",
                     provenance.tls_report_domain, domain_list));
  }
  if (const auto& parts = provenance.filename_parts) {
    if (!domains.empty() && !domains.contains(parts->policy_domain)) {
      warn("file name",
           fmt::format("{} names policy domain {}, but the report's policies are for {}",
                       provenance.filename, parts->policy_domain, domain_list));
    }
    if (parts->times_out_of_range) {
      warn("file name", fmt::format("{} gives a period beyond the years 0000-9999; the file "
                                    "name's times are ignored",
                                    provenance.filename));
      return warnings;
    }
    // Some senders put the end as the next second (exclusive end); both are fine.
    const bool end_ok = parts->end == report.date_range.end ||
                        parts->end == report.date_range.end + 1 ||
                        parts->end + 1 == report.date_range.end;
    if (parts->begin != report.date_range.start || !end_ok) {
      warn("file name",
           fmt::format("{} gives the period {} to {}, but the report's date-range is {} to {}",
                       provenance.filename, format_rfc3339(parts->begin),
                       format_rfc3339(parts->end), format_rfc3339(report.date_range.start),
                       format_rfc3339(report.date_range.end)));
    }
  }
  return warnings;
}

}  // namespace tlsrpt
