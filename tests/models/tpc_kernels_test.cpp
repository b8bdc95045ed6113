// TPC kernels against a plain CPU reference, in fp32 and bf16. Tolerances: fp32 results
// within 1e-6 relative (element-wise kernels are exact; gelu/softmax use the same libm);
// bf16 results within one bf16 ulp (2^-7 relative) of the fp32 reference.
#include "tpc_world.hpp"

#include "models/engines/kernels/tpc_kernels.hpp"

namespace gs::test {
namespace {

using hlthunk::tensor;
using hlthunk::tpc_kernel;

struct Case {
  uint32_t kernel;
  uint32_t inputs;
  const char* name;
};

// The reference: obvious loops, in fp32 like the engine. Not inlined: GCC 12 then sees a
// one-input call and warns (-Warray-bounds) about the second input it never reads.
[[gnu::noinline]] std::vector<float> reference(uint32_t kernel, const std::vector<std::vector<float>>& in, float alpha, size_t row) {
  const size_t n = in[0].size();
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) {
    float a = in[0][i], b = in.size() > 1 ? in[1][i] : 0;
    switch (kernel) {
      case GSIM_TPC_COPY: out[i] = a; break;
      case GSIM_TPC_ADD: out[i] = a + b; break;
      case GSIM_TPC_SUB: out[i] = a - b; break;
      case GSIM_TPC_MUL: out[i] = a * b; break;
      case GSIM_TPC_AXPY: out[i] = alpha * a + b; break;
      case GSIM_TPC_SUM: out[i] = a; for (size_t j = 1; j < in.size(); ++j) out[i] += in[j][i]; break;
      case GSIM_TPC_MAX: out[i] = a; for (size_t j = 1; j < in.size(); ++j) out[i] = std::max(out[i], in[j][i]); break;
      case GSIM_TPC_RELU: out[i] = a > 0 ? a : 0; break;
      case GSIM_TPC_GELU: out[i] = 0.5f * a * (1 + std::tanh(0.7978845608f * (a + 0.044715f * a * a * a))); break;
    }
  }
  if (kernel == GSIM_TPC_SOFTMAX) {
    for (size_t r = 0; r < n; r += row) {
      float m = *std::max_element(in[0].begin() + r, in[0].begin() + r + row), s = 0;
      for (size_t i = r; i < r + row; ++i) s += (out[i] = std::exp(in[0][i] - m));
      for (size_t i = r; i < r + row; ++i) out[i] /= s;
    }
  }
  return out;
}

const Case kCases[] = {{GSIM_TPC_COPY, 1, "copy"}, {GSIM_TPC_ADD, 2, "add"},   {GSIM_TPC_SUB, 2, "sub"},
                       {GSIM_TPC_MUL, 2, "mul"},   {GSIM_TPC_AXPY, 2, "axpy"}, {GSIM_TPC_SUM, 5, "sum"},
                       {GSIM_TPC_MAX, 3, "max"},   {GSIM_TPC_RELU, 1, "relu"}, {GSIM_TPC_GELU, 1, "gelu"},
                       {GSIM_TPC_SOFTMAX, 1, "softmax"}};

// One kernel on a 100 x 37 tensor (not a multiple of any chunk) in one dtype. One world per
// test case: SystemC elaborates once per process.
class TpcKernel : public ::testing::TestWithParam<std::tuple<Case, uint32_t>> {};

TEST_P(TpcKernel, MatchesTheReference) {
  const Case c = std::get<0>(GetParam());
  const uint32_t dt = std::get<1>(GetParam());
  const float tolerance = dt == GSIM_DTYPE_BF16 ? 1.0f / 128 : 1e-6f;
  ComputeWorld w;
  w.tp.chunk_bytes = 1024;  // many pipeline steps, a partial last one
  w.add_hbm();
  w.add_tpc(0);
  const uint32_t cols = 100, rows = 37;
  const size_t n = size_t(cols) * rows, es = gsim_dtype_size(dt);
  std::vector<std::vector<float>> in;
  std::vector<gsim_tensor> ts;
  for (uint32_t j = 0; j < c.inputs; ++j) {
    in.push_back(values(n, 11 + j));
    uint64_t at = kData + j * n * es;
    w.put(at, in.back(), dt);
    ts.push_back(tensor(at, dt, {cols, rows}));
  }
  const uint64_t out_at = kData + 16 * n * es;
  auto d = tpc_kernel(c.kernel, ts, tensor(out_at, dt, {cols, rows}), 0.75f);
  bool ok = false;
  w.run([&] {
    ok = w.launch_tpc(0, w.put_desc(d));
    w.wait_idle(*w.tpcs[0]);
  });
  ASSERT_TRUE(ok);
  EXPECT_EQ(w.tpcs[0]->kernels_done(), 1u);
  auto want = reference(c.kernel, in, 0.75f, cols);
  if (dt == GSIM_DTYPE_BF16)
    for (auto& x : want) x = bf16_round(x);
  expect_close(w.get(out_at, n, dt), want, tolerance);
}

INSTANTIATE_TEST_SUITE_P(AllKernels, TpcKernel,
                         ::testing::Combine(::testing::ValuesIn(kCases), ::testing::Values(GSIM_DTYPE_FP32, GSIM_DTYPE_BF16)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param).name) +
                                  (std::get<1>(info.param) == GSIM_DTYPE_BF16 ? "_bf16" : "_fp32");
                         });

TEST(TpcKernels, Bf16RoundsToNearestEven) {
  EXPECT_EQ(gsim_fp32_to_bf16(1.0f + 1.0f / 256), 0x3F80);      // tie: stays even (1.0)
  EXPECT_EQ(gsim_fp32_to_bf16(1.0f + 3.0f / 256), 0x3F82);      // tie: rounds up to even
  EXPECT_EQ(gsim_fp32_to_bf16(1.0f + 1.5f / 256), 0x3F81);      // above the tie: up
  EXPECT_EQ(gsim_bf16_to_fp32(gsim_fp32_to_bf16(-2.5f)), -2.5f);
  EXPECT_TRUE(std::isnan(gsim_bf16_to_fp32(gsim_fp32_to_bf16(std::nanf("")))));
}

TEST(TpcKernels, CopyCastsFp32ToBf16AndBack) {
  ComputeWorld w;
  w.add_hbm();
  w.add_tpc(0);
  std::vector<float> x = {1.0f + 1.0f / 256, 1.0f + 3.0f / 256, 3.14159265f, -1e-3f, 65504.0f};
  w.put(kData, x);
  const uint64_t mid = kData + 0x1000, back = kData + 0x2000;
  auto to16 = tpc_kernel(GSIM_TPC_COPY, {tensor(kData, GSIM_DTYPE_FP32, {5})}, tensor(mid, GSIM_DTYPE_BF16, {5}));
  auto to32 = tpc_kernel(GSIM_TPC_COPY, {tensor(mid, GSIM_DTYPE_BF16, {5})}, tensor(back, GSIM_DTYPE_FP32, {5}));
  w.run([&] {
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(to16)));
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(to32)));  // runs after the first: launch order
    w.wait_idle(*w.tpcs[0]);
  });
  std::vector<float> want;
  for (float f : x) want.push_back(bf16_round(f));
  EXPECT_EQ(w.get(back, 5), want);
}

TEST(TpcKernels, StridedOutputAndBroadcastInput) {
  ComputeWorld w;
  w.add_hbm();
  w.add_tpc(0);
  const uint32_t cols = 8, rows = 5, ld = 12;  // output rows padded to 12 elements
  auto x = values(cols * rows, 3), bias = values(cols, 4);
  w.put(kData, x);
  w.put(kData + 0x1000, bias);
  gsim_tensor b = tensor(kData + 0x1000, GSIM_DTYPE_FP32, {cols, rows});
  b.stride[1] = 0;  // the same row for every row
  gsim_tensor out = tensor(kData + 0x2000, GSIM_DTYPE_FP32, {cols, rows});
  out.stride[1] = ld;
  w.put(kData + 0x2000, std::vector<float>(ld * rows, 99.0f));
  auto d = tpc_kernel(GSIM_TPC_ADD, {tensor(kData, GSIM_DTYPE_FP32, {cols, rows}), b}, out);
  w.run([&] {
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(d)));
    w.wait_idle(*w.tpcs[0]);
  });
  auto got = w.get(kData + 0x2000, ld * rows);
  for (uint32_t r = 0; r < rows; ++r)
    for (uint32_t c = 0; c < ld; ++c)
      EXPECT_EQ(got[r * ld + c], c < cols ? x[r * cols + c] + bias[c] : 99.0f) << r << "," << c;
}

TEST(TpcKernels, AxpyInPlaceAndCompletionSignalsASyncObject) {
  ComputeWorld w;
  w.add_hbm();
  w.add_sm();
  w.add_tpc(0);
  const uint32_t n = 50000;
  auto x = values(n, 5), y = values(n, 6);
  w.put(kData, x);
  w.put(kData + 4 * n, y);
  gsim_tensor ty = tensor(kData + 4 * n, GSIM_DTYPE_FP32, {n});
  auto d = tpc_kernel(GSIM_TPC_AXPY, {tensor(kData, GSIM_DTYPE_FP32, {n}), ty}, ty, -2.0f);
  uint32_t sob_before = 1;
  w.run([&] {
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(d), hlthunk::sob_increment(300, 2)));
    sob_before = w.sm->sob(300);
    w.wait_idle(*w.tpcs[0]);
    sc_core::wait(ns(100));  // the completion write lands
  });
  EXPECT_EQ(sob_before, 0u);
  EXPECT_EQ(w.sm->sob(300), 2u);
  auto got = w.get(kData + 4 * n, n);
  for (uint32_t i = 0; i < n; ++i) ASSERT_EQ(got[i], -2.0f * x[i] + y[i]) << i;
}

TEST(TpcKernels, SumOfEightInputsIsTheReduceScatterStep) {
  ComputeWorld w;
  w.add_hbm();
  w.add_tpc(0);
  const uint32_t n = 4096;
  std::vector<gsim_tensor> ins;
  std::vector<float> want(n, 0.0f);
  for (uint32_t j = 0; j < 8; ++j) {
    auto v = values(n, 20 + j);
    w.put(kData + j * 4 * n, v);
    ins.push_back(tensor(kData + j * 4 * n, GSIM_DTYPE_FP32, {n}));
    for (uint32_t i = 0; i < n; ++i) want[i] += v[i];
  }
  auto d = tpc_kernel(GSIM_TPC_SUM, ins, tensor(kData + 8 * 4 * n, GSIM_DTYPE_FP32, {n}));
  w.run([&] {
    EXPECT_TRUE(w.launch_tpc(0, w.put_desc(d)));
    w.wait_idle(*w.tpcs[0]);
  });
  EXPECT_EQ(w.get(kData + 8 * 4 * n, n), want);
}

TEST(TpcKernels, SplitAcrossCoresGivesTheSameResult) {
  ComputeWorld w;
  w.add_hbm();
  for (unsigned t = 0; t < 4; ++t) w.add_tpc(t);
  const uint32_t cols = 64, rows = 30;
  auto x = values(cols * rows, 8);
  w.put(kData, x);
  auto whole = tpc_kernel(GSIM_TPC_SOFTMAX, {tensor(kData, GSIM_DTYPE_FP32, {cols, rows})},
                          tensor(kData + 0x10000, GSIM_DTYPE_FP32, {cols, rows}));
  auto parts = hlthunk::split_tpc_kernel(whole, 4);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0].output.shape[1], 8u);  // 30 rows: 8, 8, 7, 7
  EXPECT_EQ(parts[3].output.shape[1], 7u);
  w.run([&] {
    for (unsigned t = 0; t < 4; ++t) EXPECT_TRUE(w.launch_tpc(t, w.put_desc(parts[t])));
    for (auto& c : w.tpcs) w.wait_idle(*c);
  });
  expect_close(w.get(kData + 0x10000, cols * rows), reference(GSIM_TPC_SOFTMAX, {x}, 0, cols), 1e-6f);
}

}  // namespace
}  // namespace gs::test
