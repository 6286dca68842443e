// Where fetch gets its secret: .netrc entries, the password file and variable, the token command.
#include "tlsrpt/credentials.hpp"

#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tlsrpt/error.hpp"

namespace tlsrpt {
namespace {

std::optional<std::string> from(const std::string& netrc, const std::string& host,
                                const std::string& user) {
  std::istringstream in(netrc);
  return netrc_password(in, host, user);
}

TEST(Credentials, NetrcMatchesTheMachineAndItsLogin) {
  const std::string netrc =
      "machine imap.example.com login reports password s3cret\n"
      "machine imap.example.com login other password nope\n"
      "machine mail.example.net\n  password any-user\n";
  EXPECT_EQ(from(netrc, "imap.example.com", "reports"), "s3cret");
  EXPECT_EQ(from(netrc, "imap.example.com", "other"), "nope");
  EXPECT_EQ(from(netrc, "imap.example.com", "nobody"), std::nullopt);
  EXPECT_EQ(from(netrc, "mail.example.net", "whoever"), "any-user");  // no login: any user
  EXPECT_EQ(from(netrc, "elsewhere.example", "reports"), std::nullopt);
}

TEST(Credentials, NetrcDefaultEntriesMatchNoHost) {
  EXPECT_EQ(from("default login reports password guessed\n", "imap.example.com", "reports"),
            std::nullopt);
  EXPECT_EQ(from("machine imap.example.com login reports\n", "imap.example.com", "reports"),
            std::nullopt);  // no password
}

TEST(Credentials, PasswordFileComesFirstThenTheVariable) {
  const std::string file = testing::write_temp_file("password", "from-file\r\nsecond line\n");
  setenv("TLSRPT_IMAP_PASSWORD", "from-variable", 1);
  EXPECT_EQ(imap_password(file, "imap.example.com", "reports"), "from-file");
  EXPECT_EQ(imap_password("", "imap.example.com", "reports"), "from-variable");
  unsetenv("TLSRPT_IMAP_PASSWORD");
  EXPECT_THROW(imap_password("/nonexistent/password", "imap.example.com", "reports"), UsageError);
}

TEST(Credentials, NoPasswordAnywhereSaysWhereItLooked) {
  unsetenv("TLSRPT_IMAP_PASSWORD");
  const char* home = std::getenv("HOME");
  const std::string saved = home ? home : "";
  setenv("HOME", "/nonexistent/home", 1);
  try {
    imap_password("", "imap.example.com", "reports");
    ADD_FAILURE() << "no password should have been found";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("--password-file FILE, set TLSRPT_IMAP_PASSWORD, or "
                                             "add \"machine imap.example.com login reports"),
              std::string::npos)
        << error.what();
  }
  setenv("HOME", saved.c_str(), 1);
}

TEST(Credentials, TheTokenIsTheFirstLineOfASuccessfulCommand) {
  EXPECT_EQ(token_from_command("printf 'ya29.token\\r\\nignored\\n'"), "ya29.token");
  try {
    token_from_command("printf 'ya29.%s\\n' secret; exit 3");
    ADD_FAILURE() << "a failing command gives no token";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("failed: it must print an access token and exit 0"),
              std::string::npos);
    EXPECT_EQ(std::string(error.what()).find("ya29.secret"), std::string::npos)
        << "the token never appears in a message";
  }
  EXPECT_THROW(token_from_command("true"), UsageError);  // printed nothing
}

}  // namespace
}  // namespace tlsrpt
