// The communication library (driver/lib/comm) end to end through workload "collective":
// every collective on 2, 4 and 8 cards of a box and on 16 and 32 cards (2 and 4 boxes),
// fp32 and bf16, odd counts, many pipeline pieces (4 KiB chunks), out of place and in place,
// each result copied back by DMA and compared with the host reference; plus set-up refusals.
#include <cerrno>
#include <tuple>

#include "driver/lib/comm/communicator.hpp"
#include "driver/lib/comm/inproc_bootstrap.hpp"
#include "integration_helpers.hpp"
#include "testbench/run.hpp"
#include "testbench/topology/addressing.hpp"
#include "testbench/workloads/collective_workload.hpp"

namespace gs::test {
namespace {

struct CollRun {
  SimParams p;
  std::unique_ptr<System> sys;
  CollectiveWorkload wl;
  nlohmann::json rec;
  int rc = -1;
  bool finished = false;
  std::string table;

  CollRun(unsigned cards, const std::string& op, const std::string& dtype) {
    p.fast_boot();
    p.topology.cards = cards;
    p.workload.name = "collective";
    p.collective.op = op;
    p.collective.dtype = dtype;
    // Odd element counts (3, 9, 27, ...) up to about 80 KB; 4 KiB pieces: up to 20 per share.
    p.collective.min_bytes = dtype == "float" ? 12 : 6;
    p.collective.step_factor = 3;
    p.collective.max_bytes = 80000;
    p.collective.chunk_bytes = 4096;
    p.collective.root = cards - 1;
  }
  void run() {
    sys = std::make_unique<System>(p, false);
    wl.setup(*sys);
    finished = sys->run();
    std::ostringstream out;
    rc = gs::report_run(wl, *sys, out, rec);
    table = out.str();
  }
};

using Case = std::tuple<std::string, unsigned, std::string>;

class EveryCollective : public ::testing::TestWithParam<Case> {};

TEST_P(EveryCollective, IsRightOutOfPlaceAndInPlace) {
  const auto& [op, cards, dtype] = GetParam();
  CollRun r(cards, op, dtype);
  r.run();
  EXPECT_TRUE(r.finished);
  ASSERT_EQ(r.rc, 0) << r.table;
  ASSERT_EQ(r.rec["results"].size(), 9u) << r.table;
  uint64_t moved = 0;
  for (const auto& row : r.rec["results"]) {
    EXPECT_EQ(row["wrong"], 0) << r.table;
    EXPECT_EQ(row["in_place_wrong"], 0) << r.table;
    EXPECT_EQ(row["error"], "") << r.table;
    if (row["count"].get<uint64_t>() > 0) {
      EXPECT_GT(row["time_us"].get<double>(), 0.0);  // count 0: nothing to do
    }
    moved += row["count"].get<uint64_t>();
  }
  EXPECT_GT(moved, 0u);
  // The data went over the cables.
  EXPECT_GT(r.rec["stats"]["links"]["frames"].get<uint64_t>(), 0u);
}

std::string name(const ::testing::TestParamInfo<Case>& i) {
  return std::get<0>(i.param) + "_" + std::to_string(std::get<1>(i.param)) + "cards_" + std::get<2>(i.param);
}

INSTANTIATE_TEST_SUITE_P(Box, EveryCollective,
                         ::testing::Combine(::testing::Values("allreduce", "reducescatter", "allgather", "alltoall",
                                                              "broadcast"),
                                            ::testing::Values(2u, 4u, 8u), ::testing::Values("float", "bfloat16")),
                         name);

// Across boxes (16 cards = 2 boxes of 8; 32 = 4 boxes): every collective, hierarchical
// (docs/collectives.md), fp32 and bf16, odd counts, many pieces and rail sub-pieces, in and
// out of place; the rings and chains go through the rails' leaf switches.
using BoxCase = std::tuple<std::string, unsigned, std::string>;  // op, boxes, dtype

class AcrossBoxes : public ::testing::TestWithParam<BoxCase> {};

TEST_P(AcrossBoxes, IsRightOutOfPlaceAndInPlace) {
  const auto& [op, boxes, dtype] = GetParam();
  CollRun r(8, op, dtype);
  r.p.topology.hosts = boxes;
  r.p.fabric.kind = "boxes";
  r.p.collective.root = 8 * boxes - 3;  // a root in the last box, not slot 0
  if (boxes > 2) r.p.collective.max_bytes = 240000;  // the last size: 2 pieces of 32 blocks
  r.run();
  EXPECT_TRUE(r.finished);
  ASSERT_EQ(r.rc, 0) << r.table;
  EXPECT_EQ(r.rec["summary"]["cards"], 8 * boxes);
  uint64_t moved = 0;
  for (const auto& row : r.rec["results"]) {
    EXPECT_EQ(row["wrong"], 0) << r.table;
    EXPECT_EQ(row["in_place_wrong"], 0) << r.table;
    EXPECT_EQ(row["error"], "") << r.table;
    moved += row["count"].get<uint64_t>();
  }
  EXPECT_GT(moved, 0u);
}

std::string box_name(const ::testing::TestParamInfo<BoxCase>& i) {
  return std::get<0>(i.param) + "_" + std::to_string(8 * std::get<1>(i.param)) + "cards_" + std::get<2>(i.param);
}

INSTANTIATE_TEST_SUITE_P(TwoBoxes, AcrossBoxes,
                         ::testing::Combine(::testing::Values("allreduce", "reducescatter", "allgather", "alltoall",
                                                              "broadcast"),
                                            ::testing::Values(2u), ::testing::Values("float", "bfloat16")),
                         box_name);
INSTANTIATE_TEST_SUITE_P(FourBoxes, AcrossBoxes,
                         ::testing::Combine(::testing::Values("allreduce", "reducescatter", "allgather", "alltoall",
                                                              "broadcast"),
                                            ::testing::Values(4u), ::testing::Values("float")),
                         box_name);

// Ranks of one box, each its own process; `body` runs per rank with its bootstrap.
struct Ranks {
  SimParams p;
  std::unique_ptr<System> sys;
  std::unique_ptr<hlcomm::InProcessGroup> group;
  explicit Ranks(unsigned n) {
    p.fast_boot();
    p.topology.cards = n;
    sys = std::make_unique<System>(p, false);
    group = std::make_unique<hlcomm::InProcessGroup>(sys->hosts()[0]->os(), int(n));
  }
  hlcomm::CommConfig config(unsigned card) const {
    hlcomm::CommConfig c;
    c.node = "box0";
    c.port_ipv4 = [card](unsigned port) { return gaudi_ip(0, card, port); };
    return c;
  }
};

TEST(CollectiveSetUp, IsRefusedToAProcessWithoutTheComputeContextAndNobodyHangs) {
  Ranks r(2);
  int rc[2] = {1, 1};
  for (unsigned k = 0; k < 2; ++k)
    r.sys->hosts()[0]->spawn_process("rank" + std::to_string(k), [&, k] {
      hlthunk::Thunk t(r.sys->hosts()[0]->driver(), 700 + int(k));
      int fd = t.open(k, /*control*/ k == 0);  // rank 0 holds only the control node
      hlcomm::InProcessBootstrap bs(*r.group, int(k));
      std::unique_ptr<hlcomm::Communicator> c;
      rc[k] = hlcomm::Communicator::create(t, fd, bs, r.config(k), &c);
      EXPECT_EQ(c, nullptr);
      t.close(fd);
    });
  EXPECT_TRUE(r.sys->run());
  EXPECT_LT(rc[0], 0);
  EXPECT_NE(rc[0], -ECONNABORTED);  // its own refusal
  EXPECT_EQ(rc[1], -ECONNABORTED);  // told that a peer could not join
}

TEST(CollectiveSetUp, ConnectsEveryPairOfTheBoxOverItsOwnPort) {
  Ranks r(8);
  std::vector<std::vector<int>> ports(8, std::vector<int>(8, -2));
  for (unsigned k = 0; k < 8; ++k)
    r.sys->hosts()[0]->spawn_process("rank" + std::to_string(k), [&, k] {
      hlthunk::Thunk t(r.sys->hosts()[0]->driver(), 700 + int(k));
      int fd = t.open(k);
      hlcomm::InProcessBootstrap bs(*r.group, int(k));
      std::unique_ptr<hlcomm::Communicator> c;
      ASSERT_EQ(hlcomm::Communicator::create(t, fd, bs, r.config(k), &c), 0);
      for (unsigned j = 0; j < 8; ++j) ports[k][j] = c->peer(j).port;
      c.reset();
      t.close(fd);
    });
  EXPECT_TRUE(r.sys->run());
  for (unsigned k = 0; k < 8; ++k)
    for (unsigned j = 0; j < 8; ++j) {
      if (j == k) {
        EXPECT_EQ(ports[k][j], -1);
        continue;
      }
      // The port the library chose is the one the topology cabled to that card.
      auto peer = r.sys->fabric().peer_of(k, unsigned(ports[k][j]));
      ASSERT_TRUE(peer.has_value());
      EXPECT_EQ(peer->text(), "card" + std::to_string(j) + ".port" + std::to_string(ports[j][k]));
    }
}

}  // namespace
}  // namespace gs::test
