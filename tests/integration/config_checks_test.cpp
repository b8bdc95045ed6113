// Bad configuration input that only shows when several keys (or a file) are looked at
// together: check_config() names the key or file and what is allowed, before anything is
// built (issue 12, "Bad configuration input").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/test_root.hpp"
#include "testbench/checks/config_checks.hpp"
#include "testbench/faults/fault_script.hpp"
#include "testbench/sim_params.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;

SimParams params_of(std::initializer_list<std::string> sets) {
  SimParams p;
  load(p, raw_of(sets));
  return p;
}

std::string load_error_of_sim(std::initializer_list<std::string> sets) {
  return config_error_of([&] { params_of(sets); });
}

std::string check_error(std::initializer_list<std::string> sets) {
  return config_error_of([&] { check_config(params_of(sets)); });
}

TEST(ConfigChecks, DefaultsAndShippedShapesPass) {
  EXPECT_EQ(check_error({}), "");
  EXPECT_EQ(check_error({"workload.name=rdma-bw", "rdma.mode=all"}), "");
  EXPECT_EQ(check_error({"workload.name=rdma-bw", "rdma.mode=incast", "topology.hosts=2"}), "");
  EXPECT_EQ(check_error({"workload.name=rdma-pingpong", "topology.kind=boxes", "topology.hosts=2", "rdma.peer=9"}), "");
}

TEST(ConfigChecks, RdmaPeerOutOfRangeNamesTheKeyAndTheAllowedCards) {
  std::string e = check_error({"workload.name=rdma-bw", "rdma.peer=8"});
  EXPECT_THAT(e, HasSubstr("rdma.peer"));
  EXPECT_THAT(e, HasSubstr("allowed values are 1..7"));
  EXPECT_THAT(check_error({"workload.name=rdma-pingpong", "topology.cards=2", "rdma.peer=5"}), HasSubstr("1..1"));
}

TEST(ConfigChecks, RdmaPeerThatCannotBeReachedIsRefused) {
  // Two boxes without a scale-out network cannot talk to each other.
  std::string e = check_error({"workload.name=rdma-bw", "topology.hosts=2", "topology.kind=custom",
                               "topology.links_file=/dev/null", "rdma.peer=9"});
  EXPECT_THAT(e, HasSubstr("cannot be reached from card 0"));
}

TEST(ConfigChecks, SizesDocumentedAsMultiplesOfEightAreChecked) {
  EXPECT_THAT(check_error({"workload.name=dma", "dma.bytes=1001"}), HasSubstr("'dma.bytes' = 1001: must be a multiple of 8"));
  EXPECT_THAT(check_error({"workload.name=rdma-bw", "rdma.bytes=12"}), HasSubstr("'rdma.bytes' = 12: must be a multiple of 8"));
  EXPECT_THAT(check_error({"workload.name=rdma-pingpong", "rdma.ping_bytes=9"}), HasSubstr("rdma.ping_bytes"));
  EXPECT_EQ(check_error({"workload.name=info", "dma.bytes=1001"}), "");  // not used: not checked
}

TEST(ConfigChecks, RdmaBytesThatWouldTruncateAreRefused) {
  // 4 GiB used to pass the range and become 0 in the 32-bit transfer size.
  EXPECT_THAT(load_error_of_sim({"rdma.bytes=4Gi"}), HasSubstr("rdma.bytes"));
  // Each sender's data is read back by its own transfer: seven senders of 1 GiB fit (the
  // 32-bit size limits one transfer, not their sum), and HBM bounds what lands.
  // Timing mode: no host memory is needed for them either.
  EXPECT_EQ(check_error({"workload.name=rdma-bw", "rdma.mode=incast", "topology.hosts=2", "rdma.bytes=1Gi",
                         "sim.payload=timing"}), "");
  EXPECT_THAT(check_error({"workload.name=rdma-bw", "rdma.mode=incast", "topology.hosts=2", "rdma.bytes=4294967288",
                           "sim.payload=timing"}),
              HasSubstr("rdma-bw buffers (rdma.bytes x 8)"));
}

TEST(ConfigChecks, HostBuffersThatCannotBeAllocatedAreRefusedBeforeTheRun) {
  SimParams p = params_of({"workload.name=dma", "topology.cards=64", "topology.kind=none", "dma.bytes=4294967288"});
  EXPECT_EQ(workload_host_bytes(p), 64ull * 2 * 4294967288ull);
  std::string e = config_error_of([&] { check_config(p); });
  if (workload_host_bytes(p) > host_memory_available()) {
    EXPECT_THAT(e, HasSubstr("MiB of host memory"));
    EXPECT_THAT(e, HasSubstr("dma.bytes"));
  }
}

TEST(ConfigChecks, WorkloadListsAreValidatedBeforeTheBuild) {
  EXPECT_THAT(check_error({"workload.name=gemm", "gemm.sizes=256,x,512"}), HasSubstr("'x' is not a size"));
  EXPECT_THAT(check_error({"workload.name=gemm", "gemm.sizes=40000"}), HasSubstr("1..32767"));
  EXPECT_THAT(check_error({"workload.name=gemm", "gemm.sizes="}), HasSubstr("gemm.sizes"));
  std::string e = check_error({"workload.name=tpc", "tpc.kernels=copy,fft"});
  EXPECT_THAT(e, HasSubstr("'fft' is not a kernel"));
  EXPECT_THAT(e, HasSubstr("softmax"));
  EXPECT_THAT(check_error({"workload.name=tpc", "tpc.elements=1000", "tpc.row=3"}), HasSubstr("multiple of tpc.row"));
}

TEST(ConfigChecks, LinksFileThatWouldBeIgnoredIsRefused) {
  std::string e = check_error({"topology.links_file=/dev/null"});
  EXPECT_THAT(e, HasSubstr("topology.links_file"));
  EXPECT_THAT(e, HasSubstr("topology.kind = custom"));
}

TEST(ConfigChecks, LinksFileThatIsADirectoryOrHasALoopIsRefused) {
  TempDir dir;
  std::string d = dir.path("");
  EXPECT_THAT(check_error({"topology.kind=custom", "topology.links_file=" + d}), HasSubstr("is a directory"));
  std::string loop = dir.write("loop.txt", "card0.port1 card1.port1\ncard2.port0 card2.port3\n");
  std::string e = check_error({"topology.kind=custom", "topology.links_file=" + loop});
  EXPECT_THAT(e, HasSubstr("line 2"));
  EXPECT_THAT(e, HasSubstr("to itself"));
}

TEST(ConfigChecks, RelativeLinksFileIsFoundNextToTheIni) {
  TempDir dir;
  dir.write("links.txt", "card0.port0 card1.port0\n");
  std::string ini = dir.write("run.ini", "[topology]\ncards = 2\nkind = custom\nlinks_file = links.txt\n");
  RawConfig raw;
  raw.load_file(ini);
  SimParams p;
  load(p, raw);
  EXPECT_EQ(p.fabric.links_file, dir.path("links.txt"));
  EXPECT_EQ(config_error_of([&] { check_config(p); }), "");
  // From --set it stays relative to the working directory, as a shell user expects.
  EXPECT_EQ(params_of({"topology.links_file=links.txt"}).fabric.links_file, "links.txt");
}

TEST(ConfigChecks, IncastOnOneBoxSaysWhyInsteadOfFailingLater) {
  std::string e = check_error({"workload.name=rdma-bw", "rdma.mode=incast"});
  EXPECT_THAT(e, HasSubstr("rdma.mode = incast"));
  EXPECT_THAT(e, HasSubstr("topology.hosts >= 2"));
  EXPECT_THAT(check_error({"workload.name=rdma-bw", "rdma.mode=all", "topology.kind=none"}), HasSubstr("rdma.mode = all"));
}

TEST(ConfigChecks, GaudisimSetErrorsNameTheirOrigin) {
  RawConfig raw;
  EXPECT_EQ(config_error_of([&] { raw.apply_set("nonsense", "GAUDISIM_SET"); }), "GAUDISIM_SET expects key=value, got 'nonsense'");
  raw.apply_set("topology.cards=abc", "GAUDISIM_SET");
  SimParams p;
  EXPECT_THAT(config_error_of([&] { load(p, raw); }), HasSubstr("(from GAUDISIM_SET)"));
}

TEST(ConfigChecks, TopologyHostsRangeIsWhatTheFabricCanAddress) {
  EXPECT_THAT(load_error_of_sim({"topology.hosts=257"}), HasSubstr("1..256"));
  EXPECT_EQ(load_error_of_sim({"topology.hosts=256"}), "");
}

TEST(ConfigChecks, FaultScriptMistakesNameTheEntry) {
  EXPECT_THAT(check_error({"fault.events=1ms link_down card0.port1; 2ms explode card0"}), HasSubstr("fault.events entry 2: unknown fault 'explode'"));
  EXPECT_THAT(check_error({"fault.events=soon link_down card0.port0"}), HasSubstr("'soon' is not a time"));
  EXPECT_THAT(check_error({"fault.events=1ms engine_hang card0.port0"}), HasSubstr("cardN.dmaK"));
  EXPECT_THAT(check_error({"fault.events=1ms cpu_hang card8"}), HasSubstr("no such card"));
  EXPECT_THAT(check_error({"fault.events=1ms link_down card0.port1"}), HasSubstr("not cabled"));  // box: port 1 is external
  EXPECT_THAT(check_error({"fault.events=1ms link_flap card0.port0 count=0"}), HasSubstr("count takes 1..100000"));
  EXPECT_THAT(check_error({"fault.events=1ms pause_storm card0.port0"}), HasSubstr("switchK.portP"));
  EXPECT_THAT(check_error({"fault.script=/nonexistent/faults.txt"}), HasSubstr("fault.script '/nonexistent/faults.txt'"));
  EXPECT_EQ(check_error({"fault.events=1ms link_flap card0.port0 down=10us up=20us count=3; 2ms nic_hang card1.port0"}), "");
}

TEST(ConfigChecks, EngineHangAndPcieTimeoutTargetsAreChecked) {
  EXPECT_THAT(check_error({"fault.events=1ms engine_hang card0.tpc8"}), HasSubstr("no such TPC core (card.tpc_cores = 8)"));
  EXPECT_THAT(check_error({"fault.events=1ms engine_hang card0.mme2"}), HasSubstr("no such MME master (card.mme_engines = 2)"));
  EXPECT_THAT(check_error({"fault.events=1ms engine_hang card0.nic0"}), HasSubstr("cardN.tpcK or cardN.mmeK"));
  EXPECT_THAT(check_error({"fault.events=1ms pcie_timeout card0.port0"}), HasSubstr("write cardN"));
  EXPECT_THAT(check_error({"fault.events=1ms pcie_timeout card0 duration=soon"}), HasSubstr("duration takes a time"));
  EXPECT_EQ(check_error({"fault.events=1ms engine_hang card0.tpc7; 1ms engine_hang card0.mme1; 2ms pcie_timeout card0 duration=1ms"}), "");
}

TEST(FaultScript, ParsesEveryFaultAndItsOptions) {
  auto a = parse_fault_script("# comment\n1.5ms link_flap card0.port2 down=10us up=1ms count=4 jitter=0.5\n"
                              "2s hbm_flip card3 addr=0x20000000 bits=2\n100us pause_storm switch1.port4 prio=2 duration=3ms\n",
                              "test");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_DOUBLE_EQ(a[0].at_us, 1500);
  EXPECT_EQ(a[0].kind, FaultKind::link_flap);
  EXPECT_EQ(a[0].target.port, 2u);
  EXPECT_DOUBLE_EQ(a[0].up_us, 1000);
  EXPECT_EQ(a[0].count, 4u);
  EXPECT_DOUBLE_EQ(a[1].at_us, 2e6);
  EXPECT_EQ(a[1].addr, 0x20000000u);
  EXPECT_EQ(a[1].bits, 2u);
  EXPECT_EQ(a[2].target.kind, NodeKind::switch_node);
  EXPECT_EQ(a[2].prio_mask, 1u << 2);
  EXPECT_DOUBLE_EQ(a[2].duration_us, 3000);
}

}  // namespace
}  // namespace gs::test
