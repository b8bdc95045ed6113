// Workload "traffic" as a user runs it: a permutation on a k = 4 fat tree (16 GAUDI ports of
// 2 cards) in both fabric models, determinism of the record and the per-flow CSV, the flow
// model against the packet model, and a bad traffic file (exit 2, line named).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "integration_helpers.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> fattree_args(const std::string& model, std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"--set", "workload.name=traffic", "--set", "topology.kind=fattree",
                                "--set", "fabric.fattree_k=4",    "--set", "topology.cards=2",
                                "--set", "nic.ports=8",           "--set", "fabric.model=" + model};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

nlohmann::json run_json(const TempDir& tmp, const std::string& name, std::vector<std::string> args) {
  args.insert(args.end(), {"--json", tmp.file(name + ".json"), "--set", "traffic.csv=" + tmp.file(name + ".csv")});
  Exec r = run_gaudisim(args);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  nlohmann::json j = nlohmann::json::parse(slurp(tmp.file(name + ".json")));
  j["config"]["traffic"].erase("csv");  // the one input that differs between two runs
  return j;
}

TEST(TrafficRun, PacketModelRunsEveryFlowAndIsDeterministic) {
  TempDir tmp;
  nlohmann::json a = run_json(tmp, "a", fattree_args("packet"));
  nlohmann::json b = run_json(tmp, "b", fattree_args("packet"));
  EXPECT_EQ(a.dump(), b.dump());
  EXPECT_EQ(slurp(tmp.file("a.csv")), slurp(tmp.file("b.csv")));
  const auto& t = a["results"][0];
  EXPECT_EQ(t["flows"], 16);
  EXPECT_EQ(t["finished"], 16);
  EXPECT_EQ(t["drops"], 0);  // PFC: lossless
  // A lone 2 MiB flow needs 2 MiB at the framing bound (98.04 Gb/s): 171.1 us, plus latency.
  EXPECT_GT(t["fct_min_us"].get<double>(), 171.1);
  EXPECT_LT(t["fct_min_us"].get<double>(), 180.0);
  EXPECT_GE(t["fct_max_us"].get<double>(), t["fct_p99_us"].get<double>());
  // The CSV: a header and one line per flow.
  const std::string csv = slurp(tmp.file("a.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 17);
  EXPECT_THAT(csv, HasSubstr("id,src,dst,bytes,start_us,end_us,fct_us,gbit_s,finished\n1,"));
}

TEST(TrafficRun, FlowModelAgreesWithThePacketModelWithoutPauses) {
  // Deep buffers: no PFC pause, so packet FIFOs share as max-min does here; the flow model
  // must find the same FCTs (same ECMP paths, same bottlenecks).
  TempDir tmp;
  std::vector<std::string> deep = {"--set", "fabric.pfc_xoff_bytes=4Mi", "--set", "fabric.pfc_xon_bytes=3Mi",
                                   "--set", "fabric.switch_buffer_bytes=64Mi"};
  nlohmann::json p = run_json(tmp, "p", fattree_args("packet", deep))["results"][0];
  nlohmann::json f = run_json(tmp, "f", fattree_args("flow", deep))["results"][0];
  EXPECT_EQ(f["finished"], 16);
  EXPECT_EQ(p["pauses"], 0);
  for (const char* k : {"fct_min_us", "fct_median_us", "fct_max_us"})
    EXPECT_NEAR(f[k].get<double>(), p[k].get<double>(), 0.02 * p[k].get<double>()) << k;
  EXPECT_NEAR(f["goodput_gbit_s"].get<double>(), p["goodput_gbit_s"].get<double>(), 0.02 * p["goodput_gbit_s"].get<double>());
  // With the default PFC thresholds the packet model pauses and its median grows (docs/fabric.md).
  nlohmann::json pfc = run_json(tmp, "pfc", fattree_args("packet"))["results"][0];
  EXPECT_GT(pfc["pauses"].get<uint64_t>(), 0u);
  EXPECT_NEAR(f["fct_median_us"].get<double>(), pfc["fct_median_us"].get<double>(),
              0.15 * pfc["fct_median_us"].get<double>());
}

TEST(TrafficRun, FlowModelIsDeterministic) {
  TempDir tmp;
  std::vector<std::string> extra = {"--set", "traffic.pattern=all-to-all", "--set", "traffic.bytes=64Ki"};
  nlohmann::json a = run_json(tmp, "a", fattree_args("flow", extra));
  nlohmann::json b = run_json(tmp, "b", fattree_args("flow", extra));
  EXPECT_EQ(a.dump(), b.dump());
  EXPECT_EQ(a["results"][0]["flows"], 240);
  EXPECT_EQ(a["results"][0]["finished"], 240);
  EXPECT_GT(a["stats"]["flow_model"]["recomputes"].get<uint64_t>(), 1u);
  EXPECT_EQ(slurp(tmp.file("a.csv")), slurp(tmp.file("b.csv")));
  EXPECT_FALSE(a["stats"].contains("links"));  // no cable carried a frame: none was built
}

TEST(TrafficRun, BadTrafficFileIsExitCodeTwoNamingTheLine) {
  TempDir tmp;
  std::string file = tmp.write("m.txt", "Nodes 16\nConnections 2\n0->1 id 1 size 4096\n1->1 id 2 size 4096\n");
  for (const std::string model : {"packet", "flow"}) {
    Exec r = run_gaudisim(fattree_args(model, {"--set", "traffic.pattern=file", "--set", "traffic.file=" + file}));
    EXPECT_EQ(r.code, 2) << model << r.out;
    EXPECT_THAT(r.err, HasSubstr("m.txt' line 4: flow from node 1 to itself")) << model;
    EXPECT_THAT(r.out, Not(HasSubstr("FCT"))) << model;
  }
  Exec big = run_gaudisim(fattree_args("packet", {"--set", "traffic.endpoints=17"}));
  EXPECT_EQ(big.code, 2);
  EXPECT_THAT(big.err, HasSubstr("traffic.endpoints"));
}

}  // namespace
}  // namespace gs::test
