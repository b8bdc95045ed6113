// MME timing: large square GEMMs run near the array's peak (2 x rows x cols x clock), fp32
// at a quarter of it, thin (small-K) GEMMs are bound by memory bandwidth, and an MME shares
// HBM with the TPCs. Timing-only runs (mme.functional = false) keep these fast to simulate.
#include "tpc_world.hpp"

namespace gs::test {
namespace {

using hlthunk::matrix;
using hlthunk::tensor;

constexpr uint64_t kB = 1ull << 32;  // base of a second memory
constexpr uint32_t F = GSIM_DTYPE_FP32, H = GSIM_DTYPE_BF16;

hlthunk::GemmArgs square(uint64_t base, uint32_t n, uint32_t dt) {
  uint64_t es = gsim_dtype_size(dt), sz = uint64_t(n) * n;
  return {matrix(base, dt, n, n), matrix(base + es * sz, dt, n, n), matrix(base + 2 * es * sz, F, n, n)};
}

sc_time timed(ComputeWorld& w, unsigned m, const hlthunk::GemmArgs& g) {
  sc_time s = sc_core::sc_time_stamp();
  EXPECT_TRUE(w.launch_mme(m, w.put_desc(hlthunk::gemm(g))));
  w.wait_idle(*w.mmes[m]);
  return sc_core::sc_time_stamp() - s;
}

TEST(MmeTiming, LargeSquareGemmRunsNearPeak) {
  ComputeWorld w;
  w.mp.functional = false;
  w.add_hbm(1000, 4ull << 30);
  MmeEngine& mme = w.add_mme(0);
  const uint32_t n = 4096;
  sc_time t16, t32;
  w.run([&] {
    t16 = timed(w, 0, square(kData, n, H));
    t32 = timed(w, 0, square(kData, n, F));
  });
  const double flops = 2.0 * n * n * n;
  EXPECT_NEAR(mme.peak_flops(true), 2.0 * 128 * 64 * 1.65e9, 1e6);  // this world clocks the MME at 1650 MHz
  const double eff16 = flops / t16.to_seconds() / mme.peak_flops(true);
  const double eff32 = flops / t32.to_seconds() / mme.peak_flops(false);
  EXPECT_GT(eff16, 0.9) << "achieved " << flops / t16.to_seconds() / 1e12 << " TFLOP/s";
  EXPECT_LE(eff16, 1.0);
  EXPECT_GT(eff32, 0.9);
  EXPECT_LE(eff32, 1.0);
}

TEST(MmeTiming, ComputeBoundGemmScalesWithTheClock) {
  ComputeWorld w;
  w.mp.functional = false;
  w.add_hbm(1000, 2ull << 30);
  w.add_mme(0);
  w.mme_mhz = 825;
  w.add_mme(1);
  sc_time fast, slow;
  w.run([&] {
    fast = timed(w, 0, square(kData, 2048, H));
    slow = timed(w, 1, square(kData, 2048, H));
  });
  EXPECT_NEAR(to_ns(slow) / to_ns(fast), 2.0, 0.1);
}

TEST(MmeTiming, SmallKGemmIsMemoryBoundAndScalesWithBandwidth) {
  ComputeWorld w;
  w.mp.functional = false;
  w.mp.port_gbps = 1e4;  // the HBM, not the port, is the limit
  w.add_hbm(500, 2ull << 30);
  auto slow = std::make_unique<MemoryTarget>("hbm_b", 2ull << 30, 250, ns(120));
  w.noc.map(kB, 2ull << 30, *slow, "hbm_b");
  w.add_mme(0);
  const uint32_t m = 4096, n = 4096, k = 64;  // A, B: 512 KiB each (bf16); C: 64 MiB (fp32)
  auto args = [&](uint64_t base) {
    return hlthunk::GemmArgs{matrix(base, H, m, k), matrix(base + 0x100000, H, k, n), matrix(base + 0x200000, F, m, n)};
  };
  sc_time t_fast, t_slow;
  w.run([&] {
    t_fast = timed(w, 0, args(kData));
    t_slow = timed(w, 0, args(kB));
  });
  const double bytes = 2.0 * m * k + 2.0 * k * n + 4.0 * m * n;
  const double compute_ns = double(m / w.mp.array_rows) * (n / w.mp.array_cols) * k / 1.65;
  EXPECT_GT(bytes / 500, 1.3 * compute_ns) << "the shape must be memory-bound";
  EXPECT_NEAR(to_ns(t_fast), bytes / 500, 0.08 * bytes / 500);
  EXPECT_NEAR(to_ns(t_slow) / to_ns(t_fast), 2.0, 0.1);
}

// A memory serves requests in arrival order, so engines share it in proportion to the bytes
// they keep in flight: here both keep 128 KiB in flight and get about half each.
TEST(MmeTiming, MmeAndTpcContendForHbm) {
  ComputeWorld w;
  w.mp.functional = false;
  w.mp.port_gbps = 1e4;
  w.mp.outstanding_chunks = 2;  // 2 x 64 KiB, like the TPC's 4 x 32 KiB
  w.tp.port_gbps = 1e4;
  w.add_hbm(300, 2ull << 30);
  w.add_mme(0);
  TpcCore& tpc = w.add_tpc(0);
  const uint32_t m = 2048, n = 2048, k = 64;
  hlthunk::GemmArgs g{matrix(kData, H, m, k), matrix(kData + 0x100000, H, k, n), matrix(kData + 0x200000, F, m, n)};
  const uint32_t e = 4 << 20;
  auto copy = hlthunk::tpc_kernel(GSIM_TPC_COPY, {tensor(kData + (64ull << 20), F, {e})}, tensor(kData + (96ull << 20), F, {e}));
  sc_time alone, shared, tpc_alone, tpc_shared;
  w.run([&] {
    alone = timed(w, 0, g);
    sc_time s = sc_core::sc_time_stamp();
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(copy)));
    w.wait_idle(tpc);
    tpc_alone = sc_core::sc_time_stamp() - s;
    s = sc_core::sc_time_stamp();
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(copy)));
    shared = timed(w, 0, g);
    w.wait_idle(tpc);
    tpc_shared = sc_core::sc_time_stamp() - s;
  });
  EXPECT_GT(to_ns(shared) / to_ns(alone), 1.7) << "the TPC's copy took half of the HBM";
  EXPECT_GT(to_ns(tpc_shared) / to_ns(tpc_alone), 1.3) << "and the MME slowed the TPC down";
}

TEST(MmeTiming, GemmTimeIsReproducible) {
  ComputeWorld w;
  w.add_hbm();
  w.add_mme(0);
  sc_time a, b;
  w.run([&] {
    a = timed(w, 0, square(kData, 256, H));
    b = timed(w, 0, square(kData, 256, H));
  });
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace gs::test
