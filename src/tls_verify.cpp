#include "tls_verify.hpp"

#include <openssl/x509v3.h>

namespace tlsrpt {

ChainVerdict verify_chain(X509* leaf, STACK_OF(X509) * chain, const std::string& host,
                          const std::string& ca_file) {
  ChainVerdict verdict;
  X509_STORE* store = X509_STORE_new();
  X509_STORE_set_default_paths(store);
  if (!ca_file.empty()) X509_STORE_load_file(store, ca_file.c_str());
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  if (X509_STORE_CTX_init(context, store, leaf, chain) == 1) {
    // Time apart, so that an expired certificate is "expired", not "untrusted".
    X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(context), X509_V_FLAG_NO_CHECK_TIME);
    X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_SERVER);
    verdict.trusted = X509_verify_cert(context) == 1;
    if (!verdict.trusted) {
      verdict.trust_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(context));
    }
  }
  X509_STORE_CTX_free(context);
  X509_STORE_free(store);
  verdict.name_matches = X509_check_host(leaf, host.c_str(), host.size(),
                                         X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1 ||
                         X509_check_ip_asc(leaf, host.c_str(), 0) == 1;
  verdict.in_validity = X509_cmp_current_time(X509_get0_notBefore(leaf)) < 0 &&
                        X509_cmp_current_time(X509_get0_notAfter(leaf)) > 0;
  return verdict;
}

}  // namespace tlsrpt
