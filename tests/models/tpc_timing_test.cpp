// TPC timing is a roofline: a memory-bound kernel follows the memory's bandwidth (or the
// core's port), a compute-bound one the clock and the lane count; splitting a kernel over
// cores multiplies both until the shared memory is the limit; other engines on the same
// memory slow it down. Each comparison runs in one simulation (one elaboration per process).
#include "tpc_world.hpp"

namespace gs::test {
namespace {

using hlthunk::tensor;
using hlthunk::tpc_kernel;

constexpr uint64_t kB = 1ull << 32;  // base of a second memory

// Time of one kernel on core `t`, launched now, until the core is idle.
sc_time timed(ComputeWorld& w, unsigned t, const gsim_tpc_desc& d) {
  sc_time s = sc_core::sc_time_stamp();
  EXPECT_TRUE(w.launch_tpc(t, w.put_desc(d)));
  w.wait_idle(*w.tpcs[t]);
  return sc_core::sc_time_stamp() - s;
}

gsim_tpc_desc add(uint64_t base, uint32_t n, uint32_t dt = GSIM_DTYPE_FP32) {
  uint64_t es = gsim_dtype_size(dt);
  return tpc_kernel(GSIM_TPC_ADD, {tensor(base, dt, {n}), tensor(base + es * n, dt, {n})}, tensor(base + 2 * es * n, dt, {n}));
}

gsim_tpc_desc gelu(uint64_t base, uint32_t n, uint32_t dt = GSIM_DTYPE_FP32) {
  return tpc_kernel(GSIM_TPC_GELU, {tensor(base, dt, {n})}, tensor(base + gsim_dtype_size(dt) * n, dt, {n}));
}

TEST(TpcTiming, MemoryBoundKernelScalesWithMemoryBandwidth) {
  ComputeWorld w;
  w.tp.port_gbps = 1e4;  // the memory, not the core, is the limit
  w.add_hbm(100);
  auto slow = std::make_unique<MemoryTarget>("hbm_b", 1ull << 30, 50, ns(120));
  w.noc.map(kB, 1ull << 30, *slow, "hbm_b");
  w.add_tpc(0);
  const uint32_t n = 1 << 20;  // 12 MiB moved: 2 inputs and 1 output of 4 MiB
  sc_time fast_t, slow_t;
  w.run([&] {
    fast_t = timed(w, 0, add(kData, n));
    slow_t = timed(w, 0, add(kB, n));
  });
  const double bytes = 12.0 * n;
  EXPECT_NEAR(to_ns(fast_t), 500 + bytes / 100, 0.03 * bytes / 100);
  EXPECT_NEAR(to_ns(slow_t) / to_ns(fast_t), 2.0, 0.06);
}

TEST(TpcTiming, ComputeBoundKernelScalesWithClockAndLanes) {
  ComputeWorld w;
  w.tp.port_gbps = 1e4;
  w.add_hbm(1e4);
  w.add_tpc(0);             // 1650 MHz
  w.tpc_mhz = 825;
  w.add_tpc(1);
  const uint32_t n = 1 << 20;
  sc_time fast_t, slow_t, bf16_t;
  w.run([&] {
    fast_t = timed(w, 0, gelu(kData, n));
    slow_t = timed(w, 1, gelu(kData, n));
    bf16_t = timed(w, 0, gelu(kData, n, GSIM_DTYPE_BF16));
  });
  const double compute_ns = n * 14.0 / (64 * 1.65);  // 14 lane ops per element, 64 lanes
  EXPECT_NEAR(to_ns(fast_t), 500 + compute_ns, 0.03 * compute_ns);
  EXPECT_NEAR((to_ns(slow_t) - 500) / (to_ns(fast_t) - 500), 2.0, 0.05);
  EXPECT_NEAR((to_ns(fast_t) - 500) / (to_ns(bf16_t) - 500), 2.0, 0.05) << "bf16 has 128 lanes";
}

TEST(TpcTiming, OneCoreIsBoundByItsPort) {
  ComputeWorld w;  // defaults: port 200 GB/s against 1000 GB/s of HBM
  w.add_hbm();
  w.add_tpc(0);
  const uint32_t n = 1 << 20;
  sc_time t;
  w.run([&] { t = timed(w, 0, add(kData, n)); });
  EXPECT_NEAR(to_ns(t), 500 + 12.0 * n / 200, 0.03 * 12.0 * n / 200);
}

TEST(TpcTiming, SplittingOverCoresShowsInTheTime) {
  ComputeWorld w;
  w.add_hbm();  // 1000 GB/s, port 200 GB/s per core
  for (unsigned t = 0; t < 8; ++t) w.add_tpc(t);
  const uint32_t n = 1 << 21;
  auto whole = tpc_kernel(GSIM_TPC_ADD, {tensor(kData, GSIM_DTYPE_FP32, {1024, n / 1024}), tensor(kData + 4ull * n, GSIM_DTYPE_FP32, {1024, n / 1024})},
                          tensor(kData + 8ull * n, GSIM_DTYPE_FP32, {1024, n / 1024}));
  auto split = [&](unsigned parts) {
    sc_time s = sc_core::sc_time_stamp();
    auto ds = hlthunk::split_tpc_kernel(whole, parts);
    for (unsigned t = 0; t < ds.size(); ++t) EXPECT_TRUE(w.launch_tpc(t, w.put_desc(ds[t])));
    for (auto& c : w.tpcs) w.wait_idle(*c);
    return to_ns(sc_core::sc_time_stamp() - s) - 500;
  };
  double t1 = 0, t4 = 0, t8 = 0;
  w.run([&] {
    t1 = split(1);
    t4 = split(4);
    t8 = split(8);
  });
  EXPECT_NEAR(t1 / t4, 4.0, 0.2) << "4 ports of 200 GB/s, memory not yet the limit";
  EXPECT_NEAR(t1 / t8, 5.0, 0.25) << "8 cores want 1600 GB/s; HBM gives 1000";
}

TEST(TpcTiming, TpcAndDmaContendForHbm) {
  ComputeWorld w;
  w.tp.port_gbps = 1e4;
  w.dp.engine_gbps = 1e4;
  w.add_hbm(200);
  w.add_tpc(0);
  DmaCore& dma = w.add_dma(2);
  const uint32_t n = 1 << 20;
  auto copy = tpc_kernel(GSIM_TPC_COPY, {tensor(kData, GSIM_DTYPE_FP32, {n})}, tensor(kData + 4ull * n, GSIM_DTYPE_FP32, {n}));
  sc_time alone, shared;
  w.run([&] {
    alone = timed(w, 0, copy);
    dma.start_lin_dma(gaudi_pkt_lin_dma(kData + 16ull * n, kData + 24ull * n, 8 * n, 0, 0, 0), nullptr);
    shared = timed(w, 0, copy);
    w.wait_idle(dma);
  });
  EXPECT_NEAR(to_ns(alone), 500 + 8.0 * n / 200, 0.03 * 8.0 * n / 200);
  EXPECT_GT(to_ns(shared) / to_ns(alone), 1.8) << "the DMA took about half of the HBM meanwhile";
}

TEST(TpcTiming, LaunchOverheadAndDescriptorFetchBoundATinyKernel) {
  ComputeWorld w;
  w.add_hbm();
  w.add_tpc(0);
  sc_time t;
  w.run([&] { t = timed(w, 0, add(kData, 1)); });
  EXPECT_GE(to_ns(t), 500.0);
  EXPECT_LE(to_ns(t), 1000.0);
}

TEST(TpcTiming, SameWorkTakesTheSameTimeEveryTime) {
  ComputeWorld w;
  w.add_hbm();
  w.add_tpc(0);
  sc_time a, b;
  w.run([&] {
    a = timed(w, 0, gelu(kData, 100000));
    b = timed(w, 0, gelu(kData, 100000));
  });
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace gs::test
