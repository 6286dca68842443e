#include "tlsrpt/sniff.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace tlsrpt {
namespace {

using testing::read_bytes;
using testing::testdata;

// The table, case by case: what the first bytes say, whatever the name.
TEST(Sniff, DecidesByTheFirstBytes) {
  const std::vector<std::pair<std::string, Content>> cases{
      {"\x1f\x8b\x08", Content::gzip},
      {std::string("PK\x03\x04", 4), Content::zip},
      {"From a@b Sat May 10 00:00:00 2026\nSubject: x\n", Content::mbox},
      {"{\"a\":1}", Content::json},
      {" [1]", Content::json},
      {"\xEF\xBB\xBF  \n{\"a\":1}", Content::json},
      {"<?xml version=\"1.0\"?><feedback><report_metadata/></feedback>", Content::dmarc_xml},
      {"\xEF\xBB\xBF<html></html>", Content::xml},
      {"Return-Path: <a@b>\nSubject: x\n\nbody", Content::message},
      {"\r\nX-Mozilla-Status: 0001\r\n", Content::message},
      {"From: someone\n", Content::message},
      {std::string(" \n\0\0", 4), Content::empty},
      {"", Content::empty},
      {"These are the operator notes: none\n", Content::other},
      {"PK\x05\x06", Content::other},  // an empty zip's end record alone: not an archive to read
      {"\x1f", Content::other},
  };
  for (const auto& [bytes, expected] : cases) {
    EXPECT_EQ(sniff(bytes), expected) << bytes;
  }
}

TEST(Sniff, ReadsTheFixturesByContent) {
  EXPECT_EQ(sniff(read_bytes(testdata("reports/apple-report"))), Content::json);  // no extension
  EXPECT_EQ(sniff(read_bytes(testdata("reports/socketlabs-split.gz"))), Content::gzip);
  EXPECT_EQ(sniff(read_bytes(testdata("mail/google-report.eml"))), Content::message);
  EXPECT_EQ(sniff(read_bytes(testdata("mbox/postmaster.mbox"))), Content::mbox);
  EXPECT_EQ(sniff(read_bytes(testdata("other/notes.txt"))), Content::other);
  EXPECT_EQ(sniff(read_bytes(testdata("other/empty.json"))), Content::empty);
}

}  // namespace
}  // namespace tlsrpt
