// Sweep axes and grid expansion (testbench/sweep/sweep_grid).
#include <gtest/gtest.h>

#include "testbench/config/config_error.hpp"
#include "testbench/sweep/sweep_grid.hpp"

namespace gs {
namespace {

using Values = std::vector<std::string>;

TEST(SweepGrid, ListKeepsTextAsWritten) {
  const SweepAxis axis = parse_sweep_arg(" nic.mtu = 1024, 4Ki ,8192");
  EXPECT_EQ(axis.key, "nic.mtu");
  EXPECT_EQ(axis.values, (Values{"1024", "4Ki", "8192"}));
}

TEST(SweepGrid, GeometricRangeWithSuffixes) {
  EXPECT_EQ(parse_sweep_arg("workload.max_bytes=1Ki..16Ki*4").values,
            (Values{"1024", "4096", "16384"}));
  // The end need not be on the progression: values stop at or below it.
  EXPECT_EQ(parse_sweep_arg("k=1..100*10").values, (Values{"1", "10", "100"}));
  EXPECT_EQ(parse_sweep_arg("k=3..20*3").values, (Values{"3", "9"}));
}

TEST(SweepGrid, ArithmeticRange) {
  EXPECT_EQ(parse_sweep_arg("nic.speed_gbps=100..400+100").values,
            (Values{"100", "200", "300", "400"}));
}

TEST(SweepGrid, RangeNearTheTopOfUint64Stops) {
  const Values v = parse_sweep_arg("k=4611686018427387904..18446744073709551615*2").values;
  // 2^62, 2^63; then 2^64 would wrap to 0: the range stops instead of looping.
  EXPECT_EQ(v, (Values{"4611686018427387904", "9223372036854775808"}));
}

TEST(SweepGrid, BadArgumentsNameTheArgument) {
  for (const char* bad : {"nokey", "=1,2", "k=1,,2", "k=1..8", "k=1..8*1", "k=0..8*2",
                          "k=8..1+1", "k=1..8+0", "k=a..8*2", "k=1..1G+1"}) {
    try {
      parse_sweep_arg(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("--sweep"), std::string::npos) << e.what();
    }
  }
}

TEST(SweepGrid, GridIsEveryCombinationLastAxisFastest) {
  const std::vector<SweepPoint> grid =
      expand_grid({parse_sweep_arg("a=1,2"), parse_sweep_arg("b=x,y,z")});
  ASSERT_EQ(grid.size(), 6u);
  EXPECT_EQ(describe_point(grid[0]), "a=1 b=x");
  EXPECT_EQ(describe_point(grid[1]), "a=1 b=y");
  EXPECT_EQ(describe_point(grid[3]), "a=2 b=x");
  EXPECT_EQ(describe_point(grid[5]), "a=2 b=z");
}

TEST(SweepGrid, KeySweptTwiceIsRefused) {
  EXPECT_THROW(expand_grid({parse_sweep_arg("a=1"), parse_sweep_arg("a=2")}), ConfigError);
}

}  // namespace
}  // namespace gs
