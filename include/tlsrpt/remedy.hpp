// What each failure type means and what the operator does about it: one table.
#pragma once

#include <string_view>

#include "tlsrpt/report.hpp"

namespace tlsrpt {

struct Remedy {
  std::string_view id;       // stable hint id for machine output, e.g. "certificate-expired"
  std::string_view meaning;  // one sentence
  std::string_view action;   // what to do
};

// The hint for a result type; a generic one for unknown types.
Remedy remedy_for(ResultType type);

// A sharper hint when `failure_reason_code` is a well-known value (OpenSSL X509_V_ERR_*,
// Microsoft constants, Go/Postfix error strings); otherwise the hint for the type.
Remedy remedy_for(ResultType type, std::string_view failure_reason_code);

}  // namespace tlsrpt
