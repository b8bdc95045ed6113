// MME GEMM against a plain CPU reference: C = alpha * op(A) x op(B) + beta * C + bias with
// every transpose combination, fp32 and bf16 operands (fp32 accumulation), both dataflows
// (B stationary when it is the smaller operand, A otherwise). Tolerance: 1e-5 relative for
// fp32 C; one bf16 ulp (2^-7 relative) for bf16 C.
#include "tpc_world.hpp"

namespace gs::test {
namespace {

using hlthunk::matrix;

struct GemmCase {
  uint32_t m, n, k;
  bool ta, tb;
  uint32_t in_dt, c_dt;
  float alpha, beta;
  bool bias;
  const char* name;
};

// Reference on the stored matrices, products summed in k order in fp32.
std::vector<float> reference(const GemmCase& g, const std::vector<float>& a, const std::vector<float>& b,
                             const std::vector<float>& c0, const std::vector<float>& bias) {
  std::vector<float> c(size_t(g.m) * g.n);
  for (uint32_t i = 0; i < g.m; ++i)
    for (uint32_t j = 0; j < g.n; ++j) {
      float acc = 0;
      for (uint32_t p = 0; p < g.k; ++p) {
        float x = g.ta ? a[size_t(p) * g.m + i] : a[size_t(i) * g.k + p];
        float y = g.tb ? b[size_t(j) * g.k + p] : b[size_t(p) * g.n + j];
        acc += x * y;
      }
      float v = g.alpha * acc;
      if (g.beta != 0) v += g.beta * c0[size_t(i) * g.n + j];
      if (g.bias) v += bias[j];
      c[size_t(i) * g.n + j] = v;
    }
  return c;
}

class MmeGemm : public ::testing::TestWithParam<GemmCase> {};

TEST_P(MmeGemm, MatchesTheReference) {
  const GemmCase g = GetParam();
  ComputeWorld w;
  w.mp.array_rows = 16;  // small array and steps: many blocks, partial edges, several loads
  w.mp.array_cols = 32;
  w.mp.chunk_bytes = 4096;
  w.add_hbm();
  MmeEngine& mme = w.add_mme(1);
  const uint64_t A = kData, B = kData + 0x100000, C = kData + 0x200000, BIAS = kData + 0x300000;
  auto a = values(size_t(g.m) * g.k, 1), b = values(size_t(g.k) * g.n, 2), c0 = values(size_t(g.m) * g.n, 3);
  auto bias = values(g.n, 4);
  w.put(A, a, g.in_dt);
  w.put(B, b, g.in_dt);
  w.put(C, c0, g.c_dt);
  w.put(BIAS, bias);
  hlthunk::GemmArgs args;
  args.a = g.ta ? matrix(A, g.in_dt, g.k, g.m) : matrix(A, g.in_dt, g.m, g.k);
  args.b = g.tb ? matrix(B, g.in_dt, g.n, g.k) : matrix(B, g.in_dt, g.k, g.n);
  args.c = matrix(C, g.c_dt, g.m, g.n);
  args.trans_a = g.ta;
  args.trans_b = g.tb;
  args.alpha = g.alpha;
  args.beta = g.beta;
  gsim_tensor bias_t = hlthunk::tensor(BIAS, GSIM_DTYPE_FP32, {g.n});
  if (g.bias) args.bias = &bias_t;
  bool ok = false;
  w.run([&] {
    ok = w.launch_mme(1, w.put_desc(hlthunk::gemm(args)));
    w.wait_idle(mme);
  });
  ASSERT_TRUE(ok);
  EXPECT_EQ(mme.kernels_done(), 1u);
  EXPECT_EQ(mme.macs_done(), uint64_t(g.m) * g.n * g.k);
  if (g.c_dt == GSIM_DTYPE_BF16)
    for (auto& x : c0) x = bf16_round(x);
  auto want = reference(g, a, b, c0, bias);
  if (g.c_dt == GSIM_DTYPE_BF16)
    for (auto& x : want) x = bf16_round(x);
  expect_close(w.get(C, want.size(), g.c_dt), want, g.c_dt == GSIM_DTYPE_BF16 ? 1.0f / 128 : 1e-5f);
}

constexpr uint32_t F = GSIM_DTYPE_FP32, H = GSIM_DTYPE_BF16;
INSTANTIATE_TEST_SUITE_P(
    Shapes, MmeGemm,
    ::testing::Values(GemmCase{70, 45, 33, false, false, F, F, 1, 0, false, "nn_rows_mode"},
                      GemmCase{37, 90, 50, false, false, F, F, 1, 0, false, "nn_cols_mode"},
                      GemmCase{70, 45, 33, true, false, F, F, 1, 0, false, "tn"},
                      GemmCase{37, 90, 50, false, true, F, F, 1, 0, false, "nt"},
                      GemmCase{70, 45, 33, true, true, F, F, 1, 0, false, "tt_rows_mode"},
                      GemmCase{37, 90, 50, true, true, F, F, 1, 0, false, "tt_cols_mode"},
                      GemmCase{48, 40, 64, false, false, F, F, 0.5f, 2.0f, false, "alpha_beta"},
                      GemmCase{40, 64, 24, true, false, F, F, 1, 1, true, "accumulate_and_bias"},
                      GemmCase{64, 48, 80, false, false, H, F, 1, 0, false, "bf16_in_fp32_out"},
                      GemmCase{33, 70, 40, false, true, H, H, 1.5f, -1, true, "bf16_in_bf16_out"},
                      GemmCase{1, 1, 1, false, false, F, F, 1, 0, false, "one_by_one"},
                      GemmCase{1, 200, 300, false, false, F, F, 1, 0, false, "row_vector"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(MmeGemmModes, TimingOnlyKeepsTheTimeAndLeavesCUnchanged) {
  ComputeWorld w;
  MmeParams timing_only = w.mp;
  timing_only.functional = false;
  w.add_hbm();
  MmeEngine& real = w.add_mme(0);
  MmeEngine what_if("mme_what_if", timing_only, w.noc, 1, w.mme_mhz, ns(10));
  w.noc.map(GAUDI_CFG_BASE + GAUDI_BLK_MME_CTRL(2) + GSIM_MME_WREG_BASE, GSIM_MME_CTRL_BLOCK_SIZE, what_if, "mme2_ctrl");
  const uint32_t n = 256;
  const uint64_t A = kData, B = kData + 0x100000, C = kData + 0x200000;
  w.put(A, values(n * n, 1));
  w.put(B, values(n * n, 2));
  auto c0 = values(n * n, 3);
  w.put(C, c0);
  hlthunk::GemmArgs args{matrix(A, F, n, n), matrix(B, F, n, n), matrix(C, F, n, n)};
  args.beta = 1;
  sc_time t_what_if, t_real;
  w.run([&] {
    uint64_t d = w.put_desc(hlthunk::gemm(args));
    sc_time s = sc_core::sc_time_stamp();
    EXPECT_TRUE(w.launch_mme(1, d));
    w.wait_idle(what_if);
    t_what_if = sc_core::sc_time_stamp() - s;
    EXPECT_EQ(w.get(C, n * n), c0) << "functional=false must not write C";
    s = sc_core::sc_time_stamp();
    EXPECT_TRUE(w.launch_mme(0, d));
    w.wait_idle(real);
    t_real = sc_core::sc_time_stamp() - s;
  });
  EXPECT_EQ(t_what_if, t_real);
  EXPECT_NE(w.get(C, n * n), c0);
}

// Launch refusals of the MME, like the TPC's (tpc_errors_test.cpp).
void expect_refused(std::function<void(gsim_mme_desc&)> spoil, uint32_t cause) {
  ComputeWorld w;
  w.add_hbm();
  MmeEngine& mme = w.add_mme(0);
  hlthunk::GemmArgs args{matrix(kData, F, 8, 4), matrix(kData + 0x1000, F, 4, 6), matrix(kData + 0x2000, F, 8, 6)};
  auto d = hlthunk::gemm(args);
  spoil(d);
  bool ok = true;
  w.run([&] { ok = w.launch_mme(0, w.put_desc(d)); });
  EXPECT_FALSE(ok);
  EXPECT_EQ(mme.err_cause(), cause);
}

TEST(MmeErrors, BadMagicIsRefused) { expect_refused([](gsim_mme_desc& d) { d.magic = 0; }, GSIM_ENG_ERR_DESC_BAD); }
TEST(MmeErrors, UnknownFlagIsRefused) { expect_refused([](gsim_mme_desc& d) { d.flags |= 0x80; }, GSIM_ENG_ERR_DESC_BAD); }
TEST(MmeErrors, InconsistentShapesAreRefused) { expect_refused([](gsim_mme_desc& d) { d.k = 5; }, GSIM_ENG_ERR_SHAPE); }
TEST(MmeErrors, NonContiguousRowsAreRefused) {
  expect_refused([](gsim_mme_desc& d) { d.b.stride[0] = 2; }, GSIM_ENG_ERR_SHAPE);
}
TEST(MmeErrors, MisalignedMatrixIsRefused) { expect_refused([](gsim_mme_desc& d) { d.c.addr += 1; }, GSIM_ENG_ERR_ALIGN); }
TEST(MmeErrors, WrongBiasLengthIsRefused) {
  expect_refused([](gsim_mme_desc& d) {
    d.flags |= GSIM_MME_BIAS;
    d.bias = hlthunk::tensor(kData + 0x3000, F, {5});
  }, GSIM_ENG_ERR_SHAPE);
}

}  // namespace
}  // namespace gs::test
