// A server's certificate chain checked as a mail client checks it: to a trusted root (the
// system's and an extra CA file), and a name matching the host. Shared by the SMTP probe of the
// live check and the IMAP fetch. Internal: OpenSSL types do not leave src/.
#pragma once

#include <string>

#include <openssl/x509.h>

namespace tlsrpt {

struct ChainVerdict {
  bool trusted = false;  // verifies to a trusted root; validity times are judged apart
  std::string trust_error;
  bool name_matches = false;  // a SAN dNSName (or IP address) matches `host`
  bool in_validity = false;   // the leaf is valid now
};

// `chain` may be null; `ca_file` empty for the system's roots only.
ChainVerdict verify_chain(X509* leaf, STACK_OF(X509) * chain, const std::string& host,
                          const std::string& ca_file);

}  // namespace tlsrpt
