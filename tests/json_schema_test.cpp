// The machine outputs validate against the JSON Schemas in docs/schemas/ (Debian's
// python3-jsonschema, tests/schemas/validate.py), on testdata/ and on ../shared/samples when it
// exists. The schemas are strict (every key listed, no other allowed), so a change of the
// contract fails here until docs/schemas and docs/json-output.md say it.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tlsrpt/cli.hpp"

namespace tlsrpt {
namespace {

using testing::run_cli;
using testing::testdata;

bool have_jsonschema() {
  return std::system("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null") == 0;
}

// Writes each output to a file and validates them all against docs/schemas/NAME.
void expect_valid(const std::string& schema, const std::vector<std::string>& outputs,
                  const std::string& extension = ".json") {
  std::vector<std::string> files;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    files.push_back(fmt::format("{}schema-{}-{}{}", ::testing::TempDir(), schema, i, extension));
    std::ofstream(files.back()) << outputs[i];
  }
  const std::string command =
      fmt::format("/usr/bin/python3 {} {} {} 2>&1", testdata("../tests/schemas/validate.py"),
                  testdata("../docs/schemas/" + schema), fmt::join(files, " "));
  int status = 0;
  const std::string result = testing::run_command(command, &status);
  EXPECT_EQ(status, 0) << result;
  EXPECT_EQ(result, "ok\n");
}

std::vector<std::vector<std::string>> inputs() {
  std::vector<std::vector<std::string>> sets{
      {"--now", "2026-05-12", testdata("reports"), testdata("mail"), testdata("hostile"),
       testdata("bad")},
      {testdata("reports")},
      {"--now", "2026-05-12", testdata("bad")},
  };
  if (!testing::samples_dir().empty()) sets.push_back({testing::samples_dir()});
  return sets;
}

std::vector<std::string> outputs_of(const std::vector<std::string>& command) {
  std::vector<std::string> outputs;
  for (const auto& input : inputs()) {
    std::vector<std::string> args = command;
    args.insert(args.end(), input.begin(), input.end());
    outputs.push_back(run_cli(args).out);
  }
  return outputs;
}

class JsonSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_jsonschema()) {
      GTEST_SKIP() << "python3-jsonschema not installed (scripts/deps --test installs it)";
    }
  }
};

TEST_F(JsonSchema, SummaryCheckAndAlerts) {
  expect_valid("summary.schema.json", outputs_of({"summary", "--format", "json"}));
  expect_valid("check.schema.json", outputs_of({"check", "--format", "json"}));
  expect_valid("alerts.schema.json", outputs_of({"alerts", "--format", "json"}));
}

TEST_F(JsonSchema, ShowAndExportRows) {
  std::vector<std::string> shows;
  for (const char* file : {"reports/rfc-style.json", "mail/two-attachments.eml",
                           "mbox/postmaster.mbox", "hostile/html-injection.json"}) {
    shows.push_back(run_cli({"show", "--format", "json", testdata(file)}).out);
  }
  expect_valid("show.schema.json", shows);
  expect_valid("export-row.schema.json", outputs_of({"export", "--format", "ndjson"}), ".ndjson");
}

TEST_F(JsonSchema, EverySchemaIsAStrictDraft202012Schema) {
  for (const auto& entry : std::filesystem::directory_iterator(testdata("../docs/schemas"))) {
    const std::string text = testing::read_bytes(entry.path().string());
    EXPECT_NE(text.find("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""),
              std::string::npos)
        << entry.path();
    EXPECT_NE(text.find("\"additionalProperties\": false"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace tlsrpt
