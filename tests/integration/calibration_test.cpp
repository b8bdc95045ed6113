// Calibration (issue 17, docs/calibration.md): the peaks the model produces at its defaults
// equal the documented public figures, the sustained rates sit below them by the documented
// factors, every timing/rate/size default has a source, and the system presets run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "integration_helpers.hpp"
#include "models/engines/dma_core.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "testbench/config/calibration.hpp"
#include "testbench/config/config.hpp"
#include "testbench/workloads/workload.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;

// Results of interest do not depend on boot time: the fast option keeps simulated time short.
const std::vector<std::string> kFastBoot = {"--set", "cpu.boot_us=100", "--set", "cpu.reset_us=10",
                                            "--set", "driver.boot_poll_us=100"};

nlohmann::json run_json(std::vector<std::string> args, const std::string& path) {
  args.insert(args.end(), kFastBoot.begin(), kFastBoot.end());
  args.insert(args.end(), {"--json", path});
  Exec r = run_gaudisim(args);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  std::string text = slurp(path);
  return text.empty() ? nlohmann::json() : nlohmann::json::parse(text);
}

TEST(Calibration, EveryTimingRateAndSizeDefaultHasASource) {
  SimParams p;
  std::ostringstream os;
  ASSERT_NO_THROW(print_calibration(os, describe(p)));
  EXPECT_THAT(os.str(), HasSubstr("| `memory.hbm_gbps` | 900 | GB/s | 900 GB/s peak"));
  EXPECT_THAT(os.str(), HasSubstr("| `cpu.boot_us` | 5e6 | us | assumption: "));
  EXPECT_THAT(os.str(), HasSubstr("| `power.max_w` | 350 | W |"));
}

TEST(Calibration, LargeGemmRunsWithinAFewPercentOfThePublic60Tflops) {
  TempDir tmp;
  auto rec = run_json({"--set", "topology.cards=1", "--set", "workload.name=gemm", "--set", "gemm.sizes=8192",
                       "--set", "mme.functional=false"},
                      tmp.file("gemm.json"));
  ASSERT_EQ(rec["results"].size(), 1u);
  const auto& r = rec["results"][0];
  EXPECT_NEAR(r["peak_tflops"].get<double>(), 60.0, 0.05);  // Intel's HL-205 bf16 figure
  EXPECT_GT(r["tflops"].get<double>(), 0.95 * 60.0) << r.dump();
  EXPECT_LE(r["tflops"].get<double>(), 60.0);
}

TEST(Calibration, MemoryBoundTpcCopyRunsBelowTheHbmPeakByTheSustainedFactor) {
  TempDir tmp;
  auto rec = run_json({"--set", "topology.cards=1", "--set", "workload.name=tpc", "--set", "tpc.kernels=copy",
                       "--set", "tpc.elements=8Mi", "--set", "tpc.row=4096"},
                      tmp.file("tpc.json"));
  ASSERT_EQ(rec["results"].size(), 1u);
  const double gbps = rec["results"][0]["gbyte_s"].get<double>();  // bytes read + written per second
  SimParams p;
  const double sustained = p.card.hbm_gbps * p.card.hbm_efficiency;
  EXPECT_NEAR(p.card.hbm_gbps, 900.0, 1e-9);
  EXPECT_LT(gbps, sustained * 1.001);
  EXPECT_GT(gbps, 0.95 * sustained) << rec.dump();
}

TEST(Calibration, HostDmaLandsBelowTheTlpOverheadBound) {
  SimParams p;
  EXPECT_LT(p.pcie.read_gbytes_per_s(), 0.95 * p.pcie.tlp_bound_gbytes_per_s());
  EXPECT_LT(p.pcie.write_gbytes_per_s(), p.pcie.tlp_bound_gbytes_per_s());
  TempDir tmp;
  auto rec = run_json({"--set", "topology.cards=1", "--set", "workload.name=dma", "--set", "dma.bytes=8Mi"},
                      tmp.file("dma.json"));
  ASSERT_EQ(rec["results"].size(), 1u);
  const auto& c = rec["results"][0];
  EXPECT_LT(c["h2d_gbyte_s"].get<double>(), p.pcie.read_gbytes_per_s() * 1.001) << c.dump();
  EXPECT_GT(c["h2d_gbyte_s"].get<double>(), 0.95 * p.pcie.read_gbytes_per_s()) << c.dump();
}

// At the real defaults a hard reset costs seconds, as on the card: the reset itself
// (cpu.reset_us) plus the firmware boot (cpu.boot_us) plus the driver's 10 ms polling.
TEST(Calibration, HardResetDowntimeAtTheDefaultsIsSeconds) {
  Exec r = run_gaudisim({"--set", "topology.cards=1", "--set", "workload.name=dma", "--set",
                         "sim.log_level=info", "--set", "fault.events=5011ms hbm_flip card0 addr=0x20000000 bits=2 range=0"});
  auto stamp = [&](const std::string& what) {  // "[ 5011277.445 us] host0 ...what..."
    size_t at = r.err.find(what);
    if (at == std::string::npos) return -1.0;
    size_t open = r.err.rfind('[', at);
    return std::stod(r.err.substr(open + 1));
  };
  const double from = stamp("hard-resetting the device"), to = stamp("reset done, device operational");
  ASSERT_GT(from, 0) << r.err;
  ASSERT_GT(to, from) << r.err;
  SimParams p;
  const double floor_us = p.card.reset_us + p.card.boot_us;
  EXPECT_GE(to - from, floor_us);
  EXPECT_LT(to - from, floor_us + 3 * p.driver.boot_poll_us + 1000);
  EXPECT_GE(floor_us, 1e6) << "realistic downtime is seconds";
}

// The energy model: idle power over the run plus each MME master's extra power over its busy
// time (the GEMM workload uses nothing else for long), HBM energy per byte on top.
TEST(Calibration, EnergyModelChargesBusyEnginesAboveIdle) {
  SimParams p;
  p.fast_boot();
  p.topology.cards = 1;
  p.workload.name = "gemm";
  p.gemm_workload.sizes = "2048";
  p.card.mme.functional = false;
  System sys(p, false);
  auto wl = make_workload(p.workload.name);
  wl->setup(sys);
  ASSERT_TRUE(sys.run());
  Card& c = *sys.cards()[0];
  const double t = sc_core::sc_time_stamp().to_seconds();
  const double mme_busy = c.mme(0).busy_time().to_seconds() + c.mme(1).busy_time().to_seconds();
  const double hbm = p.card.power.hbm_pj_per_byte * 1e-12 * double(c.hbm().server().bytes_served());
  EXPECT_GT(mme_busy, 200e-6);  // 2048^3 on two masters: about 0.3 ms
  double tpc_dma = 0;
  for (unsigned k = 0; k < p.card.tpc_cores; ++k) tpc_dma += p.card.power.tpc_w * c.tpc(k).busy_time().to_seconds();
  for (unsigned k = 0; k < p.card.dma_channels; ++k) tpc_dma += p.card.power.dma_w * c.dma_core(k).busy_time().to_seconds();
  EXPECT_NEAR(c.energy_j(), p.card.power.idle_w * t + p.card.power.mme_w * mme_busy + hbm + tpc_dma, 1e-9);
  // The run's time is mostly boot and the context-release HBM scrub: compare the MMEs' share
  // with idle power over the GEMM's own 0.3 ms, where two busy masters must show.
  EXPECT_GT(p.card.power.mme_w * mme_busy, 0.5 * p.card.power.idle_w * 300e-6) << "the GEMM shows in the total";
  EXPECT_DOUBLE_EQ(c.power_w(), p.card.power.idle_w);  // every engine idle at the end

  // The thermal model: from the idle steady state, the die moves towards the steady state of
  // the run's average power with the time constant; the GEMM makes it warmer than idle.
  const PowerParams& w = p.card.power;
  const double idle_c = w.ambient_c + w.idle_w * w.thermal_c_per_w;
  const double steady_c = w.ambient_c + c.energy_j() / t * w.thermal_c_per_w;
  const double temp = c.temperature_c();
  EXPECT_NEAR(temp, steady_c + (idle_c - steady_c) * std::exp(-t / w.thermal_tau_s), 1e-9);
  EXPECT_GT(temp, idle_c);
  EXPECT_LT(temp, steady_c);
  EXPECT_DOUBLE_EQ(c.temperature_c(), temp) << "no time passed, no change";
}

// AWS DL1: two cards behind one PCIe Gen3 x16 link share its bandwidth.
TEST(Calibration, Dl1CardsSharingALinkSplitItsHostBandwidth) {
  TempDir tmp;
  const std::string dl1 = std::string(GS_TEST_SOURCE_DIR) + "/configs/dl1.ini";
  auto shared = run_json({"--config", dl1, "--set", "topology.cards=2", "--set", "topology.kind=none", "--set",
                          "workload.name=dma", "--set", "dma.bytes=8Mi"},
                         tmp.file("shared.json"));
  auto alone = run_json({"--config", dl1, "--set", "topology.cards=2", "--set", "topology.kind=none", "--set",
                         "workload.name=dma", "--set", "dma.bytes=8Mi", "--set", "pcie.cards_per_link=1"},
                        tmp.file("alone.json"));
  ASSERT_EQ(shared["results"].size(), 2u);
  ASSERT_EQ(alone["results"].size(), 2u);
  SimParams p;
  p.pcie.gts_per_lane = 8;
  for (unsigned c = 0; c < 2; ++c) {
    EXPECT_NEAR(alone["results"][c]["h2d_gbyte_s"].get<double>(), p.pcie.read_gbytes_per_s(), 0.05 * p.pcie.read_gbytes_per_s());
    EXPECT_LT(shared["results"][c]["h2d_gbyte_s"].get<double>(), 0.7 * alone["results"][c]["h2d_gbyte_s"].get<double>())
        << shared.dump();
  }
}

}  // namespace
}  // namespace gs::test
