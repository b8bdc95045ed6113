// The compute workloads as a user runs them: `gaudisim --set workload.name=gemm|tpc`, with
// the JSON record's contract ({"workload", "runs": [{"op", "shape", "dtype", "verified",
// "sim_us", "tflops" | "gbps"}]}), identical records run to run, and what-if keys acting.
#include <gtest/gtest.h>

#include "integration_helpers.hpp"

namespace gs::test {
namespace {

nlohmann::json run_json(const std::vector<std::string>& args, const std::string& path, Exec* e = nullptr) {
  std::vector<std::string> a = args;
  a.insert(a.end(), {"--set", "topology.cards=1", "--json", path});
  Exec r = run_gaudisim(a);
  if (e) *e = r;
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  std::string text = slurp(path);
  return text.empty() ? nlohmann::json() : nlohmann::json::parse(text);
}

TEST(ComputeWorkloads, GemmRecordIsCompleteAndDeterministic) {
  TempDir tmp;
  const std::vector<std::string> args{"--set", "workload.name=gemm", "--set", "gemm.sizes=128,384"};
  auto a = run_json(args, tmp.file("a.json"));
  auto b = run_json(args, tmp.file("b.json"));
  EXPECT_EQ(a.dump(), b.dump()) << "two identical runs must give identical records";
  ASSERT_EQ(a["workload"], "gemm");
  ASSERT_EQ(a["results"].size(), 2u);
  for (const auto& r : a["results"]) {
    EXPECT_EQ(r["op"], "gemm");
    EXPECT_EQ(r["dtype"], "bf16");
    EXPECT_TRUE(r["verified"].get<bool>());
    EXPECT_GT(r["sim_us"].get<double>(), 0.0);
    EXPECT_GT(r["tflops"].get<double>(), 0.0);
  }
  EXPECT_GT(a["results"][1]["tflops"].get<double>(), a["results"][0]["tflops"].get<double>()) << "larger GEMMs fill the array better";
}

TEST(ComputeWorkloads, TpcRecordIsCompleteAndDeterministic) {
  TempDir tmp;
  const std::vector<std::string> args{"--set", "workload.name=tpc", "--set", "tpc.elements=65536", "--set", "tpc.row=512"};
  Exec e;
  auto a = run_json(args, tmp.file("a.json"), &e);
  auto b = run_json(args, tmp.file("b.json"));
  EXPECT_EQ(a.dump(), b.dump());
  ASSERT_EQ(a["workload"], "tpc");
  ASSERT_EQ(a["results"].size(), 10u);
  for (const auto& r : a["results"]) {
    EXPECT_TRUE(r["verified"].get<bool>()) << r.dump();
    EXPECT_EQ(r["shape"], "128x512");
    EXPECT_GT(r["gbyte_s"].get<double>(), 0.0);
  }
  EXPECT_NE(e.out.find("10 of 10 kernels verified"), std::string::npos) << e.out;
}

TEST(ComputeWorkloads, TimingOnlyGemmSkipsTheCheckAndKeepsTheTime) {
  TempDir tmp;
  auto real = run_json({"--set", "workload.name=gemm", "--set", "gemm.sizes=256"}, tmp.file("real.json"));
  auto what_if = run_json({"--set", "workload.name=gemm", "--set", "gemm.sizes=256", "--set", "mme.functional=false"},
                          tmp.file("what_if.json"));
  ASSERT_EQ(what_if["results"].size(), 1u);
  EXPECT_FALSE(what_if["results"][0]["checked"].get<bool>());
  // The MME's schedule is the same; without the data legs (not moved in timing-only runs)
  // the descriptor read over PCIe may land a nanosecond apart.
  const double a = what_if["results"][0]["sim_us"].get<double>(), b = real["results"][0]["sim_us"].get<double>();
  EXPECT_NEAR(a, b, 0.005 * b);
}

TEST(ComputeWorkloads, FasterMmeClockRaisesTflops) {
  TempDir tmp;
  const std::vector<std::string> base{"--set", "workload.name=gemm", "--set", "gemm.sizes=1024", "--set", "mme.functional=false"};
  auto slow = run_json(base, tmp.file("slow.json"));
  auto fast_args = base;
  fast_args.insert(fast_args.end(), {"--set", "card.mme_clock_mhz=2200"});
  auto fast = run_json(fast_args, tmp.file("fast.json"));
  const double ratio = fast["results"][0]["tflops"].get<double>() / slow["results"][0]["tflops"].get<double>();
  EXPECT_GT(ratio, 1.1);
  EXPECT_LT(ratio, 2200.0 / SimParams().card.mme_clock_mhz + 0.01);
}

TEST(ComputeWorkloads, BadKernelNameIsReportedNotCrashed) {
  TempDir tmp;
  Exec r = run_gaudisim({"--set", "topology.cards=1", "--set", "workload.name=tpc", "--set", "tpc.kernels=add,nope",
                         "--set", "tpc.elements=4096", "--set", "tpc.row=64"});
  EXPECT_EQ(r.code, 2);  // checked before anything is built (issue 12)
  EXPECT_NE(r.err.find("'nope' is not a kernel"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace gs::test
