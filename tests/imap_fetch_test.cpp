// tlsrpt fetch against a real Dovecot started here (tests/imap/server.py): incremental, exact,
// read-only unless asked, every error named. Skipped with a message when Dovecot or
// python3-cryptography is absent (scripts/deps --test installs them). The URL and modified UTF-7
// helpers are tested without a server.
#include "tlsrpt/imap_fetch.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tlsrpt/cli.hpp"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tlsrpt {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::run_cli;
using testing::testdata;

TEST(ImapUrl, UserHostPortAndFolder) {
  std::string error;
  auto url =
      parse_imap_url("imaps://tls%40example.com@imap.example.com:1993/TLS%20Reports/2026", error);
  ASSERT_TRUE(url) << error;
  EXPECT_TRUE(url->implicit_tls);
  EXPECT_EQ(url->user, "tls@example.com");
  EXPECT_EQ(url->host, "imap.example.com");
  EXPECT_EQ(url->port, 1993);
  EXPECT_EQ(url->folder, "TLS Reports/2026");
  url = parse_imap_url("imap://u@[::1]", error);
  ASSERT_TRUE(url) << error;
  EXPECT_FALSE(url->implicit_tls);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 143);
  EXPECT_EQ(url->folder, "INBOX");
  for (const char* bad : {"https://u@h/INBOX", "imaps://h/INBOX", "imaps://u@h:99999/",
                          "imaps://u@h/%zz", "imaps://u@:993/"}) {
    EXPECT_FALSE(parse_imap_url(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(ImapUrl, ModifiedUtf7AsRfc3501) {
  EXPECT_EQ(modified_utf7("INBOX"), "INBOX");
  EXPECT_EQ(modified_utf7("Rapports été"), "Rapports &AOk-t&AOk-");
  EXPECT_EQ(modified_utf7("A&B"), "A&-B");
  EXPECT_EQ(modified_utf7("日本語"), "&ZeVnLIqe-");  // RFC 3501's own example
  EXPECT_EQ(modified_utf7("😀"), "&2D3eAA-");         // a surrogate pair
}

class ImapServer : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_program("dovecot"))
      GTEST_SKIP() << "dovecot not found (scripts/deps --test installs it)";
    if (std::system("/usr/bin/python3 -c 'import cryptography' 2>/dev/null") != 0) {
      GTEST_SKIP() << "python3-cryptography not installed (scripts/deps --test); skipped";
    }
    dir_ = fs::temp_directory_path() / fmt::format("tlsrpt-imap-{}-{}", getpid(), ++runs_);
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "server");
    server_ = std::make_unique<testing::ServerProcess>(
        testdata("../tests/imap/server.py"),
        std::vector<std::string>{(dir_ / "server").string(), testdata()});
    const std::string line = server_->read_line(60);
    ASSERT_FALSE(line.empty()) << "Dovecot did not start; see " << (dir_ / "server")
                               << "/dovecot.log";
    const json config = json::parse(line);
    imaps_ = config["imaps_port"];
    imap_ = config["imap_port"];
    ca_ = config["ca_file"];
    password_file_ = config["password_file"];
    server_maildir_ = config["maildir"].get<std::string>();
  }

  void TearDown() override {
    server_.reset();  // stops Dovecot
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Tells the server script to do something ("add FOLDER FILE", "renumber") and waits for it.
  void server(const std::string& command) {
    ASSERT_TRUE(server_->send(command));
    ASSERT_EQ(server_->read_line(30), "ok");
  }

  std::string url(const std::string& folder, bool tls = true) const {
    return fmt::format("{}://reports@localhost:{}/{}", tls ? "imaps" : "imap", tls ? imaps_ : imap_,
                       folder);
  }

  // tlsrpt fetch URL --to DIR/local --format json, with the password file and the test CA.
  json fetch(const std::string& folder_url, int expected_status,
             std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"fetch",           folder_url,     "--to",      local(),
                                  "--password-file", password_file_, "--ca-file", ca_,
                                  "--format",        "json",         "--timeout", "10"};
    args.insert(args.end(), extra.begin(), extra.end());
    const testing::CliRun run = run_cli(args);
    EXPECT_EQ(run.status, expected_status) << run.out << run.err;
    last_err_ = run.err;
    return json::parse(run.out);
  }

  std::string local() const { return (dir_ / "local").string(); }

  static std::size_t files_in(const fs::path& path) {
    std::size_t count = 0;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(path, error)) count += entry.is_regular_file();
    return count;
  }

  // Messages on the server with the \Seen flag (Maildir: cur/ names whose flags hold S).
  std::size_t seen_on_server() const {
    std::size_t seen = 0;
    for (const auto& entry : fs::recursive_directory_iterator(server_maildir_)) {
      const std::string name = entry.path().filename().string();
      const auto flags = name.find(":2,");
      if (flags != std::string::npos && name.find('S', flags) != std::string::npos) ++seen;
    }
    return seen;
  }

  static inline int runs_ = 0;
  fs::path dir_;
  std::unique_ptr<testing::ServerProcess> server_;
  int imaps_ = 0;
  int imap_ = 0;
  std::string ca_;
  std::string password_file_;
  fs::path server_maildir_;
  std::string last_err_;
};

TEST_F(ImapServer, FetchesOnceThenOnlyWhatIsNewLeavingTheMailboxAsItWas) {
  json out = fetch(url("INBOX"), kExitOk);
  EXPECT_EQ(out["messages"], 4);
  EXPECT_EQ(out["reports"], 3);  // ordinary.eml is not a report
  EXPECT_EQ(files_in(fs::path(local()) / "new"), 4u);
  EXPECT_EQ(files_in(fs::path(local()) / "tmp"), 0u);
  EXPECT_EQ(seen_on_server(), 0u);  // EXAMINE and BODY.PEEK[]: no \Seen set

  out = fetch(url("INBOX"), kExitOk);
  EXPECT_EQ(out["messages"], 0);
  EXPECT_EQ(out["duplicates"], 0);  // not even fetched: the state says where the last run ended

  server("add INBOX " + testdata("mail/nested-mixed-octet-stream.eml"));
  out = fetch(url("INBOX"), kExitOk);
  EXPECT_EQ(out["messages"], 1);
  EXPECT_EQ(files_in(fs::path(local()) / "new"), 5u);

  // tlsrpt summary reads the Maildir as any other.
  const testing::CliRun summary =
      run_cli({"summary", "--format", "json", "--now", "2026-05-12", local()});
  EXPECT_EQ(summary.status, kExitOk) << summary.err;
  EXPECT_EQ(json::parse(summary.out)["reports"], 5);  // two-attachments.eml holds two
}

TEST_F(ImapServer, NestedAndNonAsciiFoldersAndStarttls) {
  json out = fetch(url("TLS%20Reports/2026"), kExitOk);  // the server's separator is "."
  EXPECT_EQ(out["messages"], 2);
  out = fetch(url("Rapports%20%C3%A9t%C3%A9"), kExitOk);  // "Rapports été", modified UTF-7
  EXPECT_EQ(out["messages"], 1);
  out = fetch(url("INBOX", false), kExitOk);  // imap:// upgrades with STARTTLS
  EXPECT_EQ(out["messages"], 2);              // the Google and Microsoft reports are there already
  EXPECT_EQ(out["duplicates"], 2);
}

TEST_F(ImapServer, ErrorsAreNamedAndLeaveNothingHalfDone) {
  json out = fetch(url("Nope"), kExitInputSkipped);
  EXPECT_NE(out["error"].get<std::string>().find("no folder \"Nope\""), std::string::npos);

  // Without the test CA the certificate is not trusted: no password is sent, nothing fetched.
  testing::CliRun run =
      run_cli({"fetch", url("INBOX"), "--to", local(), "--password-file", password_file_});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_NE(run.err.find("not trusted"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("nothing sent"), std::string::npos) << run.err;
  EXPECT_EQ(files_in(fs::path(local()) / "new"), 0u);

  const std::string wrong = (dir_ / "wrong").string();
  std::FILE* file = std::fopen(wrong.c_str(), "w");
  std::fputs("not-the-password\n", file);
  std::fclose(file);
  run =
      run_cli({"fetch", url("INBOX"), "--to", local(), "--password-file", wrong, "--ca-file", ca_});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_NE(run.err.find("login as reports at localhost"), std::string::npos) << run.err;

  // A message above --max-file-size is named by UID and left on the server; the rest come.
  out = fetch(url("INBOX"), kExitInputSkipped, {"--max-file-size", "1700"});
  EXPECT_EQ(out["messages"], 2);
  ASSERT_EQ(out["skipped"].size(), 2u);
  EXPECT_NE(out["skipped"][0].get<std::string>().find("UID 1 of \"INBOX\""), std::string::npos);

  // Nothing to connect to.
  run = run_cli({"fetch", "imaps://reports@127.0.0.1:1/INBOX", "--to", local(), "--password-file",
                 password_file_});
  EXPECT_EQ(run.status, kExitInputSkipped);
  EXPECT_NE(run.err.find("cannot connect to 127.0.0.1:1"), std::string::npos) << run.err;
}

TEST_F(ImapServer, ARenumberedFolderOrALostStateStoresNothingTwice) {
  json out = fetch(url("INBOX"), kExitOk);
  EXPECT_EQ(out["messages"], 4);
  server("renumber");
  out = fetch(url("INBOX"), kExitOk);
  EXPECT_TRUE(out["uidvalidity_changed"]);
  EXPECT_EQ(out["messages"], 0);
  EXPECT_EQ(out["duplicates"], 4);
  // A run killed before it recorded its progress: the next one recognises what is on disk.
  fs::remove(local() + ".tlsrpt-fetch.json");
  out = fetch(url("INBOX"), kExitOk);
  EXPECT_EQ(out["messages"], 0);
  EXPECT_EQ(out["duplicates"], 4);
  EXPECT_EQ(files_in(fs::path(local()) / "new"), 4u);
}

TEST_F(ImapServer, JsonValidatesAgainstTheFetchSchema) {
  if (std::system("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3-jsonschema not installed";
  }
  const std::string done =
      testing::write_temp_file("fetch-1.json", fetch(url("INBOX"), kExitOk).dump());
  const std::string skipped = testing::write_temp_file(
      "fetch-2.json",
      fetch(url("TLS%20Reports/2026"), kExitInputSkipped, {"--max-file-size", "1K"}).dump());
  int status = 0;
  const std::string result = testing::run_command(
      fmt::format("/usr/bin/python3 {} {} {} {} 2>&1", testdata("../tests/schemas/validate.py"),
                  testdata("../docs/schemas/fetch.schema.json"), done, skipped),
      &status);
  EXPECT_EQ(status, 0) << result;
}

TEST_F(ImapServer, MoveAndDeleteOnlyWhenAsked) {
  json out = fetch(url("INBOX"), kExitOk, {"--move-to", "Archive"});
  EXPECT_EQ(out["moved"], 4);
  EXPECT_EQ(files_in(server_maildir_ / "new") + files_in(server_maildir_ / "cur"), 0u);
  EXPECT_EQ(files_in(server_maildir_ / ".Archive" / "new") +
                files_in(server_maildir_ / ".Archive" / "cur"),
            4u);
  out = fetch(url("TLS%20Reports/2026"), kExitOk, {"--delete"});
  EXPECT_EQ(out["deleted"], 2);
  const fs::path folder = server_maildir_ / ".TLS Reports.2026";
  EXPECT_EQ(files_in(folder / "new") + files_in(folder / "cur"), 0u);
  EXPECT_EQ(files_in(fs::path(local()) / "new"), 5u);  // one of the two was already fetched
}

TEST_F(ImapServer, PasswordFromEnvironmentOrNetrcNeverTheCommandLine) {
  std::string password;
  std::FILE* file = std::fopen(password_file_.c_str(), "r");
  char buffer[256] = {};
  ASSERT_TRUE(std::fgets(buffer, sizeof buffer, file));
  std::fclose(file);
  password = buffer;
  password.pop_back();
  setenv("TLSRPT_IMAP_PASSWORD", password.c_str(), 1);
  testing::CliRun run = run_cli({"fetch", url("INBOX"), "--to", local(), "--ca-file", ca_});
  unsetenv("TLSRPT_IMAP_PASSWORD");
  EXPECT_EQ(run.status, kExitOk) << run.err;

  const std::string home = (dir_ / "home").string();
  fs::create_directories(home);
  file = std::fopen((home + "/.netrc").c_str(), "w");
  std::fputs(fmt::format("machine other.example login x password y\nmachine localhost login "
                         "reports password {}\n",
                         password)
                 .c_str(),
             file);
  std::fclose(file);
  const char* old_home = std::getenv("HOME");
  const std::string saved = old_home ? old_home : "";
  setenv("HOME", home.c_str(), 1);
  run = run_cli({"fetch", url("Archive"), "--to", local(), "--ca-file", ca_});
  EXPECT_EQ(run.status, kExitOk) << run.err;
  fs::remove(home + "/.netrc");
  run = run_cli({"fetch", url("Archive"), "--to", local(), "--ca-file", ca_});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("no password for reports at localhost"), std::string::npos) << run.err;
  setenv("HOME", saved.c_str(), 1);

  run = run_cli({"fetch", url("INBOX"), "--to", local(), "--oauth2-token-command", "false"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_NE(run.err.find("--oauth2-token-command \"false\" failed"), std::string::npos);
  run = run_cli({"fetch", url("INBOX"), "--to", local(), "--insecure-plain", "--password-file",
                 password_file_});
  EXPECT_EQ(run.status, kExitUsage);
}

}  // namespace
}  // namespace tlsrpt
