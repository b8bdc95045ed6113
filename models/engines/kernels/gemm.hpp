// The MME's arithmetic on one block of C, on fp32 buffers the engine has gathered: products
// accumulate in fp32 in k order, then C = alpha * acc + beta * C_in (+ bias).
#pragma once
#include <cstddef>
#include <cstdint>

namespace gs::kern {

struct GemmBlock {
  const float* a;  // mb x k, row-major, leading dimension lda
  size_t lda;
  const float* b;  // k x nb, row-major, leading dimension ldb
  size_t ldb;
  float* c;        // mb x nb, row-major, leading dimension ldc; holds C_in when beta != 0
  size_t ldc;
  const float* bias;  // nb values or null
  uint64_t mb, nb, k;
  float alpha, beta;
};

void gemm_block(const GemmBlock& g);

}  // namespace gs::kern
