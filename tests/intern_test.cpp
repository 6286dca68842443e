#include "tlsrpt/intern.hpp"

#include <gtest/gtest.h>

namespace tlsrpt {
namespace {

TEST(NameTable, GivesDenseIdsInOrderOfFirstAppearance) {
  NameTable names;
  EXPECT_EQ(names.id("mx2.example.com"), 0u);
  EXPECT_EQ(names.id("mx1.example.com"), 1u);
  EXPECT_EQ(names.id("mx2.example.com"), 0u);
  EXPECT_EQ(names.size(), 2u);
  EXPECT_EQ(names.name(1), "mx1.example.com");
  EXPECT_EQ(names.find("mx1.example.com"), 1);
  EXPECT_EQ(names.find("mx3.example.com"), -1);
}

TEST(NameTable, RanksIdsByName) {
  NameTable names;
  for (const char* name : {"zeta", "alpha", "mu", "Beta"}) names.id(name);
  // Byte order: upper case before lower case.
  EXPECT_EQ(names.by_name(), (std::vector<std::uint32_t>{3, 1, 2, 0}));
  // ranks() is the inverse of by_name(): the place of each id in it.
  EXPECT_EQ(names.ranks(), (std::vector<std::uint32_t>{3, 1, 2, 0}));
  names.id("nu");
  EXPECT_EQ(names.by_name(), (std::vector<std::uint32_t>{3, 1, 2, 4, 0}));
  EXPECT_EQ(names.ranks(), (std::vector<std::uint32_t>{4, 1, 2, 0, 3}));
  EXPECT_EQ(NameTable::ranks(names.by_name()), names.ranks());
}

}  // namespace
}  // namespace tlsrpt
