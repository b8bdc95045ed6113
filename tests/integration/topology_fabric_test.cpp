// Fabric built over stand-in ports (FrameEndpoints in place of GAUDI NIC ports): addresses,
// lookups, link state, any-to-any delivery across two boxes, a third-party NIC, and the
// Fabric that System builds over real cards.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "integration_helpers.hpp"
#include "models/common/time.hpp"
#include "models/fabric/frame_endpoint.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/topology/fabric.hpp"

namespace gs {
namespace {

struct StandInWorld {
  TopologyShape shape;
  std::vector<std::unique_ptr<FrameEndpoint>> ports;
  std::unique_ptr<Fabric> fabric;

  StandInWorld(const FabricParams& fp, TopologyShape s) : shape(s) {
    for (unsigned c = 0; c < s.cards(); ++c)
      for (unsigned p = 0; p < s.ports_per_card; ++p) {
        std::string n = "c" + std::to_string(c) + "_p" + std::to_string(p);
        ports.push_back(std::make_unique<FrameEndpoint>(n.c_str(), fp.link_gbps));
      }
    fabric = std::make_unique<Fabric>("fabric", fp, s, 1, [this](unsigned c, unsigned p) -> NetPort* {
      return ports[c * shape.ports_per_card + p].get();
    });
  }
  FrameEndpoint& port(unsigned c, unsigned p) { return *ports[c * shape.ports_per_card + p]; }
};

TEST(TopologyFabric, BoxCablesAddressesAndLookups) {
  FabricParams fp;
  StandInWorld w(fp, TopologyShape{1, 8, 10});
  Fabric& f = *w.fabric;
  EXPECT_EQ(f.cable_count(), 28u);
  EXPECT_EQ(f.switch_count(), 0u);
  EXPECT_EQ(w.port(3, 9).mac(), 0x021DA3000309ull);
  EXPECT_EQ(ip_text(w.port(3, 9).ip()), "10.0.3.10");
  EXPECT_EQ(f.port_of(3, 9), &w.port(3, 9));
  auto peer = f.peer_of(2, box_port(2, 6));
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->text(), "card6.port" + std::to_string(box_port(6, 2)));
  EXPECT_FALSE(f.peer_of(2, 1));  // external port: not cabled in a lone box
  EXPECT_EQ(f.port_towards(2, 6), box_port(2, 6));
  EXPECT_FALSE(f.port_towards(2, 2));
  EXPECT_THROW(f.link(2, 1, LinkDirection::out), std::out_of_range);

  // Card 0 to card 5 over their direct cable; then that cable goes down.
  const unsigned p = *f.port_towards(0, 5), q = *f.port_towards(5, 0);
  w.port(0, p).send(f.ip_of(5, q), f.mac_of(5, q), 3);
  sc_core::sc_start(us(5));
  EXPECT_EQ(w.port(5, q).stats().rx_frames, 3u);
  EXPECT_EQ(f.link(0, p, LinkDirection::out).stats().frames, 3u);
  EXPECT_EQ(f.link(5, q, LinkDirection::in).stats().frames, 3u);  // the same cable seen from card 5
  f.set_link_up(0, p, false);
  EXPECT_FALSE(f.link_up(0, p));
  EXPECT_FALSE(f.link_up(5, q));
  w.port(0, p).send(f.ip_of(5, q), f.mac_of(5, q), 3);  // nothing leaves a port that is down
  sc_core::sc_start();
  EXPECT_EQ(w.port(5, q).stats().rx_frames, 3u);
  f.set_link_up(5, q, true);
  sc_core::sc_start();
  EXPECT_EQ(w.port(5, q).stats().rx_frames, 6u);  // the burst resumes once up
}

TEST(TopologyFabric, TwoBoxesDeliverFromEveryExternalPortToEveryOther) {
  FabricParams fp;
  fp.kind = "boxes";
  StandInWorld w(fp, TopologyShape{2, 8, 10});
  Fabric& f = *w.fabric;
  EXPECT_EQ(f.switch_count(), 19u);
  std::vector<std::pair<unsigned, unsigned>> ext;
  for (unsigned c = 0; c < 16; ++c)
    for (unsigned p : kBoxExternalPorts) ext.push_back({c, p});
  for (auto [c, p] : ext)
    for (auto [d, q] : ext)
      if (c != d || p != q) w.port(c, p).send(f.ip_of(d, q), f.mac_of(d, q), 1, 1024, uint16_t(0xC000 + d * 16 + q));
  sc_core::sc_start();
  for (auto [c, p] : ext) {
    EXPECT_EQ(w.port(c, p).stats().rx_frames, ext.size() - 1) << "card " << c << " port " << p;
    EXPECT_EQ(w.port(c, p).stats().tx_frames, ext.size() - 1);
  }
  for (unsigned k = 0; k < f.switch_count(); ++k) EXPECT_EQ(f.switch_at(k).total_drops(), 0u);
  nlohmann::json s = f.stats();
  EXPECT_EQ(s["kind"], "boxes");
  EXPECT_EQ(s["switches"].size(), 19u);
  EXPECT_EQ(s["links"]["lost"], 0);
  EXPECT_EQ(s["switches"][0]["port_stats"][0]["peer"], "card0.port1");
}

TEST(TopologyFabric, ThirdPartyNicWritesToAGaudiPortThroughTheLeaf) {
  FabricParams fp;
  fp.third_party_nics = 1;
  fp.leaf_switches = 1;
  StandInWorld w(fp, TopologyShape{1, 8, 10});
  Fabric& f = *w.fabric;
  ASSERT_EQ(f.third_party_count(), 1u);
  ThirdPartyNic& tp = f.third_party(0);
  EXPECT_EQ(tp.mac() >> 24, kThirdPartyOui);
  EXPECT_FALSE(is_gaudi_mac(tp.mac()));
  tp.write_to(f.ip_of(4, 8), f.mac_of(4, 8), 7, 0x1000, 3 * 4096);
  sc_core::sc_start(us(20));
  EXPECT_EQ(w.port(4, 8).stats().rx_frames, 3u);  // the stand-in does not ACK; stop before retries
  EXPECT_EQ(f.stats()["third_party"][0]["ip"], "172.16.0.1");
}

TEST(TopologyFabric, SystemCablesTheCardsNicPorts) {
  SimParams p;  // defaults: one host, an 8-card box
  System sys(p, false);
  Fabric& f = sys.fabric();
  EXPECT_EQ(f.cable_count(), 28u);
  NetPort* np = f.port_of(1, 0);
  ASSERT_NE(np, nullptr);
  EXPECT_EQ(np, &sys.cards()[1]->nic_port(0));
  EXPECT_EQ(np->mac(), gaudi_mac(0, 1, 0));
  EXPECT_EQ(np->ip(), gaudi_ip(0, 1, 0));
  EXPECT_TRUE(f.link_up(1, 0));
}

TEST(TopologyFabric, SystemRejectsABadLinksFile) {
  test::TempDir dir;
  SimParams p;
  p.topology.cards = 2;
  p.fabric.kind = "custom";
  p.fabric.links_file = dir.write("l.txt", "card0.port1 card1.port1\ncard0.port2 card9.port0\n");
  try {
    System sys(p, false);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("l.txt' line 2: card 9 does not exist"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gs
