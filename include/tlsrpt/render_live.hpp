// The live state (live.hpp) for people and for machines.
#pragma once

#include <ostream>

#include "tlsrpt/json_writer.hpp"
#include "tlsrpt/live.hpp"
#include "tlsrpt/render_text.hpp"

namespace tlsrpt {

// Findings, most severe first, each with what to do; then, with reports, whether each reported
// failure is fixed now.
void render_live_text(const LiveCheck& live, const TextOptions& options, std::ostream& out);

// `domain --format json`: {"schema_version", "now", "findings", "domains", "reported_failures"}.
void write_domain_json(const LiveCheck& live, std::ostream& out);
// The same members inside an object already open (check --live, summary --live).
void write_live_members(JsonWriter& out, const LiveCheck& live);

}  // namespace tlsrpt
