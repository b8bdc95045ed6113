// The compute engines end to end: a user program (thunk) builds descriptors and CBs, the
// driver checks and queues them, QMANs launch TPC and MME kernels whose completions signal
// sync objects, monitors release fences, DMA moves the data, and the results are checked.
#include <cmath>
#include <cstring>

#include "cs_harness.hpp"
#include "driver/lib/compute_builder.hpp"
#include "models/engines/mme_engine.hpp"
#include "models/engines/tpc_core.hpp"
#include "specs/gaudi/regs.h"
#include "testbench/run.hpp"
#include "testbench/workloads/gemm_workload.hpp"
#include "testbench/workloads/tpc_workload.hpp"

namespace gs::test {
namespace {

using hlthunk::matrix;
using hlthunk::tensor;

constexpr unsigned kIn = GAUDI_QUEUE_ID_DMA_0_0, kOut = GAUDI_QUEUE_ID_DMA_1_0;
constexpr unsigned kTpc0 = GAUDI_QUEUE_ID_TPC_0_0, kMme = GAUDI_QUEUE_ID_MME_0_0;

std::vector<float> floats(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  for (auto& x : v) x = float(int((seed = seed * 1664525u + 1013904223u) >> 24) - 128) / 64.0f;
  return v;
}

// One CS: x, y in (DMA 0) -> relu(x) on TPC 0 -> C = relu(x) x y^T + C on the MME -> C out
// (DMA 1). Each step waits for the previous one through a sync object, a monitor and a fence.
TEST(ComputeE2e, TpcThenMmeThenDmaChainInOneSubmission) {
  CsWorld w;
  const uint32_t m = 48, k = 40, n = 24;
  auto x = floats(m * k, 1), y = floats(n * k, 2), c0 = floats(m * n, 3);
  HostBuffer hx(4 * m * k), hy(4 * n * k), hc(4 * m * n), work(16384);
  std::memcpy(hx.data(), x.data(), hx.size());
  std::memcpy(hy.data(), y.data(), hy.size());
  std::memcpy(hc.data(), c0.data(), hc.size());
  int status = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t dx, dy, dr, dc, mx, my, mc, mw;
    for (auto* p : {&dx, &dy, &dr, &dc}) ASSERT_EQ(t.mem_alloc(fd, 1 << 16, p), 0);
    ASSERT_EQ(t.map_host(fd, hx.data(), hx.size(), &mx), 0);
    ASSERT_EQ(t.map_host(fd, hy.data(), hy.size(), &my), 0);
    ASSERT_EQ(t.map_host(fd, hc.data(), hc.size(), &mc), 0);
    ASSERT_EQ(t.map_host(fd, work.data(), work.size(), &mw), 0);
    hlthunk::DescArena arena(work.data(), mw, 4096);
    UserCb in(t, fd), out(t, fd);
    in.b.monitor(80, 200, 1, hlthunk::fence_rdata_addr(kTpc0, 0), 1);
    in.b.lin_dma(mx, dx, uint32_t(hx.size()));
    in.b.lin_dma(my, dy, uint32_t(hy.size()));
    in.b.lin_dma(mc, dc, uint32_t(hc.size()), true);
    in.b.sob_add(200, 1, true);
    hlthunk::CbBuilder tpc(work.data() + 4096, 4096), mme(work.data() + 8192, 4096);
    tpc.fence(0, 1, 1);
    tpc.monitor(81, 201, 1, hlthunk::fence_rdata_addr(kMme, 0), 1);
    auto relu = hlthunk::tpc_kernel(GSIM_TPC_RELU, {tensor(dx, GSIM_DTYPE_FP32, {k, m})}, tensor(dr, GSIM_DTYPE_BF16, {k, m}));
    hlthunk::launch(tpc, kTpc0, arena.put(relu), hlthunk::sob_increment(201));
    hlthunk::engine_sync_point(tpc);
    mme.fence(0, 1, 1);
    mme.monitor(82, 202, 1, hlthunk::fence_rdata_addr(kOut, 0), 1);
    hlthunk::GemmArgs g{matrix(dr, GSIM_DTYPE_BF16, m, k), matrix(dy, GSIM_DTYPE_FP32, n, k), matrix(dc, GSIM_DTYPE_FP32, m, n)};
    g.trans_b = true;
    g.beta = 1.0f;
    hlthunk::launch(mme, kMme, arena.put(hlthunk::gemm(g)), hlthunk::sob_increment(202));
    out.b.fence(0, 1, 1);
    out.b.lin_dma(dc, mc, uint32_t(hc.size()), true);
    for (uint32_t s : {200u, 201u, 202u}) out.b.sob_set(s, 0);
    uint64_t seq = 0;
    ASSERT_EQ(t.submit(fd, {{kIn, in.handle, in.b.size()}, {kTpc0, mw + 4096, tpc.size()}, {kMme, mw + 8192, mme.size()},
                            {kOut, out.handle, out.b.size()}}, &seq), 0);
    uint32_t st = 99;
    EXPECT_EQ(t.wait_cs(fd, seq, 1000000, &st), 0);
    status = int(st);
  });
  ASSERT_EQ(status, HL_WAIT_CS_STATUS_COMPLETED);
  std::vector<float> got(m * n);
  std::memcpy(got.data(), hc.data(), hc.size());
  for (uint32_t i = 0; i < m; ++i)
    for (uint32_t j = 0; j < n; ++j) {
      float acc = 0;
      for (uint32_t p = 0; p < k; ++p) acc += std::max(0.0f, x[i * k + p]) * y[j * k + p];  // bf16-exact values
      ASSERT_NEAR(got[i * n + j], acc + c0[i * n + j], 1e-4f * std::max(1.0f, std::fabs(acc))) << i << "," << j;
    }
  EXPECT_EQ(w.card().tpc(0).kernels_done(), 1u);
  EXPECT_EQ(w.card().mme(1).kernels_done(), 1u) << "MME_0_* is MME2's queue: master 1";
}

// A kernel split over TPC 0..3, each slice signalling the same sync object; the external
// job waits for all four.
TEST(ComputeE2e, KernelSplitOverFourTpcsCompletesOnceAllSignal) {
  CsWorld w;
  const uint32_t cols = 256, rows = 64, n = cols * rows;
  auto a = floats(n, 4), b = floats(n, 5);
  HostBuffer ha(4 * n), hb(4 * n), hs(4 * n), work(16384);
  std::memcpy(ha.data(), a.data(), ha.size());
  std::memcpy(hb.data(), b.data(), hb.size());
  int status = -1;
  w.run([&](hlthunk::Thunk& t, int fd) {
    uint64_t da, db, ds, ma, mb, ms, mw;
    for (auto* p : {&da, &db, &ds}) ASSERT_EQ(t.mem_alloc(fd, 4 * n, p), 0);
    ASSERT_EQ(t.map_host(fd, ha.data(), ha.size(), &ma), 0);
    ASSERT_EQ(t.map_host(fd, hb.data(), hb.size(), &mb), 0);
    ASSERT_EQ(t.map_host(fd, hs.data(), hs.size(), &ms), 0);
    ASSERT_EQ(t.map_host(fd, work.data(), work.size(), &mw), 0);
    hlthunk::DescArena arena(work.data(), mw, 8192);
    auto whole = hlthunk::tpc_kernel(GSIM_TPC_AXPY, {tensor(da, GSIM_DTYPE_FP32, {cols, rows}), tensor(db, GSIM_DTYPE_FP32, {cols, rows})},
                                     tensor(ds, GSIM_DTYPE_FP32, {cols, rows}), 3.0f);
    auto parts = hlthunk::split_tpc_kernel(whole, 4);
    UserCb in(t, fd), out(t, fd);
    std::vector<hlthunk::Thunk::Job> jobs{{kIn, in.handle, 0}};
    for (unsigned c = 0; c < 4; ++c) {
      const unsigned q = kTpc0 + 4 * c;
      in.b.monitor(80 + c, 210, 1, hlthunk::fence_rdata_addr(q, 0), 1);
      hlthunk::CbBuilder cb(work.data() + 8192 + 1024 * c, 1024);
      cb.fence(0, 1, 1);
      hlthunk::launch(cb, q, arena.put(parts[c]), hlthunk::sob_increment(211));
      jobs.push_back({q, mw + 8192 + 1024 * c, cb.size()});
    }
    in.b.lin_dma(ma, da, 4 * n);
    in.b.lin_dma(mb, db, 4 * n, true);
    in.b.sob_add(210, 1, true);
    jobs[0].size = in.b.size();
    out.b.monitor(84, 211, 4, hlthunk::fence_rdata_addr(kOut, 0), 1);
    out.b.fence(0, 1, 1);
    out.b.lin_dma(ds, ms, 4 * n, true);
    jobs.push_back({kOut, out.handle, out.b.size()});
    uint64_t seq = 0;
    ASSERT_EQ(t.submit(fd, jobs, &seq), 0);
    uint32_t st = 99;
    EXPECT_EQ(t.wait_cs(fd, seq, 1000000, &st), 0);
    status = int(st);
  });
  ASSERT_EQ(status, HL_WAIT_CS_STATUS_COMPLETED);
  std::vector<float> got(n);
  std::memcpy(got.data(), hs.data(), hs.size());
  for (uint32_t i = 0; i < n; ++i) ASSERT_EQ(got[i], 3.0f * a[i] + b[i]) << i;
  for (unsigned c = 0; c < 4; ++c) EXPECT_EQ(w.card().tpc(c).kernels_done(), 1u) << c;
  EXPECT_EQ(w.card().sync_manager(3).sob(211), 4u);
}

TEST(ComputeE2e, GemmWorkloadVerifiesEverySize) {
  SimParams p;
  p.topology.cards = 1;
  p.fast_boot();
  p.gemm_workload.sizes = "64,200";
  p.gemm_workload.dtype = "fp32";
  System sys(p, false);
  GemmWorkload wl;
  wl.setup(sys);
  ASSERT_TRUE(sys.run());
  std::ostringstream out;
  nlohmann::json rec;
  EXPECT_EQ(gs::report_run(wl, sys, out, rec), 0) << out.str();
  ASSERT_EQ(rec["results"].size(), 2u);
  for (const auto& r : rec["results"]) {
    EXPECT_TRUE(r["verified"].get<bool>()) << r.dump();
    EXPECT_GT(r["tflops"].get<double>(), 0.0);
    EXPECT_LE(r["tflops"].get<double>(), r["peak_tflops"].get<double>());
  }
  EXPECT_EQ(rec["results"][1]["shape"], "200x200x200");
}

TEST(ComputeE2e, TpcWorkloadVerifiesEveryKernel) {
  SimParams p;
  p.topology.cards = 1;
  p.fast_boot();
  p.tpc_workload.elements = 64 * 1024;
  p.tpc_workload.row = 256;
  p.tpc_workload.dtype = "bf16";
  System sys(p, false);
  TpcWorkload wl;
  wl.setup(sys);
  ASSERT_TRUE(sys.run());
  std::ostringstream out;
  nlohmann::json rec;
  EXPECT_EQ(gs::report_run(wl, sys, out, rec), 0) << out.str();
  ASSERT_EQ(rec["results"].size(), 10u);
  for (const auto& r : rec["results"]) {
    EXPECT_TRUE(r["verified"].get<bool>()) << r.dump();
    EXPECT_GT(r["gbyte_s"].get<double>(), 0.0);
    EXPECT_LE(r["gbyte_s"].get<double>(), 1000.0) << "no faster than the HBM";
  }
}

}  // namespace
}  // namespace gs::test
