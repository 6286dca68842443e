// The live state as JSON (`tlsrpt domain --format json`, and inside check and summary).
#include "render_json_internal.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tlsrpt/remedy.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

using namespace json_detail;

namespace {

void write_finding(JsonWriter& out, const Finding& finding) {
  out.begin_object();
  out.field("check", finding.check);
  out.field("severity", finding_severity_name(finding.severity));
  out.field("subject", finding.subject);
  out.field_text_or_null("result_type",
                         finding.result_type ? result_type_name(*finding.result_type) : "");
  out.field("message", finding.message);
  out.field("could_not_tell", finding.could_not_tell);
  out.end_object();
}

void write_answer(JsonWriter& out, std::string_view key, const DnsAnswer& answer) {
  out.key(key);
  out.begin_object();
  out.field("status", dns_status_name(answer.status));
  out.field("dnssec_secure", answer.secure);
  out.field_text_or_null("error", answer.error);
  out.end_object();
}

void write_probe(JsonWriter& out, const SmtpProbe& probe) {
  out.begin_object();
  out.field("address", probe.address);
  out.field("dialed", probe.dialed);
  out.field("connected", probe.connected);
  out.field_text_or_null("banner", probe.banner);
  out.field("starttls_offered", probe.starttls_offered);
  out.field("tls_handshake", probe.handshake);
  out.field_text_or_null("tls_version", probe.tls_version);
  out.field("trusted", probe.trusted);
  out.field_text_or_null("trust_error", probe.trust_error);
  out.field("name_matches", probe.name_matches);
  out.key("chain");
  out.array(probe.chain, [&out](const CertificateInfo& certificate) {
    out.begin_object();
    out.field("subject", certificate.subject);
    out.field("issuer", certificate.issuer);
    out.field("not_before", format_rfc3339(certificate.not_before));
    out.field("not_after", format_rfc3339(certificate.not_after));
    out.end_object();
  });
  out.field("dane_checked", probe.dane_checked);
  out.field("dane_matched", probe.dane_matched);
  out.field_text_or_null("dane_error", probe.dane_error);
  out.field_text_or_null("error", probe.error);
  out.field("could_not_tell", probe.could_not_tell);
  out.end_object();
}

void write_state(JsonWriter& out, const DomainState& state) {
  out.begin_object();
  out.field("domain", state.domain);
  out.key("tlsrpt_record");
  out.begin_object();
  write_answer(out, "dns", state.tlsrpt_answer);
  out.key("records");
  out.array(state.tlsrpt, [&out](const TlsrptRecord& record) {
    out.begin_object();
    out.field("text", record.text);
    out.field("rua", record.rua);
    out.key("extensions");
    out.begin_object();
    for (const auto& [name, value] : record.extensions) out.field(name, value);
    out.end_object();
    out.field("problems", record.problems);
    out.end_object();
  });
  out.end_object();
  out.key("sts_record");
  out.begin_object();
  write_answer(out, "dns", state.sts_answer);
  out.key("records");
  out.array(state.sts, [&out](const StsRecord& record) {
    out.begin_object();
    out.field("text", record.text);
    out.field("id", record.id);
    out.field("problems", record.problems);
    out.end_object();
  });
  out.end_object();
  out.key("policy");
  out.begin_object();
  out.field("url", state.policy.url);
  out.field("fetched", state.policy.attempted && state.policy.error.empty());
  out.key("http_status");
  state.policy.http_status ? out.number(static_cast<u64>(state.policy.http_status)) : out.null();
  out.field_text_or_null("content_type", state.policy.content_type);
  out.field_text_or_null("redirect_location", state.policy.location);
  out.field_text_or_null("error", state.policy.error);
  if (state.policy.policy) {
    const StsPolicy& policy = *state.policy.policy;
    out.field_text_or_null("version", policy.version);
    out.field_text_or_null("mode", policy.mode_text);
    out.key("max_age");
    policy.max_age ? out.number(*policy.max_age) : out.null();
    out.field("mx", policy.mx);
    out.key("extensions");
    out.begin_object();
    for (const auto& [name, value] : policy.extensions) out.field(name, value);
    out.end_object();
    out.field("problems", policy.problems);
  }
  out.end_object();
  write_answer(out, "mx_dns", state.mx_answer);
  out.field("null_mx", state.null_mx);
  out.key("mx");
  out.array(state.mx, [&out](const MxHost& mx) {
    out.begin_object();
    out.field("host", mx.host);
    out.field("preference", static_cast<u64>(mx.preference));
    out.field("covered_by_policy", mx.covered);
    out.field("addresses", mx.addresses);
    out.field("addresses_dnssec_secure", (mx.a.status != DnsStatus::ok || mx.a.secure) &&
                                             (mx.aaaa.status != DnsStatus::ok || mx.aaaa.secure));
    out.key("tlsa");
    if (mx.tlsa_answer) {
      out.begin_object();
      out.field("status", dns_status_name(mx.tlsa_answer->status));
      out.field("dnssec_secure", mx.tlsa_answer->secure);
      out.key("usable");
      out.array(mx.tlsa, [&out](const TlsaRecord& record) {
        std::string hex;
        for (const char c : record.data)
          hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
        out.string(fmt::format("{} {} {} {}", record.usage, record.selector, record.matching, hex));
      });
      out.end_object();
    } else {
      out.null();
    }
    out.key("probes");
    out.array(mx.probes, [&out](const SmtpProbe& probe) { write_probe(out, probe); });
    out.end_object();
  });
  out.end_object();
}

}  // namespace

void json_detail::write_live_members(JsonWriter& out, const LiveCheck& live) {
  out.key("findings");
  out.begin_array();
  for (const DomainState& state : live.domains) {
    for (const Finding& finding : state.findings) {
      out.element();
      write_finding(out, finding);
    }
  }
  out.end_array();
  out.key("live_domains");
  out.array(live.domains, [&out](const DomainState& state) { write_state(out, state); });
  if (live.with_reports) {
    out.key("reported_failures");
    out.array(live.reported, [&out](const ReportedFailure& failure) {
      out.begin_object();
      out.field("result_type", failure.result_type);
      out.field("policy_domain", failure.policy_domain);
      out.field("receiving_mx_hostname", failure.receiving_mx_hostname);
      out.field("failed", failure.failed);
      out.field("live", live_status_name(failure.live));
      out.field("reason", failure.reason);
      out.end_object();
    });
  }
}

void write_domain_json(const LiveCheck& live, std::ostream& stream) {
  JsonWriter out(stream);
  out.begin_object();
  out.field("schema_version", u64{kJsonSchemaVersion});
  out.field("now", format_rfc3339(live.now));
  write_live_members(out, live);
  out.end_object();
  out.end_document();
}

}  // namespace tlsrpt
