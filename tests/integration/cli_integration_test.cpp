// The gaudisim program as a user runs it: determinism of the JSON record, exit codes and
// messages for configuration errors, --set overrides, --help. Runs the binary of this
// build tree (<build>/gaudisim) as a child process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "integration_helpers.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class Gaudisim : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(gaudisim_path())) GTEST_FAIL() << "gaudisim binary not found at " << gaudisim_path();
  }
  // Arguments that select the repository's default config explicitly when it is known, with
  // the probe table (workload info) instead of its all-reduce sweep.
  std::vector<std::string> base() const {
    std::string ini = default_ini();
    std::vector<std::string> a{"--set", "workload.name=info"};
    if (!ini.empty()) a.insert(a.begin(), {"--config", ini});
    return a;
  }
  std::vector<std::string> with(std::vector<std::string> extra) const {
    auto a = base();
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

TEST_F(Gaudisim, DefaultRunIsDeterministic) {
  TempDir tmp;
  const std::string j1 = tmp.file("run1.json"), j2 = tmp.file("run2.json");
  Exec r1 = run_gaudisim(with({"--json", j1}));
  Exec r2 = run_gaudisim(with({"--json", j2}));
  ASSERT_EQ(r1.code, 0) << r1.err;
  ASSERT_EQ(r2.code, 0) << r2.err;
  const std::string a = slurp(j1), b = slurp(j2);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b) << "JSON records of two identical runs differ";
  nlohmann::json rec = nlohmann::json::parse(a);
  ASSERT_EQ(rec["results"].size(), 8u);
  for (const auto& c : rec["results"]) EXPECT_EQ(c["status"], "up");
  EXPECT_EQ(rec["finished"], true);
  EXPECT_GT(rec["sim_time_us"].get<double>(), 0.0);
  EXPECT_THAT(r1.out, HasSubstr("8 of 8 cards up"));
}

// The default run is the NCCL tests' all-reduce table (sizes cut short here): same table and
// same record twice, every result right.
TEST_F(Gaudisim, DefaultRunPrintsTheSameAllReduceTableTwice) {
  if (default_ini().empty()) GTEST_SKIP() << "GS_SOURCE_DIR unknown";
  TempDir tmp;
  const std::string j1 = tmp.file("a.json"), j2 = tmp.file("b.json");
  std::vector<std::string> args{"--config", default_ini(), "--set", "workload.max_bytes=64Ki", "--json"};
  auto a1 = args, a2 = args;
  a1.push_back(j1);
  a2.push_back(j2);
  Exec r1 = run_gaudisim(a1), r2 = run_gaudisim(a2);
  ASSERT_EQ(r1.code, 0) << r1.out << r1.err;
  ASSERT_EQ(r2.code, 0) << r2.out << r2.err;
  auto table = [](const std::string& out) { return out.substr(0, out.rfind("simulated")); };  // wall time differs
  EXPECT_EQ(table(r1.out), table(r2.out));
  EXPECT_EQ(slurp(j1), slurp(j2));
  EXPECT_THAT(r1.out, HasSubstr("#       size         count      type   redop    root     time   algbw   busbw #wrong"));
  EXPECT_THAT(r1.out, HasSubstr("# Out of bounds values : 0 OK"));
  EXPECT_THAT(r1.out, HasSubstr("# Avg bus bandwidth    : "));
  EXPECT_THAT(r1.out, HasSubstr("# Fabric bound (busbw) : 7 links"));
  nlohmann::json rec = nlohmann::json::parse(slurp(j1));
  EXPECT_EQ(rec["workload"], "collective");
  EXPECT_EQ(rec["summary"]["op"], "allreduce");
  EXPECT_EQ(rec["summary"]["cards"], 8);
  ASSERT_EQ(rec["results"].size(), 14u);  // 8 B .. 64 KiB
  EXPECT_EQ(rec["results"][0]["bytes"], 8);
  for (const auto& row : rec["results"]) {
    EXPECT_EQ(row["wrong"], 0);
    EXPECT_GT(row["time_us"].get<double>(), 0.0);
    EXPECT_GE(row["busbw_gbyte_s"].get<double>(), 0.0);
  }
  EXPECT_NEAR(rec["summary"]["busbw_bound_gbyte_s"].get<double>(), 85.78, 0.01);
}

TEST_F(Gaudisim, SetOverridesTopologyCards) {
  TempDir tmp;
  const std::string j = tmp.file("two.json");
  Exec r = run_gaudisim(with({"--set", "topology.cards=2", "--json", j}));
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json rec = nlohmann::json::parse(slurp(j));
  EXPECT_EQ(rec["results"].size(), 2u);
  EXPECT_THAT(r.out, HasSubstr("2 of 2 cards up"));
  EXPECT_EQ(rec["config"]["topology"]["cards"], 2);  // the record holds the effective config
}

TEST_F(Gaudisim, FaultyCardIsReportedWithExitCodeOne) {
  Exec r = run_gaudisim(with({"--set", "topology.cards=4", "--set", "fault.no_boot_cards=1"}));
  EXPECT_EQ(r.code, 1) << r.err;  // a card that does not come up is never a success
  EXPECT_THAT(r.out, HasSubstr("3 of 4 cards up"));
  EXPECT_THAT(r.out, HasSubstr("device CPU not ready"));
  EXPECT_THAT(r.err, HasSubstr("device CPU not ready"));  // error lines are echoed at warn level
}

TEST_F(Gaudisim, UnknownKeyIsExitCodeTwoAndNamesTheKey) {
  Exec r = run_gaudisim(with({"--set", "topology.kards=2"}));
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("topology.kards"));
  EXPECT_THAT(r.out, Not(HasSubstr("cards up")));  // nothing was simulated
}

TEST_F(Gaudisim, UnknownKeyInAConfigFileNamesKeyAndFile) {
  TempDir tmp;
  std::string ini = tmp.write("bad.ini", "[topology]\ncards = 2\nsockets = 4\n");
  Exec r = run_gaudisim({"--config", ini});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("topology.sockets"));
  EXPECT_THAT(r.err, HasSubstr("bad.ini"));
}

TEST_F(Gaudisim, BadValuesAreExitCodeTwoAndNameTheKey) {
  for (const char* set : {"topology.cards=abc", "topology.cards=0", "topology.cards=65",
                          "pcie.latency_ns=-1", "workload.name=allreduce_nope"}) {
    Exec r = run_gaudisim(with({"--set", set}));
    EXPECT_EQ(r.code, 2) << set;
    std::string key = std::string(set).substr(0, std::string(set).find('='));
    EXPECT_THAT(r.err, HasSubstr(key)) << set;
  }
}

TEST_F(Gaudisim, BadCardListIsExitCodeTwo) {
  Exec r = run_gaudisim(with({"--set", "fault.no_boot_cards=9"}));
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("fault.no_boot_cards"));
}

TEST_F(Gaudisim, MissingConfigFileIsExitCodeTwoAndNamesTheFile) {
  Exec r = run_gaudisim({"--config", "/nonexistent/dir/gaudisim-missing.ini"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/dir/gaudisim-missing.ini"));
}

TEST_F(Gaudisim, UnknownOptionIsExitCodeTwo) {
  Exec r = run_gaudisim({"--frobnicate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("frobnicate"));
}

// Mistakes only several keys (or a file) reveal: exit 2, the key named, nothing simulated.
TEST_F(Gaudisim, CrossKeyMistakesAreExitCodeTwoBeforeAnythingIsBuilt) {
  TempDir tmp;
  const std::string loop = tmp.write("loop.txt", "card0.port0 card0.port1\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--set", "workload.name=rdma-bw", "--set", "rdma.peer=8"}, "rdma.peer"},
      {{"--set", "workload.name=dma", "--set", "dma.bytes=1001"}, "dma.bytes"},
      {{"--set", "workload.name=rdma-bw", "--set", "rdma.bytes=4Gi"}, "rdma.bytes"},
      {{"--set", "workload.name=gemm", "--set", "gemm.sizes=256,abc"}, "gemm.sizes"},
      {{"--set", "workload.name=tpc", "--set", "tpc.kernels=copy,fft"}, "tpc.kernels"},
      {{"--set", "topology.links_file=" + loop}, "topology.links_file"},
      {{"--set", "topology.kind=custom", "--set", "topology.links_file=" + tmp.file("")}, "is a directory"},
      {{"--set", "topology.kind=custom", "--set", "topology.links_file=" + loop}, "to itself"},
      {{"--set", "workload.name=rdma-bw", "--set", "rdma.mode=incast"}, "rdma.mode = incast"},
      {{"--set", "topology.hosts=300"}, "topology.hosts"},
      {{"--set", "fault.events=1ms explode card0"}, "unknown fault 'explode'"},
  };
  for (const auto& [args, needle] : cases) {
    Exec r = run_gaudisim(with(args));
    EXPECT_EQ(r.code, 2) << needle << "\n" << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr(needle));
    EXPECT_THAT(r.out, Not(HasSubstr("simulated")));  // nothing ran
  }
}

TEST_F(Gaudisim, RelativeLinksFileIsReadNextToItsIni) {
  TempDir tmp;
  tmp.write("links.txt", "card0.port0 card1.port0\n");
  const std::string ini = tmp.write("run.ini", "[topology]\ncards = 2\nkind = custom\nlinks_file = links.txt\n");
  Exec r = run_gaudisim({"--config", ini});  // run from the build directory, not the INI's
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 of 2 cards up"));
}

TEST_F(Gaudisim, TimeGuardNamesTheKeyAndTheTimeItStopped) {
  Exec r = run_gaudisim(with({"--set", "workload.name=dma", "--set", "sim.max_time_ms=1"}));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("sim.max_time_ms = 1 ms"));
  EXPECT_THAT(r.out, HasSubstr("(1000 us simulated) with work still pending"));
}

TEST_F(Gaudisim, FaultsAreCountedInTheRecordAndDeterministic) {
  TempDir tmp;
  std::string rec_text[2];
  for (int i = 0; i < 2; ++i) {
    const std::string j = tmp.file("f" + std::to_string(i) + ".json");
    Exec r = run_gaudisim({"--set", "topology.cards=2", "--set", "topology.kind=pair", "--set", "cpu.boot_us=100",
                           "--set", "fault.events=1ms link_flap card0.port3 down=10us up=10us count=2 jitter=0.5",
                           "--json", j});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("faults injected:"));
    rec_text[i] = slurp(j);
  }
  nlohmann::json rec = nlohmann::json::parse(rec_text[0]);
  EXPECT_EQ(rec["faults"]["injected"]["link_down"], 2);
  EXPECT_EQ(rec["faults"]["injected"]["link_up"], 2);
  EXPECT_EQ(rec_text[0], rec_text[1]);  // same seed, same jitter, same record
}

TEST_F(Gaudisim, HelpListsTopologyCardsWithItsDefault) {
  Exec r = run_gaudisim({"--help"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("--set"));
  // The parameter table groups keys under [section]: find "cards" under [topology].
  size_t sec = r.out.find("[topology]");
  ASSERT_NE(sec, std::string::npos) << r.out;
  size_t next = r.out.find("\n[", sec + 1);
  std::string topology = r.out.substr(sec, next == std::string::npos ? std::string::npos : next - sec);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(topology, m, std::regex(R"(\n\s+cards\s+\S+\s+(\S+))"))) << topology;
  EXPECT_EQ(m[1].str(), "8");
  EXPECT_THAT(r.out, Not(HasSubstr("cards up")));  // help runs nothing
}

}  // namespace
}  // namespace gs::test
