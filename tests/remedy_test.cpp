#include "tlsrpt/remedy.hpp"

#include <set>

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

TEST(Remedy, EveryKnownResultTypeHasItsOwnHint) {
  std::set<std::string_view> ids;
  for (int i = 0; i < static_cast<int>(ResultType::unknown); ++i) {
    const auto type = static_cast<ResultType>(i);
    const Remedy remedy = remedy_for(type);
    EXPECT_EQ(remedy.id, result_type_name(type));
    EXPECT_FALSE(remedy.meaning.empty());
    EXPECT_FALSE(remedy.action.empty());
    ids.insert(remedy.id);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(ResultType::unknown));
}

TEST(Remedy, UnknownTypesGetTheGenericHint) {
  EXPECT_EQ(remedy_for(ResultType::unknown).id, "unknown");
  EXPECT_EQ(remedy_for(ResultType::unknown, "").id, "unknown");
}

TEST(Remedy, SharpensCommonReasonCodes) {
  EXPECT_EQ(remedy_for(ResultType::certificate_expired, "X509_V_ERR_CERT_HAS_EXPIRED").id,
            "reason-cert-expired");
  EXPECT_EQ(remedy_for(ResultType::validation_failure, "MX_HOSTS_MISMATCH").id,
            "reason-mx-not-in-policy");
  EXPECT_EQ(remedy_for(ResultType::sts_policy_fetch_error, "bad https response code: 404").id,
            "reason-policy-http-status");
  EXPECT_EQ(remedy_for(ResultType::certificate_not_trusted, "self-signed_certificate").id,
            "reason-self-signed");
  EXPECT_EQ(remedy_for(ResultType::certificate_not_trusted,
                       "x509_v_err_unable_to_get_issuer_cert_locally")
                .id,
            "reason-incomplete-chain");
}

TEST(Remedy, FallsBackToTheTypeForUnfamiliarCodes) {
  EXPECT_EQ(remedy_for(ResultType::validation_failure, "VALIDATION_FAILURE").id,
            "validation-failure");
  EXPECT_EQ(remedy_for(ResultType::dnssec_invalid, "123").id, "dnssec-invalid");
}

TEST(Remedy, WireNamesRoundTrip) {
  for (int i = 0; i < static_cast<int>(ResultType::unknown); ++i) {
    const auto type = static_cast<ResultType>(i);
    EXPECT_EQ(parse_result_type(result_type_name(type)), type);
  }
  EXPECT_EQ(parse_result_type("Testing"), ResultType::unknown);
  EXPECT_EQ(parse_policy_type("no-policy-found"), PolicyType::no_policy_found);
  EXPECT_EQ(parse_policy_type("invalid-policy-type"), PolicyType::unknown);
}

}  // namespace
}  // namespace tlsrpt
