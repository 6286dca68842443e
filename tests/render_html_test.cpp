// The HTML report: escaped in every context, self-contained, the same numbers as the JSON, and
// bounded in size; then opened in a real headless Chromium (tests/browser/check_html.py) when
// chromium, chromium-driver and python3-selenium are installed (scripts/deps --test).
#include "tlsrpt/render_html.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/cli.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {
namespace {

using nlohmann::json;
using testing::run_cli;
using testing::testdata;

std::vector<std::string> inputs() {
  return {testdata("reports"), testdata("mail"), testdata("hostile/html-injection.json")};
}

testing::CliRun summary(const std::string& format) {
  std::vector<std::string> args{"summary", "--now", "2026-05-12", "--format", format};
  for (const std::string& input : inputs()) args.push_back(input);
  return run_cli(args);
}

std::string by_id(const std::string& html, const std::string& id) {
  std::smatch match;
  const std::regex pattern("id=\"" + id + "\"[^>]*>([^<]*)<");
  return std::regex_search(html, match, pattern) ? match[1].str() : "";
}

TEST(RenderHtml, TextIsEscapedForElementsAndAttributes) {
  EXPECT_EQ(html_text("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(html_text("bell\x07 csi\xc2\x9b"), "bell\\x07 csi\\u{9B}");
  EXPECT_EQ(html_text("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 stays
  EXPECT_EQ(html_text("bad \xff"), "bad \\xFF");
}

TEST(RenderHtml, SameNumbersAsTheJson) {
  const testing::CliRun html = summary("html");
  const testing::CliRun json_run = summary("json");
  ASSERT_EQ(html.status, json_run.status);
  const json data = json::parse(json_run.out);
  EXPECT_EQ(by_id(html.out, "total-sessions"), group_digits(data["totals"]["sessions"]));
  EXPECT_EQ(by_id(html.out, "total-failed"), group_digits(data["totals"]["failed"]));
  EXPECT_EQ(by_id(html.out, "total-successful"), group_digits(data["totals"]["successful"]));
  EXPECT_EQ(by_id(html.out, "total-reports"), group_digits(data["reports"]));
  EXPECT_EQ(by_id(html.out, "total-rate"),
            format_percent(data["totals"]["failure_rate"].get<double>()));
  EXPECT_NE(html.out.find("data-verdict=\"" + data["check"]["verdict"].get<std::string>() + "\""),
            std::string::npos);
  // Every sender of the JSON, in its order, in the senders table.
  std::size_t at = html.out.find("id=\"senders-table\"");
  ASSERT_NE(at, std::string::npos);
  for (const auto& sender : data["senders"]) {
    const std::string name = html_text(sender["organization_name"].get<std::string>());
    at = html.out.find("<tr><td>" + name + "</td>", at);
    EXPECT_NE(at, std::string::npos) << name;
  }
}

TEST(RenderHtml, NothingFromAReportBecomesMarkupOrLeavesThePage) {
  const std::string html = summary("html").out;
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                      "'none'; style-src 'unsafe-inline'; img-src 'none';"),
            std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<a "), std::string::npos);  // no link at all, javascript: or other
  EXPECT_FALSE(std::regex_search(html, std::regex("<[^>]*\\son[a-z]+\\s*=")));  // no handler
  EXPECT_FALSE(std::regex_search(html, std::regex("<[^>]*\\sstyle\\s*=")));     // no inline style
  EXPECT_FALSE(std::regex_search(html, std::regex("<[^>]*\\s(src|href)\\s*=")));
  const std::string style =
      html.substr(html.find("<style>"), html.find("</style>") - html.find("<style>"));
  EXPECT_EQ(style.find("url("), std::string::npos);
  EXPECT_EQ(std::count(html.begin(), html.end(), '\x07'), 0);
  // The hostile strings are there, as text.
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;org&#39;)&lt;/script&gt;Evil &quot;Sender&quot;"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;.example"),
            std::string::npos);
  EXPECT_NE(html.find("\\x07\\u{9B}2J&lt;svg onload=alert(&#39;svg&#39;)&gt;"), std::string::npos);
}

TEST(RenderHtml, ThousandsOfSendersStayAPageOfAFewMegabytes) {
  Summary many;
  many.reports = 20000;
  many.totals = {1000000, 5000};
  for (int i = 0; i < 5000; ++i) {
    many.senders.push_back({fmt::format("sender-{}.example", i), Counts{200, 1}, 4});
    Series series;
    series.name = many.senders.back().name;
    for (int day = 0; day < 31; ++day) {
      series.days.push_back({20500 + day, 6, 1});
      series.reported.push_back(true);
    }
    many.history.senders.push_back(series);
    if (i == 0) many.history.overall = series;
  }
  std::ostringstream out;
  render_summary_html(many, OutputOptions{}, out);
  EXPECT_LT(out.str().size(), 3u * 1024 * 1024);
  EXPECT_NE(out.str().find("4,490 more rows: see <code>--format json</code>"), std::string::npos);
}

TEST(RenderHtml, OutputOptionWritesTheFile) {
  const std::string path = ::testing::TempDir() + "tlsrpt-report.html";
  std::vector<std::string> args{"summary", "--now", "2026-05-12", "--format", "html", "-o", path};
  for (const std::string& input : inputs()) args.push_back(input);
  const testing::CliRun run = run_cli(args);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(testing::read_bytes(path), summary("html").out);
  const testing::CliRun bad = run_cli(
      {"summary", "--format", "html", "-o", "/nonexistent/dir/r.html", testdata("reports")});
  EXPECT_EQ(bad.status, kExitUsage);
  EXPECT_NE(bad.err.find("--output /nonexistent/dir/r.html: cannot write it"), std::string::npos);
}

TEST(RenderHtml, OpensInARealBrowserSafelyAndAsTheJsonSays) {
  if (std::system("test -x /usr/bin/chromium && test -x /usr/bin/chromedriver && /usr/bin/python3 "
                  "-c 'import selenium' 2>/dev/null") != 0) {
    GTEST_SKIP() << "chromium, chromium-driver or python3-selenium not installed "
                    "(scripts/deps --test installs them); the browser test is skipped";
  }
  const std::string dir = ::testing::TempDir() + "tlsrpt-browser";
  std::filesystem::create_directories(dir);
  const std::string html = dir + "/report.html";
  const std::string data = dir + "/summary.json";
  std::ofstream(html) << summary("html").out;
  std::ofstream(data) << summary("json").out;
  // Screenshots are kept as test artefacts in the build directory.
  const std::string shots = std::filesystem::absolute("browser-artifacts").string();
  std::filesystem::create_directories(shots);
  const std::string command =
      fmt::format("/usr/bin/python3 {} {} {} {} 2>&1", testdata("../tests/browser/check_html.py"),
                  html, data, shots);
  int status = 0;
  const std::string output = testing::run_command(command, &status);
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "ok\n");
  EXPECT_TRUE(std::filesystem::exists(shots + "/report-phone.png"));
}

}  // namespace
}  // namespace tlsrpt
