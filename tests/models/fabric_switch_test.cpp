// Switch: forwarding by IP with cut-through or store-and-forward latency, ECMP, PFC under a
// 7:1 incast, tail drop without PFC, ECN marking, and a link going down under load.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "models/common/time.hpp"
#include "models/fabric/frame_endpoint.hpp"
#include "models/fabric/switch.hpp"

namespace gs {
namespace {

uint32_t host_ip(unsigned i) { return (10u << 24) | (i + 1); }

// One switch, one FrameEndpoint per port, each route to the endpoint on that port.
struct SwitchWorld {
  std::unique_ptr<Switch> sw;
  std::vector<std::unique_ptr<FrameEndpoint>> hosts;
  std::vector<std::unique_ptr<Link>> links;

  // corrupt0: corruption rate of host 0's cable toward the switch.
  SwitchWorld(const std::string& name, unsigned ports, const SwitchParams& sp, double prop_ns = 100,
              double corrupt0 = 0) {
    sw = std::make_unique<Switch>(name.c_str(), ports, 100, sp, 1);
    for (unsigned i = 0; i < ports; ++i) {
      std::string h = name + "_h" + std::to_string(i);
      hosts.push_back(std::make_unique<FrameEndpoint>(h.c_str(), 100, 0x100 + i, host_ip(i)));
      cable(*hosts.back(), sw->port(i), h, prop_ns, i == 0 ? corrupt0 : 0);
      sw->set_route(host_ip(i), {i});
    }
  }
  void cable(NetPort& a, NetPort& b, const std::string& name, double prop_ns, double corrupt) {
    links.push_back(std::make_unique<Link>((name + "_up").c_str(), ns(prop_ns), 0, corrupt, 1));
    a.egress().connect(*links.back());
    links.back()->connect(b.ingress());
    links.push_back(std::make_unique<Link>((name + "_down").c_str(), ns(prop_ns), 0, 0, 2));
    b.egress().connect(*links.back());
    links.back()->connect(a.ingress());
  }
  FrameEndpoint& host(unsigned i) { return *hosts[i]; }
};

const sc_core::sc_time kFrame = ps(334240);  // 4096-byte payload frame at 100 Gb/s
const sc_core::sc_time kHeader = ps(62 * 80);  // preamble .. BTH at 100 Gb/s

TEST(FabricSwitch, ForwardsByIpCutThroughVsStoreAndForward) {
  SwitchParams ct, sf;
  ct.latency_ns = sf.latency_ns = 300;
  sf.cut_through = false;
  SwitchWorld a("ct", 3, ct), b("sf", 3, sf);
  for (SwitchWorld* w : {&a, &b}) w->host(0).send(host_ip(2), 0x102, 1);
  sc_core::sc_start();
  for (SwitchWorld* w : {&a, &b}) {
    EXPECT_EQ(w->host(2).stats().rx_frames, 1u);
    EXPECT_EQ(w->host(1).stats().rx_frames, 0u);
  }
  const sc_core::sc_time prop = ns(100), lat = ns(300);
  // Store-and-forward: whole frame in, latency, whole frame out.
  EXPECT_EQ(b.host(2).stats().last_rx, kFrame + prop + lat + kFrame + prop);
  // Cut-through: the output starts a routing header plus the latency after the first bit.
  EXPECT_EQ(a.host(2).stats().last_rx, kFrame + prop + kHeader + lat + prop);
  EXPECT_EQ(b.host(2).stats().last_rx - a.host(2).stats().last_rx, kFrame - kHeader);
}

TEST(FabricSwitch, NoRouteAndCorruptFramesAreDroppedAndCounted) {
  SwitchParams sf;
  sf.cut_through = false;  // store-and-forward checks the FCS before forwarding
  SwitchWorld w("sw", 3, sf, 100, /*corrupt0*/ 1.0);
  w.host(0).send(host_ip(2), 0x102, 2);
  w.host(1).send(0x0B000001, 0x999, 3);  // nobody has this address
  sc_core::sc_start();
  EXPECT_EQ(w.sw->port_stats(0).corrupt_drops, 2u);
  EXPECT_EQ(w.sw->port_stats(1).no_route_drops, 3u);
  EXPECT_EQ(w.sw->total_drops(), 5u);
  EXPECT_EQ(w.host(2).stats().rx_frames, 0u);
}

TEST(FabricSwitch, CutThroughPassesCorruptFramesOn) {
  SwitchWorld w("sw", 3, SwitchParams{}, 100, /*corrupt0*/ 1.0);
  w.host(0).send(host_ip(2), 0x102, 2);
  sc_core::sc_start();
  EXPECT_EQ(w.sw->port_stats(0).corrupt_drops, 0u);
  EXPECT_EQ(w.host(2).stats().rx_corrupted, 2u);  // the endpoint's FCS check drops them
}

TEST(FabricSwitch, DestinationsWithTheSameEgressPortsShareOneRouteSet) {
  SwitchWorld w("routes", 5, SwitchParams{});
  const uint32_t a = 0x0B000001, b = 0x0B000002, c = 0x0B000003;
  w.sw->set_route(a, {1, 2, 3});
  w.sw->set_route(b, {1, 2, 3});
  w.sw->set_route(c, {1, 2});
  ASSERT_NE(w.sw->route(a), nullptr);
  EXPECT_EQ(w.sw->route(a), w.sw->route(b));  // one set, not a copy per destination
  EXPECT_EQ(*w.sw->route(a), (std::vector<unsigned>{1, 2, 3}));
  EXPECT_EQ(*w.sw->route(c), (std::vector<unsigned>{1, 2}));
  EXPECT_EQ(*w.sw->route(host_ip(4)), (std::vector<unsigned>{4}));
  EXPECT_EQ(w.sw->route(0x0C000001), nullptr);
  EXPECT_EQ(w.sw->route_count(), 8u);  // five hosts and three more destinations
}

TEST(FabricSwitch, EcmpSpreadsFlowsAndKeepsEachFlowOnOnePath) {
  SwitchWorld w("sw", 5, SwitchParams{});
  const uint32_t dst = 0x0B000001;
  w.sw->set_route(dst, {1, 2, 3, 4});
  std::map<uint16_t, std::set<unsigned>> paths;  // flow (source port) -> egress ports seen
  for (unsigned i = 1; i <= 4; ++i)
    w.host(i).on_frame = [&paths, i](const PacketPtr& p) { paths[p->udp_sport].insert(i); };
  const unsigned flows = 64;
  for (unsigned f = 0; f < flows; ++f) w.host(0).send(dst, 0x999, 4, 1024, uint16_t(0xC000 + f));
  sc_core::sc_start();
  ASSERT_EQ(paths.size(), flows);
  std::map<unsigned, unsigned> per_port;
  for (auto& [sport, ports] : paths) {
    EXPECT_EQ(ports.size(), 1u) << "flow " << sport << " took several paths";
    ++per_port[*ports.begin()];
  }
  ASSERT_EQ(per_port.size(), 4u);
  for (auto& [port, n] : per_port) EXPECT_GE(n, 6u) << "port " << port;  // 16 expected each
}

SwitchParams incast_params(bool pfc) {
  SwitchParams sp;
  sp.buffer_bytes = 1 << 20;
  sp.pfc = pfc;
  sp.pfc_xoff_bytes = 64 << 10;
  sp.pfc_xon_bytes = 32 << 10;
  sp.ecn_threshold_bytes = 100 << 10;
  return sp;
}

TEST(FabricSwitch, IncastSevenToOneWithPfcIsLossless) {
  SwitchWorld w("sw", 8, incast_params(true));
  const uint64_t per_sender = 500;
  for (unsigned i = 0; i < 7; ++i) w.host(i).send(host_ip(7), 0x107, per_sender);
  sc_core::sc_start();
  EXPECT_EQ(w.host(7).stats().rx_frames, 7 * per_sender);
  EXPECT_EQ(w.sw->total_drops(), 0u);
  uint64_t pauses_sent = 0;
  for (unsigned i = 0; i < 7; ++i) {
    EXPECT_GT(w.host(i).stats().pauses_received, 0u) << "sender " << i;
    EXPECT_EQ(w.host(i).stats().pauses_received, w.sw->port_stats(i).pauses_sent);
    pauses_sent += w.sw->port_stats(i).pauses_sent;
  }
  EXPECT_GT(pauses_sent, 0u);
  EXPECT_EQ(w.sw->buffer_used(), 0u);  // everything accounted for left the buffer
  EXPECT_LE(w.sw->buffer_peak(), 1u << 20);
  // The bottleneck stays busy: 3500 frames at line rate (plus the first hop).
  const double busy = w.host(7).stats().last_rx.to_seconds() / (7.0 * per_sender * kFrame.to_seconds());
  EXPECT_NEAR(busy, 1.0, 0.01);
  // The shared queue went past the ECN threshold: frames were marked CE.
  EXPECT_GT(w.host(7).stats().rx_ce_marked, 0u);
  EXPECT_EQ(w.host(7).stats().rx_ce_marked, w.sw->port_stats(7).ecn_marked);
  EXPECT_GT(w.sw->port_stats(7).max_queue_bytes, 100u << 10);
}

TEST(FabricSwitch, IncastWithoutPfcTailDropsWhenTheBufferIsFull) {
  SwitchWorld w("sw", 8, incast_params(false));
  const uint64_t per_sender = 500;
  for (unsigned i = 0; i < 7; ++i) w.host(i).send(host_ip(7), 0x107, per_sender);
  sc_core::sc_start();
  uint64_t drops = 0, pauses = 0;
  for (unsigned i = 0; i < 7; ++i) {
    drops += w.sw->port_stats(i).buffer_drops;
    pauses += w.host(i).stats().pauses_received;
  }
  EXPECT_GT(drops, 0u);
  EXPECT_EQ(pauses, 0u);
  EXPECT_EQ(w.sw->total_drops(), drops);
  EXPECT_EQ(w.host(7).stats().rx_frames + drops, 7 * per_sender);
  EXPECT_EQ(w.sw->buffer_used(), 0u);
  EXPECT_GT(w.sw->buffer_peak(), (1u << 20) - 5000);  // it really filled up
}

TEST(FabricSwitch, LinkDownFlushesItsQueueAndReleasesTheBuffer) {
  SwitchParams sp;
  sp.pfc = false;
  SwitchWorld w("sw", 3, sp);
  for (unsigned i = 0; i < 2; ++i) w.host(i).send(host_ip(2), 0x102, 200);
  sc_core::sc_start(us(20));
  EXPECT_GT(w.sw->buffer_used(), 0u);  // 2:1: a queue has built up
  const uint64_t before = w.host(2).stats().rx_frames;
  for (int k : {4, 5}) w.links[k]->set_up(false);  // the cable to host 2
  w.sw->port(2).link_changed(false);
  w.host(2).link_changed(false);
  EXPECT_GT(w.sw->port_stats(2).down_drops, 0u);
  sc_core::sc_start();
  EXPECT_EQ(w.sw->buffer_used(), 0u);
  EXPECT_LE(w.host(2).stats().rx_frames, before + 1);
  SwitchPortStats s0 = w.sw->port_stats(0), s1 = w.sw->port_stats(1);
  EXPECT_GT(s0.no_route_drops + s1.no_route_drops, 0u);  // later frames have nowhere to go
  EXPECT_EQ(s0.rx_frames + s1.rx_frames, 400u);
}

}  // namespace
}  // namespace gs
