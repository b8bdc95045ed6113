// BandwidthServer: the "busy until" resource every link and memory is built from.
// Pure arithmetic on sc_time: no simulation needs to run.
#include <gtest/gtest.h>

#include <stdexcept>

#include "models/common/bandwidth_server.hpp"
#include "models/common/time.hpp"

namespace gs {
namespace {

using sc_core::SC_ZERO_TIME;

TEST(BandwidthServer, ServiceTimeIsBytesOverRatePlusLatency) {
  BandwidthServer s("link", 10.0, ns(100));  // 10 GB/s: 1000 B take 100 ns
  EXPECT_EQ(s.reserve(1000, SC_ZERO_TIME), ns(200));
  EXPECT_EQ(s.busy_until(), ns(100));  // latency is flight, not occupancy
  EXPECT_EQ(s.bytes_served(), 1000u);
  EXPECT_EQ(s.busy_time(), ns(100));
  EXPECT_EQ(s.gbytes_per_s(), 10.0);
  EXPECT_EQ(s.latency(), ns(100));
}

TEST(BandwidthServer, TransferTimeUsesDecimalGigabytes) {
  BandwidthServer s("hbm", 1000.0, SC_ZERO_TIME);  // 1 TB/s: 1 byte per ps
  EXPECT_EQ(s.reserve(123456, SC_ZERO_TIME), ps(123456));
  BandwidthServer t("slow", 0.5, ns(1));           // 0.5 GB/s: 2 ns per byte
  EXPECT_EQ(t.reserve(3, ns(10)), ns(10 + 6 + 1));
}

TEST(BandwidthServer, BackToBackRequestsQueue) {
  BandwidthServer s("link", 10.0, ns(50));
  // Three requests all ready at t = 1 us: each waits for the one before it.
  EXPECT_EQ(s.reserve(1000, ns(1000)), ns(1000 + 100 + 50));
  EXPECT_EQ(s.reserve(2000, ns(1000)), ns(1000 + 100 + 200 + 50));
  EXPECT_EQ(s.reserve(500, ns(1000)), ns(1000 + 100 + 200 + 50 + 50));
  EXPECT_EQ(s.busy_until(), ns(1350));
  EXPECT_EQ(s.bytes_served(), 3500u);
  EXPECT_EQ(s.busy_time(), ns(350));
}

TEST(BandwidthServer, RequestArrivingWhileBusyStartsAtBusyUntil) {
  BandwidthServer s("link", 10.0, ns(0));
  s.reserve(10000, ns(0));                      // busy until 1000 ns
  EXPECT_EQ(s.reserve(1000, ns(400)), ns(1100));  // must wait for the first one
}

TEST(BandwidthServer, RequestAfterBusyUntilStartsAtItsOwnTime) {
  BandwidthServer s("link", 10.0, ns(30));
  s.reserve(1000, ns(0));  // busy until 100 ns
  EXPECT_EQ(s.reserve(1000, ns(500)), ns(500 + 100 + 30));
  EXPECT_EQ(s.busy_until(), ns(600));
  // Idle time is not busy time.
  EXPECT_EQ(s.busy_time(), ns(200));
}

TEST(BandwidthServer, ZeroByteRequestCostsOnlyLatency) {
  BandwidthServer s("link", 10.0, ns(30));
  EXPECT_EQ(s.reserve(0, ns(5)), ns(35));
  EXPECT_EQ(s.busy_until(), ns(5));
}

TEST(BandwidthServer, ResetForgetsTheQueue) {
  BandwidthServer s("link", 10.0, ns(0));
  s.reserve(100000, ns(0));  // busy until 10 us
  s.reset();
  EXPECT_EQ(s.busy_until(), SC_ZERO_TIME);
  EXPECT_EQ(s.reserve(1000, ns(1)), ns(101));
}

// A run of equal requests, each `step` after the one before (posted register writes), is
// its requests one by one: the first ones queue behind earlier work, the later ones find
// the server idle and start at their own time.
TEST(BandwidthServer, SpacedRunIsItsRequestsOneByOne) {
  BandwidthServer one("one", 10.0, ns(30)), run("run", 10.0, ns(30));
  for (BandwidthServer* s : {&one, &run}) s->reserve(5000, ns(0));  // busy until 500 ns
  sc_core::sc_time last;
  for (unsigned k = 0; k < 12; ++k) last = one.reserve(1000, ns(100 + 150 * k));
  EXPECT_EQ(run.reserve_spaced(1000, ns(100), ns(150), 12), last);
  EXPECT_EQ(run.busy_until(), one.busy_until());
  EXPECT_EQ(run.busy_time(), one.busy_time());
  EXPECT_EQ(run.bytes_served(), one.bytes_served());
  EXPECT_EQ(last, ns(100 + 150 * 11 + 100 + 30));  // the last ones started at their own time
  EXPECT_EQ(run.reserve_spaced(1000, ns(0), ns(1), 0), SC_ZERO_TIME);  // none: nothing changes
  EXPECT_EQ(run.busy_until(), one.busy_until());
}

TEST(BandwidthServer, RejectsNonPositiveBandwidth) {
  EXPECT_THROW(BandwidthServer("zero", 0.0, ns(1)), std::invalid_argument);
  EXPECT_THROW(BandwidthServer("neg", -1.0, ns(1)), std::invalid_argument);
}

}  // namespace
}  // namespace gs
