#include "tlsrpt/decode.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "tlsrpt/json_tree.hpp"
#include "tlsrpt/limits.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {


// Invalid UTF-8 bytes kept as \xNN text in one report; more is not a report's stray byte.
constexpr std::size_t kMaxInvalidUtf8Bytes = 65536;

// Report strings must be UTF-8, but some senders' are not. A strict reader refuses such JSON, so
// each invalid byte is rewritten as the text \xNN (an escaped backslash in the JSON source): the string
// is kept, and shows the byte as render_text would. Returns the number of bytes rewritten and the
// offset of the first; `text` is left alone when there are none.
// Where each \xNN escape starts in the escaped text, so that an offset in it maps back to the
// byte of the file (error messages name the file's bytes, not the rewritten text's).
struct OffsetMap {
  std::size_t skipped = 0;           // bytes dropped before the JSON (BOM, whitespace)
  std::vector<std::size_t> escapes;  // escaped-text offsets of the 5-byte escapes, ascending
  std::size_t operator()(std::size_t offset) const {
    const auto before = std::lower_bound(escapes.begin(), escapes.end(), offset) - escapes.begin();
    std::size_t original = offset - 4 * static_cast<std::size_t>(before);
    // Inside an escape: its invalid byte.
    if (before > 0 && offset < escapes[static_cast<std::size_t>(before) - 1] + 5) {
      original = escapes[static_cast<std::size_t>(before) - 1] -
                 4 * (static_cast<std::size_t>(before) - 1);
    }
    return skipped + original;
  }
};

std::size_t escape_invalid_utf8(std::string_view text, std::string& out, std::size_t& first,
                                std::vector<std::size_t>& escapes) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {  // ASCII, the usual case
      std::size_t end = i + 1;
      // Eight bytes at a time while none has its top bit set.
      for (std::uint64_t word = 0; end + 8 <= text.size(); end += 8) {
        std::memcpy(&word, text.data() + end, 8);
        if (word & 0x8080808080808080ull) break;
      }
      while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80) ++end;
      if (count > 0) out.append(text.substr(i, end - i));
      i = end;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length > 0) {
      if (count > 0) out.append(text.substr(i, length));
      i += length;
      continue;
    }
    if (count++ == 0) {
      first = i;
      out.assign(text.substr(0, i));
    }
    if (count > kMaxInvalidUtf8Bytes) {  // each becomes five bytes: text, not a report
      throw InputError(fmt::format("byte {}", i),
                       fmt::format("more than {} bytes that are not UTF-8; not read as a report",
                                   kMaxInvalidUtf8Bytes));
    }
    escapes.push_back(out.size());
    out += fmt::format("\\\\x{:02X}", static_cast<unsigned char>(text[i]));
    ++i;
  }
  return count;
}

std::string describe(JsonRef value) {
  if (value.is_string()) {
    std::string text(value.as_string());
    if (text.size() > 40) text = text.substr(0, 40) + "…";
    return fmt::format("the string \"{}\"", text);
  }
  if (value.is_number()) return fmt::format("the number {}", value.number_text());
  return fmt::format("{} {}", value.is_array() || value.is_object() ? "an" : "a",
                     value.type_name());
}

// A JSON path such as policies[0].failure-details[3], formatted only when a warning or an error
// names it: a report has hundreds of failure details, and almost none of them needs its path.
// Refers to its parent and its key, which must outlive it (they do: both live on the stack of the
// decoding functions or in the parsed text).
class Path {
 public:
  Path() = default;  // the root, ""
  Path(const Path& parent, std::string_view key) : parent_(&parent), key_(key) {}
  Path(const Path& parent, std::size_t index) : parent_(&parent), index_(index), indexed_(true) {}

  std::string str() const {
    if (parent_ == nullptr) return {};
    std::string text = parent_->str();
    if (indexed_) return fmt::format("{}[{}]", text, index_);
    if (!text.empty()) text += '.';
    return text.append(key_);
  }

 private:
  const Path* parent_ = nullptr;
  std::string_view key_;
  std::size_t index_ = 0;
  bool indexed_ = false;
};

class Decoder {
 public:
  explicit Decoder(std::vector<Diagnostic>& warnings) : warnings_(warnings) {}

  // Warnings are listed up to kMaxWarningsPerReport per report; past that they are only counted
  // by code (finish() says how many), so a report of millions of unknown keys costs no memory
  // per key.
  void warn(const std::string& where, const char* code, std::string message) {
    if (full()) return count(code);
    warnings_.push_back(Diagnostic{Severity::warning, "", where, std::move(message), code});
  }
  bool full() const { return warnings_.size() >= kMaxWarningsPerReport; }
  void count(const char* code, std::uint64_t n = 1) {
    for (auto& [known, total] : unlisted_) {
      if (known == code) {
        total += n;
        return;
      }
    }
    unlisted_.emplace_back(code, n);
  }
  // The one warning that counts those not listed.
  void finish() {
    if (unlisted_.empty()) return;
    std::uint64_t total = 0;
    std::string codes;
    for (const auto& [code, n] : unlisted_) {
      total += n;
      codes += fmt::format("{}{} {}", codes.empty() ? "" : ", ", code, n);
    }
    warnings_.push_back(
        Diagnostic{Severity::warning, "", "",
                   fmt::format("{} more warnings not listed ({}); a report lists at most {}", total,
                               codes, kMaxWarningsPerReport),
                   "warnings_not_listed"});
  }

  // Keys a report object may hold, with the old or misspelt names real senders use.
  // Unknown keys are warned once each, in key order.
  void check_keys(JsonRef object, const Path& path, std::initializer_list<std::string_view> known) {
    std::vector<std::string_view> unknown;
    for (JsonRef member = object.first(); member; member = member.next()) {
      if (std::find(known.begin(), known.end(), member.key()) == known.end())
        unknown.push_back(member.key());
    }
    warn_unknown(path, unknown);
  }

  // One pass over `object` for the hot path (a report has hundreds of failure details): the last
  // member named names[i] (as find() gives it) into found[i]; unknown keys warned as check_keys
  // does.
  template <std::size_t N>
  void members(JsonRef object, const Path& path, const std::array<std::string_view, N>& names,
               std::array<JsonRef, N>& found) {
    std::vector<std::string_view> unknown;
    for (JsonRef member = object.first(); member; member = member.next()) {
      const std::string_view key = member.key();
      std::size_t i = 0;
      while (i < N && !(names[i].size() == key.size() && names[i] == key)) ++i;
      if (i < N) {
        found[i] = member;
      } else {
        unknown.push_back(key);
      }
    }
    warn_unknown(path, unknown);
  }

  void warn_unknown(const Path& path, std::vector<std::string_view>& unknown) {
    if (unknown.empty()) return;
    if (full()) return count("unknown_key", unknown.size());  // not worth sorting then
    std::sort(unknown.begin(), unknown.end());
    unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
    for (const std::string_view key : unknown) {
      warn(join(path, key), "unknown_key", fmt::format("unknown key \"{}\" ignored", key));
    }
  }

  static std::string join(const Path& path, std::string_view key) { return Path(path, key).str(); }

  // A string field. Missing or null: "" (with a warning when `expected`). Numbers are turned
  // into text with a warning; other types are ignored with a warning.
  std::string string_field(JsonRef object, std::string_view key, const Path& path, bool expected) {
    return string_value(object.find(key), key, path, expected);
  }
  // The same for the member `it` (invalid when absent) named `key`.
  std::string string_value(JsonRef it, std::string_view key, const Path& path, bool expected) {
    if (it && it.is_string()) return std::string(it.as_string());  // the usual case
    if ((!it || it.is_null()) && !expected) return {};             // optional and absent
    const std::string where = join(path, key);
    if (!it || it.is_null()) {
      warn(where, "missing_field", !it ? "missing" : "null");
      return {};
    }
    if (it.is_number()) {
      warn(where, "wrong_type",
           fmt::format("expected a string, got {}; used as text", describe(it)));
      return it.number_text();
    }
    warn(where, "wrong_type", fmt::format("expected a string, got {}; ignored", describe(it)));
    return {};
  }

  // A session count. Missing or null: 0 with a warning. Throws for counts that cannot be
  // taken at face value (negative, fractional, absurd, not a number).
  std::uint64_t count_field(JsonRef object, std::string_view key, const Path& path) {
    return count_value(object.find(key), key, path);
  }
  std::uint64_t count_value(JsonRef it, std::string_view key, const Path& path) {
    if (it && it.is_number_unsigned() && it.as_unsigned() <= kMaxSessionCount) {
      return it.as_unsigned();  // the usual case
    }
    const std::string where = join(path, key);
    if (!it || it.is_null()) {
      warn(where, "missing_count", fmt::format("{}; taken as 0", !it ? "missing" : "null"));
      return 0;
    }
    const JsonRef value = it;
    std::uint64_t count = 0;
    if (value.is_number_unsigned()) {
      count = value.as_unsigned();
    } else if (value.is_number_integer() && value.as_signed() == 0) {  // "-0"
      warn(where, "count_negative_zero",
           fmt::format("count written as {}; taken as 0", value.number_text()));
    } else if (value.is_number_integer()) {
      throw InputError(where, fmt::format("negative count {}", value.as_signed()));
    } else if (value.is_number_float()) {
      const double number = value.as_double();
      if (number >= 0 && number == std::floor(number) &&
          number > static_cast<double>(kMaxSessionCount)) {
        throw InputError(where, fmt::format("count {} is absurdly large (over {})",
                                            value.number_text(), kMaxSessionCount));
      }
      if (number == 0 && std::signbit(number)) {  // "-0.0"
        warn(where, "count_negative_zero",
             fmt::format("count written as {}; taken as 0", value.number_text()));
        return 0;
      }
      if (!(number >= 0) || number != std::floor(number)) {
        throw InputError(where, fmt::format("expected a non-negative integer count, got {}",
                                            value.number_text()));
      }
      warn(where, "count_as_float",
           fmt::format("count written as {}; taken as an integer", value.number_text()));
      count = static_cast<std::uint64_t>(number);
    } else if (value.is_string()) {
      const std::string_view text = value.as_string();
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
      if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
        throw InputError(
            where, fmt::format("expected a non-negative integer count, got {}", describe(value)));
      }
      warn(where, "count_as_string", fmt::format("count written as the string \"{}\"", text));
    } else {
      throw InputError(
          where, fmt::format("expected a non-negative integer count, got {}", describe(value)));
    }
    if (count > kMaxSessionCount) {
      throw InputError(
          where, fmt::format("count {} is absurdly large (over {})", count, kMaxSessionCount));
    }
    return count;
  }

  std::int64_t datetime_field(JsonRef range, std::string_view key, const Path& path) {
    const JsonRef it = range.find(key);
    const auto where = [&] { return join(path, key); };
    if (!it || it.is_null()) throw InputError(where(), "missing");
    if (!it.is_string()) {
      throw InputError(where(),
                       fmt::format("expected an RFC 3339 date-time, got {}", describe(it)));
    }
    const std::string_view text = it.as_string();
    const auto parsed = parse_rfc3339(text);
    if (!parsed) {
      throw InputError(where(),
                       fmt::format("expected an RFC 3339 date-time, got {}", describe(it)));
    }
    if (parsed->date_only) {
      warn(where(), "datetime_without_time",
           fmt::format("date \"{}\" has no time; taken as 00:00:00Z", text));
    } else if (!parsed->had_zone) {
      warn(where(), "datetime_without_zone",
           fmt::format("date-time \"{}\" has no time zone; taken as UTC", text));
    }
    return parsed->unix_seconds;
  }

  std::vector<std::string> string_list(JsonRef value, const Path& path) {
    const auto where = [&path] { return path.str(); };
    std::vector<std::string> list;
    if (value.is_string()) {
      warn(where(), "string_not_array", "expected an array of strings, got a single string");
      list.emplace_back(value.as_string());
      return list;
    }
    if (!value.is_array()) {
      warn(where(), "wrong_type",
           fmt::format("expected an array of strings, got {}; ignored", describe(value)));
      return list;
    }
    std::size_t i = 0;
    for (JsonRef element = value.first(); element; element = element.next(), ++i) {
      if (element.is_string()) {
        list.emplace_back(element.as_string());
      } else {
        warn(Path(path, i).str(), "wrong_type",
             fmt::format("expected a string, got {}; ignored", describe(element)));
      }
    }
    return list;
  }

  void decode_policy_block(JsonRef block, const Path& path, Policy& policy) {
    check_keys(block, path,
               {"policy-type", "policy-string", "policy-domain", "mx-host", "mx-host-pattern"});
    policy.policy_type_text = string_field(block, "policy-type", path, true);
    policy.policy_type = parse_policy_type(policy.policy_type_text);
    if (policy.policy_type == PolicyType::unknown && !policy.policy_type_text.empty()) {
      warn(join(path, "policy-type"), "unknown_policy_type",
           fmt::format("policy-type \"{}\" is not sts, tlsa or no-policy-found; kept as is",
                       policy.policy_type_text));
    }
    if (const JsonRef it = block.find("policy-string"); it && !it.is_null()) {
      const Path where(path, "policy-string");
      policy.policy_string = string_list(it, where);
      unpack_tlsa_records(policy, where);
      if (policy.policy_string.size() == 1 && policy.policy_type == PolicyType::sts &&
          policy.policy_string[0].find('\n') != std::string::npos) {
        // The whole policy file in one string: split its lines.
        std::vector<std::string> lines;
        std::string_view text = policy.policy_string[0];
        while (!text.empty()) {
          const auto newline = text.find('\n');
          lines.emplace_back(text.substr(0, newline));
          text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        }
        policy.policy_string = std::move(lines);
      }
    }
    policy.policy_domain = string_field(block, "policy-domain", path,
                                        policy.policy_type != PolicyType::no_policy_found);
    std::string_view mx_key = "mx-host";
    if (!block.contains("mx-host") && block.contains("mx-host-pattern")) {
      mx_key = "mx-host-pattern";
      warn(join(path, mx_key), "key_alias", "old key \"mx-host-pattern\" read as \"mx-host\"");
    }
    if (const JsonRef it = block.find(mx_key); it && !it.is_null()) {
      const Path where(path, mx_key);
      policy.mx_host = string_list(it, where);
      for (std::string& host : policy.mx_host) {
        if (host.starts_with("mx:")) {
          warn(where.str(), "mx_host_prefixed",
               fmt::format("entry \"{}\" carries an \"mx:\" prefix; removed", host));
          host.erase(0, host.find_first_not_of(' ', 3));
        }
      }
    }
    if (policy.policy_type == PolicyType::sts && !policy.policy_string.empty()) {
      policy.sts = parse_sts_policy(policy.policy_string);
      for (const std::string& problem : policy.sts->problems) {
        warn(join(path, "policy-string"), "sts_policy_problem",
             fmt::format("the MTA-STS policy the sender applied is not valid: {}", problem));
      }
    }
  }

  // Microsoft packs the TLSA records as one JSON-encoded array inside a one-element array.
  void unpack_tlsa_records(Policy& policy, const Path& where) {
    if (policy.policy_string.size() != 1 || !policy.policy_string[0].starts_with('[')) return;
    JsonTree inner;
    std::size_t offset = 0;
    if (inner.parse(policy.policy_string[0], kMaxJsonDepth, offset) != JsonTree::Outcome::ok ||
        !inner.root().is_array())
      return;
    std::vector<std::string> records;
    for (JsonRef record = inner.root().first(); record; record = record.next()) {
      if (!record.is_string()) return;
      records.emplace_back(record.as_string());
    }
    warn(where.str(), "policy_string_packed",
         fmt::format("records packed as one JSON-encoded string; unpacked {} records",
                     records.size()));
    policy.policy_string = std::move(records);
  }

  void decode_detail(JsonRef value, const Path& path, FailureDetail& detail) {
    if (!value.is_object()) {
      throw InputError(path.str(), fmt::format("expected an object, got {}", describe(value)));
    }
    static constexpr std::array<std::string_view, 10> kNames = {"result-type",
                                                                "sending-mta-ip",
                                                                "receiving-mx-hostname",
                                                                "receiving-mx-helo",
                                                                "receiving-ip",
                                                                "failed-session-count",
                                                                "additional-information",
                                                                "additional-info-uri",
                                                                "failure-reason-code",
                                                                "failure-error-code"};
    std::array<JsonRef, kNames.size()> found;
    members(value, path, kNames, found);
    detail.result_type_text = string_value(found[0], kNames[0], path, true);
    detail.result_type = parse_result_type(detail.result_type_text);
    if (detail.result_type == ResultType::unknown) {
      warn(join(path, "result-type"), "unknown_result_type",
           detail.result_type_text.empty()
               ? std::string("no result-type; counted as an unknown type")
               : fmt::format("result-type \"{}\" is not in the IANA registry; kept as is",
                             detail.result_type_text));
    }
    detail.sending_mta_ip = string_value(found[1], kNames[1], path, false);
    detail.receiving_mx_hostname = string_value(found[2], kNames[2], path, false);
    detail.receiving_mx_helo = string_value(found[3], kNames[3], path, false);
    detail.receiving_ip = string_value(found[4], kNames[4], path, false);
    detail.failed_session_count = count_value(found[5], kNames[5], path);
    detail.additional_information = aliased_value(found[6], found[7], path, kNames[6], kNames[7]);
    detail.failure_reason_code = aliased_value(found[8], found[9], path, kNames[8], kNames[9]);
  }

  // The member `current` (named `key`), or else, with a warning, `old` (the old name `old_key`).
  std::string aliased_value(JsonRef current, JsonRef old, const Path& path, std::string_view key,
                            std::string_view old_key) {
    if (!current && old) {
      warn(join(path, old_key), "key_alias",
           fmt::format("old key \"{}\" read as \"{}\"", old_key, key));
      return string_value(old, old_key, path, false);
    }
    return string_value(current, key, path, false);
  }

  void decode_policy(JsonRef value, const Path& path, Policy& policy) {
    if (!value.is_object()) {
      throw InputError(path.str(), fmt::format("expected an object, got {}", describe(value)));
    }
    check_keys(value, path, {"policy", "summary", "failure-details"});
    if (const JsonRef it = value.find("policy"); it && it.is_object()) {
      decode_policy_block(it, Path(path, "policy"), policy);
    } else {
      warn(join(path, "policy"), "missing_field",
           !it ? "missing; policy type unknown" : "not an object; policy type unknown");
    }
    const JsonRef summary = value.find("summary");
    if (!summary || !summary.is_object()) {
      throw InputError(join(path, "summary"),
                       !summary ? "missing; without it the policy's sessions cannot be counted"
                                : fmt::format("expected an object, got {}", describe(summary)));
    }
    const Path summary_path(path, "summary");
    check_keys(summary, summary_path,
               {"total-successful-session-count", "total-failure-session-count"});
    policy.total_successful_session_count =
        count_field(summary, "total-successful-session-count", summary_path);
    policy.total_failure_session_count =
        count_field(summary, "total-failure-session-count", summary_path);

    const Path details_path(path, "failure-details");
    std::uint64_t detail_sum = 0;
    if (const JsonRef details = value.find("failure-details"); details && !details.is_null()) {
      if (!details.is_array()) {
        throw InputError(details_path.str(),
                         fmt::format("expected an array, got {}", describe(details)));
      }
      // At most kMaxFailureDetails are itemized per report (a detail is a few hundred bytes
      // decoded); the failed sessions of the others still count in the policy's totals.
      const std::uint64_t room = kMaxFailureDetails - std::min(details_, kMaxFailureDetails);
      const std::size_t kept =
          static_cast<std::size_t>(std::min<std::uint64_t>(details.size(), room));
      policy.failure_details.resize(kept);
      details_ += kept;
      std::size_t i = 0;
      std::uint64_t dropped = 0, dropped_sessions = 0;
      for (JsonRef detail = details.first(); detail; detail = detail.next(), ++i) {
        std::uint64_t failed = 0;
        if (i < kept) {
          decode_detail(detail, Path(details_path, i), policy.failure_details[i]);
          failed = policy.failure_details[i].failed_session_count;
        } else {
          ++dropped;
          const JsonRef count =
              detail.is_object() ? detail.find("failed-session-count") : JsonRef();
          failed = count && count.is_number_unsigned()
                       ? std::min(count.as_unsigned(), kMaxSessionCount)
                       : 0;
          dropped_sessions += failed;
        }
        // Each count is at most 2^53, so 2^10 of them cannot overflow; beyond, saturate.
        detail_sum = detail_sum > UINT64_MAX - failed ? UINT64_MAX : detail_sum + failed;
      }
      if (dropped > 0) {
        warn(details_path.str(), "failure_details_capped",
             fmt::format("{} failure details past the first {} of the report are not itemized "
                         "(their {} failed sessions still count in the totals)",
                         dropped, kMaxFailureDetails, dropped_sessions));
      }
    }
    if (detail_sum > policy.total_failure_session_count) {
      warn(details_path.str(), "detail_sum_exceeds_total",
           fmt::format("failure-details add up to {} failed sessions but the summary's "
                       "total-failure-session-count is {}; the summary total is used",
                       detail_sum, policy.total_failure_session_count));
    } else if (detail_sum < policy.total_failure_session_count) {
      warn(details_path.str(), "detail_sum_below_total",
           policy.failure_details.empty()
               ? fmt::format(
                     "no failure-details for {} failed sessions; their failure type is unknown",
                     policy.total_failure_session_count)
               : fmt::format("failure-details add up to {} failed sessions but the summary's "
                             "total-failure-session-count is {}; {} are not itemized",
                             detail_sum, policy.total_failure_session_count,
                             policy.total_failure_session_count - detail_sum));
    }
  }

  Report decode(JsonRef root) {
    Report report;
    const Path top;
    check_keys(root, top,
               {"organization-name", "date-range", "contact-info", "report-id", "policies"});
    report.organization_name = string_field(root, "organization-name", top, true);
    report.contact_info = string_field(root, "contact-info", top, true);
    report.report_id = string_field(root, "report-id", top, true);

    const JsonRef range = root.find("date-range");
    if (!range || !range.is_object()) {
      throw InputError("date-range",
                       !range ? "missing; a report must say which period it covers"
                              : fmt::format("expected an object, got {}", describe(range)));
    }
    const Path range_path(top, "date-range");
    check_keys(range, range_path, {"start-datetime", "end-datetime"});
    report.date_range.start = datetime_field(range, "start-datetime", range_path);
    report.date_range.end = datetime_field(range, "end-datetime", range_path);
    if (report.date_range.end < report.date_range.start) {
      throw InputError("date-range", "end-datetime is before start-datetime");
    }

    const JsonRef policies = root.find("policies");
    if (!policies || !policies.is_array()) {
      throw InputError("policies",
                       !policies ? "missing; a report without policies has no sessions"
                                 : fmt::format("expected an array, got {}", describe(policies)));
    }
    if (policies.size() == 0) {
      warn("policies", "no_policies", "empty: the report counts no sessions");
    }
    report.policies.resize(policies.size());
    const Path policies_path(top, "policies");
    std::size_t i = 0;
    for (JsonRef policy = policies.first(); policy; policy = policy.next(), ++i) {
      decode_policy(policy, Path(policies_path, i), report.policies[i]);
    }
    return report;
  }

 private:
  std::vector<Diagnostic>& warnings_;
  std::vector<std::pair<std::string_view, std::uint64_t>> unlisted_;  // code → warnings not listed
  std::uint64_t details_ = 0;  // failure details itemized so far in this report
};

// A TLS report has "policies", or both "date-range" and one of "organization-name"/"report-id".
// Returns "" when `root` looks like one, else why not.
std::string not_a_report_reason(JsonRef root) {
  if (!root.is_object()) {
    return fmt::format("JSON {}, not a TLS report (an object)", root.type_name());
  }
  if (root.contains("feedback") || root.contains("report_metadata") ||
      root.contains("policy_published")) {
    return "a DMARC aggregate report in JSON, not a TLS report";
  }
  if (root.contains("policies") ||
      (root.contains("date-range") &&
       (root.contains("organization-name") || root.contains("report-id")))) {
    return "";
  }
  return "JSON object without TLS-RPT keys (policies, date-range), not a TLS report";
}

}  // namespace

DecodeResult decode_report(std::string_view text) {
  DecodeResult result;
  Decoder decoder(result.warnings);
  std::size_t skipped = 0;
  if (text.starts_with("\xEF\xBB\xBF")) {
    decoder.warn("byte 0", "utf8_bom", "starts with a UTF-8 byte-order mark; ignored");
    text.remove_prefix(3);
    skipped = 3;
  }
  if (const auto first = text.find_first_not_of(" \t\r\n");
      first != 0 && first != std::string_view::npos) {
    decoder.warn(fmt::format("byte {}", skipped), "leading_whitespace",
                 fmt::format("{} byte{} of whitespace before the JSON; ignored", first,
                             first == 1 ? "" : "s"));
    text.remove_prefix(first);
    skipped += first;
  }
  if (const auto last = text.find_last_not_of('\0');
      last != std::string_view::npos && last + 1 < text.size()) {
    decoder.warn(fmt::format("byte {}", skipped + last + 1), "nul_padding",
                 fmt::format("{} NUL bytes after the JSON; ignored", text.size() - last - 1));
    text = text.substr(0, last + 1);
  }
  std::string escaped;
  std::size_t first_invalid = 0;
  OffsetMap original;
  original.skipped = skipped;
  if (const std::size_t invalid =
          escape_invalid_utf8(text, escaped, first_invalid, original.escapes);
      invalid > 0) {
    decoder.warn(fmt::format("byte {}", skipped + first_invalid), "invalid_utf8",
                 fmt::format("{} byte{} that are not UTF-8, kept as \\xNN text", invalid,
                             invalid == 1 ? "" : "s"));
    text = escaped;
  }
  // One tree per thread, reused: its node and text buffers keep their capacity.
  thread_local JsonTree tree;
  std::size_t offset = 0;
  const auto outcome = tree.parse(text, kMaxJsonDepth, offset, kMaxJsonValues);
  struct Release {  // whatever happens next, a tree that grew large gives back its room
    JsonTree& tree;
    ~Release() { tree.release_if_large(); }
  } release{tree};
  switch (outcome) {
    case JsonTree::Outcome::ok:
      break;
    case JsonTree::Outcome::too_large:
      throw InputError(fmt::format("byte {}", original(offset)),
                       fmt::format("more than {} JSON values; a TLS report has far fewer, so "
                                   "this one is not read",
                                   kMaxJsonValues));
    case JsonTree::Outcome::too_deep:
      throw InputError(fmt::format("byte {}", original(offset)),
                       fmt::format("JSON nested deeper than {} levels", kMaxJsonDepth));
    case JsonTree::Outcome::invalid:
      throw InputError(fmt::format("byte {}", original(offset)), "invalid JSON: " + tree.error());
  }
  // Duplicate keys: the last value is used (as most JSON readers do); say so, naming the key.
  for (const std::string& key : tree.duplicate_keys()) {
    decoder.warn(
        "", "duplicate_key",
        fmt::format("key \"{}\" appears twice in one object; the last value is used", key));
  }
  if (tree.unlisted_duplicate_keys() > 0)
    decoder.count("duplicate_key", tree.unlisted_duplicate_keys());
  const JsonRef root = tree.root();
  result.not_report_reason = not_a_report_reason(root);
  if (!result.not_report_reason.empty()) {
    result.is_report = false;
    result.warnings.clear();
    return result;
  }
  result.report = decoder.decode(root);
  decoder.finish();
  return result;
}

}  // namespace tlsrpt
