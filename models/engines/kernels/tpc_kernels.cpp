#include "models/engines/kernels/tpc_kernels.hpp"

#include <algorithm>
#include <cmath>

#include "specs/gaudi/tpc_mme.h"

namespace gs::kern {

bool tpc_kernel_known(uint32_t kernel) { return kernel >= GSIM_TPC_COPY && kernel <= GSIM_TPC_KERNEL_LAST; }

bool tpc_inputs_ok(uint32_t kernel, uint32_t inputs) {
  switch (kernel) {
    case GSIM_TPC_COPY:
    case GSIM_TPC_RELU:
    case GSIM_TPC_GELU:
    case GSIM_TPC_SOFTMAX:
      return inputs == 1;
    case GSIM_TPC_ADD:
    case GSIM_TPC_SUB:
    case GSIM_TPC_MUL:
    case GSIM_TPC_AXPY:
      return inputs == 2;
    case GSIM_TPC_SUM:
    case GSIM_TPC_MAX:
      return inputs >= 1 && inputs <= GSIM_TPC_MAX_INPUTS;
  }
  return false;
}

double tpc_ops_per_element(uint32_t kernel, uint32_t inputs) {
  switch (kernel) {
    case GSIM_TPC_SUM:
    case GSIM_TPC_MAX:
      return inputs > 1 ? inputs - 1 : 1;
    case GSIM_TPC_GELU:
      return 14;  // cube, FMA, scale, tanh (about 10), add, two multiplies
    case GSIM_TPC_SOFTMAX:
      return 12;  // max pass, subtract, exp (about 8), sum pass, scale
    default:
      return 1;   // copy/cast, add, sub, mul, axpy (FMA), relu
  }
}

float gelu_tanh(float x) {
  const float k = 0.7978845608028654f;  // sqrt(2 / pi)
  return 0.5f * x * (1.0f + std::tanh(k * (x + 0.044715f * x * x * x)));
}

namespace {
void softmax_rows(const float* in, float* out, uint64_t count, uint64_t row) {
  for (uint64_t r = 0; r + row <= count; r += row) {
    const float* x = in + r;
    float* y = out + r;
    float m = x[0];
    for (uint64_t i = 1; i < row; ++i) m = std::max(m, x[i]);
    float sum = 0;
    for (uint64_t i = 0; i < row; ++i) sum += (y[i] = std::exp(x[i] - m));
    float inv = 1.0f / sum;
    for (uint64_t i = 0; i < row; ++i) y[i] *= inv;
  }
}
}  // namespace

void tpc_compute(uint32_t kernel, const float* const* in, uint32_t inputs, const float* scalar,
                 float* out, uint64_t count, uint64_t row) {
  const float* a = in[0];
  const float* b = inputs > 1 ? in[1] : nullptr;
  switch (kernel) {
    case GSIM_TPC_COPY:
      std::copy(a, a + count, out);
      break;
    case GSIM_TPC_ADD:
      for (uint64_t i = 0; i < count; ++i) out[i] = a[i] + b[i];
      break;
    case GSIM_TPC_SUB:
      for (uint64_t i = 0; i < count; ++i) out[i] = a[i] - b[i];
      break;
    case GSIM_TPC_MUL:
      for (uint64_t i = 0; i < count; ++i) out[i] = a[i] * b[i];
      break;
    case GSIM_TPC_AXPY: {
      const float alpha = scalar[0];
      for (uint64_t i = 0; i < count; ++i) out[i] = alpha * a[i] + b[i];
      break;
    }
    case GSIM_TPC_SUM:
      std::copy(a, a + count, out);
      for (uint32_t j = 1; j < inputs; ++j)
        for (uint64_t i = 0; i < count; ++i) out[i] += in[j][i];
      break;
    case GSIM_TPC_MAX:
      std::copy(a, a + count, out);
      for (uint32_t j = 1; j < inputs; ++j)
        for (uint64_t i = 0; i < count; ++i) out[i] = std::max(out[i], in[j][i]);
      break;
    case GSIM_TPC_RELU:
      for (uint64_t i = 0; i < count; ++i) out[i] = a[i] > 0 ? a[i] : 0.0f;
      break;
    case GSIM_TPC_GELU:
      for (uint64_t i = 0; i < count; ++i) out[i] = gelu_tanh(a[i]);
      break;
    case GSIM_TPC_SOFTMAX:
      softmax_rows(a, out, count, row);
      break;
  }
}

}  // namespace gs::kern
