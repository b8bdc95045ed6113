// DMA through command submission: the dma workload end to end, and several channels
// sharing the HBM bandwidth.
#include <cstring>

#include "cs_harness.hpp"
#include "integration_helpers.hpp"
#include "testbench/run.hpp"
#include "testbench/workloads/dma_workload.hpp"

namespace gs::test {
namespace {

TEST(DmaWorkload, EveryCardVerifiesAndLegsRunAtTheirBottleneck) {
  SimParams p;
  p.topology.cards = 2;
  p.dma_workload.bytes = 4 << 20;
  System sys(p, false);
  DmaWorkload wl;
  wl.setup(sys);
  ASSERT_TRUE(sys.run());
  std::ostringstream out;
  nlohmann::json rec;
  EXPECT_EQ(gs::report_run(wl, sys, out, rec), 0) << out.str();
  ASSERT_EQ(wl.rows().size(), 2u);
  // Host legs: DMA reads of host memory at the completion rate, writes at the posted-write
  // rate, both below the TLP-overhead bound.
  const double rd = p.pcie.read_gbytes_per_s(), wr = p.pcie.write_gbytes_per_s();
  for (const auto& r : wl.rows()) {
    EXPECT_TRUE(r.verified);
    EXPECT_GT(r.h2d_gbps, 0.97 * rd);
    EXPECT_LE(r.h2d_gbps, rd * 1.001);
    EXPECT_GT(r.d2h_gbps, 0.97 * wr);
    EXPECT_LE(r.d2h_gbps, wr * 1.001);
    EXPECT_LT(r.d2h_gbps, p.pcie.tlp_bound_gbytes_per_s());
    EXPECT_GT(r.d2d_gbps, 0.95 * p.card.dma.engine_gbps);  // one channel: its own peak
    EXPECT_LE(r.d2d_gbps, p.card.dma.engine_gbps * 1.001);
  }
  EXPECT_EQ(rec["results"].size(), 2u);
}

// Six HBM DMA channels copying HBM to HBM at once: each copy reads and writes HBM, so
// together they get at most half the HBM bandwidth; alone, one channel runs at its peak.
TEST(DmaContention, ConcurrentChannelsShareHbmBandwidth) {
  CsWorld w;
  const uint32_t n = 8 << 20;
  const unsigned channels = 6;
  HostBuffer icb(channels * 512), ts(64 * 4);
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t icb_d = 0, ts_d = 0, buf = 0;
    ASSERT_EQ(t.map_host(fd, icb.data(), icb.size(), &icb_d), 0);
    ASSERT_EQ(t.map_host(fd, ts.data(), ts.size(), &ts_d), 0);
    ASSERT_EQ(t.mem_alloc(fd, uint64_t(2 * channels) * n, &buf), 0);
    std::vector<hlthunk::Thunk::Job> jobs;
    UserCb ext(t, fd);
    for (unsigned c = 0; c < channels; ++c) {
      hlthunk::CbBuilder b(icb.data() + 512 * c, 512);
      b.timestamp(ts_d + 8 * c);
      b.lin_dma(buf + 2ull * c * n, buf + (2ull * c + 1) * n, n);
      b.timestamp(ts_d + 8 * c + 4, true);
      b.sob_add(700, 1, true);
      jobs.push_back({GAUDI_QUEUE_ID_DMA_2_0 + 4 * c, icb_d + 512 * c, b.size()});
    }
    ext.b.monitor(100, 700, channels, hlthunk::fence_rdata_addr(GAUDI_QUEUE_ID_DMA_0_0, 0), 1);
    ext.b.fence(0, 1, 1);
    ext.b.sob_set(700, 0);
    jobs.push_back({GAUDI_QUEUE_ID_DMA_0_0, ext.handle, ext.b.size()});
    uint64_t seq;
    ASSERT_EQ(t.submit(fd, jobs, &seq), 0);
    uint32_t st = 9;
    EXPECT_EQ(t.wait_cs(fd, seq, 10000000, &st), 0);
    EXPECT_EQ(st, HL_WAIT_CS_STATUS_COMPLETED);
  });
  const uint32_t* stamp = reinterpret_cast<const uint32_t*>(ts.data());
  uint32_t first = stamp[0], last = stamp[1];
  double sum_rate = 0;
  for (unsigned c = 0; c < channels; ++c) {
    uint32_t t0 = stamp[2 * c], t1 = stamp[2 * c + 1];
    first = std::min(first, t0);
    last = std::max(last, t1);
    double rate = double(n) / (t1 - t0);
    EXPECT_LT(rate, 0.6 * w.params.card.dma.engine_gbps) << "channel " << c << " was not slowed by the others";
    sum_rate += rate;
  }
  double aggregate = double(n) * channels / (last - first);
  double bound = w.params.card.sustained_hbm_gbps() / 2;  // read + write of every byte
  EXPECT_LT(bound, w.params.card.hbm_gbps / 2);  // below the peak by the sustained factor
  EXPECT_GT(aggregate, 0.85 * bound);
  EXPECT_LT(aggregate, 1.01 * bound);
}

TEST(DmaWorkload, SameConfigGivesIdenticalJson) {
  TempDir tmp;
  std::string a = tmp.file("a.json"), b = tmp.file("b.json");
  std::vector<std::string> args = {"--set", "workload.name=dma", "--set", "topology.cards=2", "--set", "dma.bytes=1Mi"};
  auto ra = args, rb = args;
  ra.insert(ra.end(), {"--json", a});
  rb.insert(rb.end(), {"--json", b});
  ASSERT_EQ(run_gaudisim(ra).code, 0);
  ASSERT_EQ(run_gaudisim(rb).code, 0);
  EXPECT_EQ(slurp(a), slurp(b));
  EXPECT_NE(slurp(a).find("\"verified\": true"), std::string::npos);
}

}  // namespace
}  // namespace gs::test
