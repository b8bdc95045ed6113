#include "models/engines/kernels/gemm.hpp"

#include <algorithm>
#include <vector>

namespace gs::kern {

// i-k-j order: the inner loop runs along a row of B and of the accumulator, which the
// compiler vectorises; each accumulator element still sums its products in k order.
void gemm_block(const GemmBlock& g) {
  std::vector<float> acc(g.nb);
  for (uint64_t i = 0; i < g.mb; ++i) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    const float* arow = g.a + i * g.lda;
    for (uint64_t p = 0; p < g.k; ++p) {
      const float av = arow[p];
      const float* brow = g.b + p * g.ldb;
      float* accp = acc.data();
      for (uint64_t j = 0; j < g.nb; ++j) accp[j] += av * brow[j];
    }
    float* crow = g.c + i * g.ldc;
    for (uint64_t j = 0; j < g.nb; ++j) {
      float v = g.alpha * acc[j];
      if (g.beta != 0.0f) v += g.beta * crow[j];  // beta == 0: C_in is not read (BLAS rule)
      if (g.bias) v += g.bias[j];
      crow[j] = v;
    }
  }
}

}  // namespace gs::kern
