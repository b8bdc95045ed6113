// Engine-initiated RDMA end to end: the NIC connect ioctl, NIC-queue CBs that post writes,
// the fabric, and the receiving card's sync objects; plus the failure cases.
#include <cerrno>

#include "cs_harness.hpp"
#include "integration_helpers.hpp"
#include "models/nic/nic_port.hpp"
#include "specs/gaudi/nic.h"
#include "testbench/run.hpp"
#include "testbench/workloads/rdma_workloads.hpp"

namespace gs::test {
namespace {

struct RdmaRun {
  SimParams p;
  std::unique_ptr<System> sys;
  std::unique_ptr<RdmaWorkload> wl;
  nlohmann::json rec;
  int rc = -1;
  bool finished = false;
  std::string table;

  RdmaRun(bool pingpong) : wl(std::make_unique<RdmaWorkload>(pingpong)) {
    p.fast_boot();
    p.rdma.bytes = 2 << 20;
  }
  void run() {
    sys = std::make_unique<System>(p, false);
    wl->setup(*sys);
    finished = sys->run();
    std::ostringstream out;
    rc = gs::report_run(*wl, *sys, out, rec);
    table = out.str();
  }
  NicPort& nic(unsigned card, unsigned port) { return sys->cards()[card]->nic(port); }
};

TEST(Rdma, PairWriteRunsWithinTwoPercentOfTheFramingBound) {
  RdmaRun r(false);
  r.p.fabric.kind = "pair";
  r.p.topology.cards = 2;
  r.p.rdma.bytes = 16 << 20;
  r.run();
  ASSERT_EQ(r.rc, 0) << r.table;
  ASSERT_EQ(r.rec["results"].size(), 1u);
  double bound = r.rec["summary"]["framing_bound_gbit_s"];
  double gbps = r.rec["results"][0]["gbit_s"];
  EXPECT_TRUE(r.rec["results"][0]["verified"].get<bool>());
  EXPECT_GT(gbps, 0.98 * bound) << r.table;
  EXPECT_LE(gbps, bound * 1.001);
  // Exactly one message landed, one was acknowledged.
  EXPECT_EQ(r.nic(1, 0).counters().msgs_received, 1u);
  EXPECT_EQ(r.nic(0, 0).counters().msgs_sent, 1u);
  EXPECT_TRUE(r.finished);
}

TEST(Rdma, AllSevenLinksOfABoxAtOnceEachRunNearTheBound) {
  RdmaRun r(false);
  r.p.rdma.mode = "all";
  r.run();
  ASSERT_EQ(r.rc, 0) << r.table;
  ASSERT_EQ(r.rec["results"].size(), 56u);  // 8 cards x 7 peers
  double bound = r.rec["summary"]["framing_bound_gbit_s"];
  for (const auto& pr : r.rec["results"]) {
    EXPECT_TRUE(pr["verified"].get<bool>());
    EXPECT_GT(pr["gbit_s"].get<double>(), 0.97 * bound) << pr.dump();
  }
  // A card's copies and its RDMA CS's external job share one CB (each made CB stays
  // mapped to the end: a host page of its own).
  for (const auto& dev : r.sys->hosts()[0]->driver().devices()) EXPECT_EQ(dev->cbs().live(), 1u);
}

TEST(Rdma, PingPongAcrossALinkAndAcrossSwitches) {
  RdmaRun direct(true);
  direct.p.fabric.kind = "pair";
  direct.p.topology.cards = 2;
  direct.run();
  ASSERT_EQ(direct.rc, 0) << direct.table;
  double one_hop = direct.rec["results"][0]["latency_us"];
  EXPECT_GT(one_hop, 0.1);
  EXPECT_LT(one_hop, 5.0);
  EXPECT_TRUE(direct.rec["results"][0]["verified"].get<bool>());
}

TEST(Rdma, PingPongThroughLeafAndSpineIsSlowerThanADirectLink) {
  RdmaRun sw(true);
  sw.p.fabric.kind = "boxes";
  sw.p.topology.hosts = 2;
  sw.p.rdma.peer = 8;  // a card of the other box: only the scale-out network joins them
  sw.run();
  ASSERT_EQ(sw.rc, 0) << sw.table;
  double via_switches = sw.rec["results"][0]["latency_us"];
  // Three switch hops and four cables more than the direct link's one cable.
  EXPECT_GT(via_switches, 3 * sw.p.fabric.sw.latency_ns / 1000.0);
}

TEST(Rdma, SevenToOneIncastThroughASwitchWithPfcLosesNothing) {
  RdmaRun r(false);
  r.p.fabric.kind = "boxes";
  r.p.topology.hosts = 2;
  r.p.rdma.mode = "incast";
  r.run();
  ASSERT_EQ(r.rc, 0) << r.table;
  ASSERT_EQ(r.rec["results"].size(), 7u);
  double sum = 0;
  for (const auto& pr : r.rec["results"]) {
    EXPECT_TRUE(pr["verified"].get<bool>());
    sum += pr["gbit_s"].get<double>();
  }
  uint64_t drops = 0, pauses = 0;
  for (const auto& s : r.rec["stats"]["switches"]["detail"]["switches"]) {
    drops += s["drops"].get<uint64_t>();
    for (const auto& ps : s["port_stats"]) pauses += ps["pauses_sent"].get<uint64_t>();
  }
  EXPECT_EQ(drops, 0u);
  EXPECT_GT(pauses, 0u) << "the switch should have pushed back on the senders";
  EXPECT_GT(sum, 0.9 * r.rec["summary"]["framing_bound_gbit_s"].get<double>());  // the one receiving link stays busy
}

TEST(Rdma, LossyLinkStillDeliversTheRightBytesAndCountsRetransmissions) {
  RdmaRun r(false);
  r.p.fabric.kind = "pair";
  r.p.topology.cards = 2;
  r.p.fabric.loss_rate = 1e-3;
  r.p.rdma.bytes = 16 << 20;  // about 4100 frames: several are lost at 1e-3
  r.run();
  ASSERT_EQ(r.rc, 0) << r.table;
  EXPECT_TRUE(r.rec["results"][0]["verified"].get<bool>());
  EXPECT_GT(r.nic(0, 0).counters().retransmissions, 0u);
  EXPECT_EQ(r.nic(1, 0).counters().msgs_received, 1u) << "one sync-object increment per message";
  EXPECT_GT(r.rec["stats"]["links"]["lost"].get<uint64_t>(), 0u);
}

TEST(Rdma, SameConfigGivesIdenticalJson) {
  TempDir tmp;
  std::vector<std::string> args = {"--set", "workload.name=rdma-bw", "--set", "topology.kind=pair", "--set",
                                   "topology.cards=2", "--set", "rdma.bytes=1Mi", "--set", "fabric.loss_rate=1e-3"};
  auto a = args, b = args;
  a.insert(a.end(), {"--json", tmp.file("a.json")});
  b.insert(b.end(), {"--json", tmp.file("b.json")});
  ASSERT_EQ(run_gaudisim(a).code, 0);
  ASSERT_EQ(run_gaudisim(b).code, 0);
  EXPECT_EQ(slurp(tmp.file("a.json")), slurp(tmp.file("b.json")));
}

}  // namespace
}  // namespace gs::test
