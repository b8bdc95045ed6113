// Value syntax: integers with hex and size suffixes, bools, doubles, strings, choices,
// and the limits of each integer type.
#include <gmock/gmock.h>

#include "test_root.hpp"
#include "testbench/config/suggest.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;

TEST(ConfigValues, SizeSuffixesBinaryAndDecimal) {
  EXPECT_EQ(loaded({"dma.bytes=64Mi"}).dma.bytes, 64ull << 20);
  EXPECT_EQ(loaded({"dma.bytes=4Ki"}).dma.bytes, 4096u);
  EXPECT_EQ(loaded({"dma.bytes=2Gi"}).dma.bytes, 2ull << 30);
  EXPECT_EQ(loaded({"dma.bytes=1Ti"}).dma.bytes, 1ull << 40);
  EXPECT_EQ(loaded({"dma.bytes=3k"}).dma.bytes, 3000u);
  EXPECT_EQ(loaded({"dma.bytes=5M"}).dma.bytes, 5000000u);
  EXPECT_EQ(loaded({"dma.bytes=7G"}).dma.bytes, 7000000000u);
  EXPECT_EQ(loaded({"topology.cards=1k"}).topology.cards, 1000u);
}

TEST(ConfigValues, HexAndSigns) {
  EXPECT_EQ(loaded({"dma.bytes=0x1000"}).dma.bytes, 4096u);
  EXPECT_EQ(loaded({"dma.bytes=0X1f"}).dma.bytes, 31u);
  EXPECT_EQ(loaded({"dma.bytes=0x10Ki"}).dma.bytes, 16u << 10);
  EXPECT_EQ(loaded({"topology.offset=-42"}).topology.offset, -42);
  EXPECT_EQ(loaded({"topology.offset=+42"}).topology.offset, 42);
  EXPECT_EQ(loaded({"topology.offset=-0x10"}).topology.offset, -16);
}

TEST(ConfigValues, BadIntegerSuffixesAreRejected) {
  for (const char* text : {"64MB", "64mi", "1.5Gi", "1e3", "0x", "", "12 34", "k"}) {
    EXPECT_THAT(load_error({std::string("dma.bytes=") + text}),
                HasSubstr("key 'dma.bytes' = '" + std::string(text) + "': not an unsigned integer"))
        << text;
  }
  EXPECT_THAT(load_error({"topology.offset=1x"}), HasSubstr("= '1x': not an integer"));
}

TEST(ConfigValues, IntegerLimitsOfEachType) {
  EXPECT_THAT(load_error({"dma.bytes=2Ti"}), HasSubstr("= 2Ti: out of range 1..1099511627776"));
  EXPECT_THAT(load_error({"dma.bytes=99999999999999999999999"}), HasSubstr("out of range"));
  EXPECT_EQ(loaded({"topology.skew_ps=-9223372036854775808"}).topology.skew_ps, INT64_MIN);
  EXPECT_EQ(loaded({"topology.skew_ps=9223372036854775807"}).topology.skew_ps, INT64_MAX);
  EXPECT_THAT(load_error({"topology.skew_ps=9223372036854775808"}),
              HasSubstr("out of range -9223372036854775808..9223372036854775807"));
  EXPECT_THAT(load_error({"topology.skew_ps=16Ei"}), HasSubstr("not an integer"));
}

TEST(ConfigValues, BoolForms) {
  for (const char* yes : {"true", "TRUE", "1", "yes", "Yes", "on", "ON"}) {
    TestRoot root;
    root.link.enabled = false;
    load(root, raw_of({std::string("link.enabled=") + yes}));
    EXPECT_TRUE(root.link.enabled) << yes;
  }
  for (const char* no : {"false", "False", "0", "no", "NO", "off", "Off"}) {
    EXPECT_FALSE(loaded({std::string("link.enabled=") + no}).link.enabled) << no;
  }
  EXPECT_THAT(load_error({"link.enabled=2"}),
              HasSubstr("key 'link.enabled' = '2': not a boolean; use true/false, 1/0, yes/no"));
}

TEST(ConfigValues, Doubles) {
  EXPECT_DOUBLE_EQ(loaded({"link.latency_ns=1e3"}).link.latency_ns, 1000);
  EXPECT_DOUBLE_EQ(loaded({"link.latency_ns=2.5"}).link.latency_ns, 2.5);
  EXPECT_DOUBLE_EQ(loaded({"link.latency_ns=1.5k"}).link.latency_ns, 1500);
  EXPECT_DOUBLE_EQ(loaded({"link.latency_ns=+7"}).link.latency_ns, 7);
  EXPECT_THAT(load_error({"link.latency_ns=fast"}), HasSubstr("= 'fast': not a number"));
  EXPECT_THAT(load_error({"link.latency_ns=nan"}), HasSubstr("not a finite number"));
  EXPECT_THAT(load_error({"link.latency_ns=2e9"}), HasSubstr("= 2e9: out of range 1..1e9"));
  EXPECT_THAT(load_error({"dma.rate_gbps=-1"}), HasSubstr("out of range 0..10000"));
}

TEST(ConfigValues, StringsAndChoices) {
  EXPECT_EQ(loaded({"workload.label=hello world"}).workload.label, "hello world");
  EXPECT_EQ(loaded({"workload.label=\" padded \""}).workload.label, " padded ");
  EXPECT_EQ(loaded({"workload.label="}).workload.label, "");
  EXPECT_EQ(loaded({"workload.name=dma"}).workload.name, "dma");
  EXPECT_EQ(loaded({"workload.name=\"dma\""}).workload.name, "dma");
  EXPECT_THAT(load_error({"workload.name=DMA"}), HasSubstr("allowed values are info, dma"));
}

TEST(ConfigValues, FormattingRoundTrips) {
  for (double v : {1000.0, 0.1, 1e9, 1e-5, 25.5, 1.0 / 3}) {
    EXPECT_EQ(parse_double(format_double(v), Range{}), v) << format_double(v);
  }
  EXPECT_EQ(format_double(1e9), "1e9");
  EXPECT_EQ(format_double(1e-5), "1e-5");
  EXPECT_EQ(format_double(1000), "1000");
  EXPECT_EQ(describe_range(Range{1, 1024}), "1..1024");
  EXPECT_EQ(describe_range(Range{0}), ">= 0");
  EXPECT_EQ(describe_range(Range{}), "");
}

TEST(ConfigValues, DidYouMeanOnlyForCloseWords) {
  EXPECT_EQ(closest_match("mmio_read", {"mmio_write_ns", "mmio_read_ns"}), "mmio_read_ns");
  EXPECT_EQ(closest_match("dam", {"info", "dma"}), "dma");
  EXPECT_EQ(closest_match("foo", {"info", "dma"}), "");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace gs::test
