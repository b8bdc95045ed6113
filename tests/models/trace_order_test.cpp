// trace::finish writes the spans still open at the end in the order their tracks were made,
// not in the order of the traced objects' addresses (which the heap decides: a model's size
// change once moved a span in the file).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "models/common/trace.hpp"

namespace {

struct Traced : sc_core::sc_object {
  explicit Traced(const char* name) : sc_core::sc_object(name) {}
};

struct TwoObjects {  // members in declaration order: `low` has the lower address
  Traced low{"trace_order_low"};
  Traced high{"trace_order_high"};
};

}  // namespace

TEST(TraceOrder, OpenSpansAreWrittenInTrackOrderNotAddressOrder) {
  TwoObjects o;
  ASSERT_LT(static_cast<const void*>(&o.low), static_cast<const void*>(&o.high));
  const std::string path = ::testing::TempDir() + "trace_order_test.json";
  gs::trace::start({path});
  const sc_core::sc_time t0 = sc_core::SC_ZERO_TIME, t1(10, sc_core::SC_NS);
  gs::trace::span(o.high, "", "made_first", t0, t1);  // its track is made first
  gs::trace::span(o.low, "", "made_second", t0, t1);
  gs::trace::finish();  // both spans are still open (waiting for merges) and written here

  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  const auto first = s.find("\"name\":\"made_first\"");
  const auto second = s.find("\"name\":\"made_second\"");
  ASSERT_NE(first, std::string::npos) << s;
  ASSERT_NE(second, std::string::npos) << s;
  EXPECT_LT(first, second) << s;
  std::remove(path.c_str());
}
