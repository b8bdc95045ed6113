// name_rank: rank order is strcmp order of the names, whatever order they were registered
// in, also after the labels of a crowded neighbourhood were spread out again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "models/common/name_rank.hpp"

namespace gs {
namespace {

// Every registered name's rank against strcmp, over the whole set (sorted by strcmp).
void expect_strcmp_order(std::vector<std::string> names) {
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return std::strcmp(a.c_str(), b.c_str()) < 0;
  });
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (size_t i = 1; i < names.size(); ++i)
    ASSERT_LT(*name_rank::cell(names[i - 1].c_str()), *name_rank::cell(names[i].c_str()))
        << names[i - 1] << " vs " << names[i];
}

TEST(NameRank, SameNameSameCellAndStrcmpOrder) {
  const uint64_t* a = name_rank::cell("card0.nic1");
  EXPECT_EQ(a, name_rank::cell(std::string("card0.nic1").c_str()));
  EXPECT_LT(*name_rank::cell(""), *a);  // "" sorts first (the link arrivals' wake)
  EXPECT_LT(*a, *name_rank::cell("card0.nic10"));  // a prefix sorts before
  EXPECT_LT(*name_rank::cell("card0.nic10"), *name_rank::cell("card0.nic2"));
  EXPECT_LT(*name_rank::cell("Z"), *name_rank::cell("a"));  // bytes, not a locale
  EXPECT_LT(*name_rank::cell("a"), *name_rank::cell("\xc3\xa9"));  // unsigned bytes, as strcmp
  EXPECT_EQ(name_rank::size(), 7u);
}

// Creation order of a big fabric: card0 .. card4095 with their parts, so that card1x.* keep
// landing in the one gap before card2.*; the labels there run out and are spread again.
TEST(NameRank, CrowdedGapsAreRelabelledKeepingTheOrder) {
  std::vector<std::string> names;
  const uint64_t epoch0 = name_rank::epoch();
  for (int card = 0; card < 4096; ++card)
    for (const char* part : {".nic0.due", ".nic0.pump", ".nic0.mac", ".qman.s0", ".dma0"})
      names.push_back("card" + std::to_string(card) + part), name_rank::cell(names.back().c_str());
  EXPECT_GT(name_rank::epoch(), epoch0);  // this pattern does relabel
  expect_strcmp_order(names);
}

TEST(NameRank, RandomAndReverseOrders) {
  std::vector<std::string> names;
  std::mt19937_64 rng(14);
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int len = 1 + int(rng() % 6);
    for (int k = 0; k < len; ++k) s += char('a' + rng() % 3);  // short names: dense, many prefixes
    names.push_back(s);
  }
  for (const auto& s : names) name_rank::cell(s.c_str());
  for (int i = 5000; i > 0; --i) names.push_back("z" + std::string(size_t(i % 40), 'a') + std::to_string(i));
  for (size_t i = 20000; i < names.size(); ++i) name_rank::cell(names[i].c_str());
  expect_strcmp_order(names);
}

}  // namespace
}  // namespace gs
