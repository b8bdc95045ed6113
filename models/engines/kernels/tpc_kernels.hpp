// The arithmetic of the TPC kernels (specs/gaudi/tpc_mme.h), on fp32 values the engine has
// gathered; rounding to the output's dtype happens when the engine stores the result. Also
// the cost of each kernel in vector-lane operations, which the TPC's timing uses.
#pragma once
#include <cstdint>

namespace gs::kern {

// Whether `kernel` is known and takes `inputs` inputs.
bool tpc_kernel_known(uint32_t kernel);
bool tpc_inputs_ok(uint32_t kernel, uint32_t inputs);

// Lane operations per output element (assumed instruction counts, docs/compute.md): a
// fused multiply-add is one; tanh and exp are short polynomial sequences.
double tpc_ops_per_element(uint32_t kernel, uint32_t inputs);

// out[i] for i < count from in[j][i]; `row` is the row length for SOFTMAX (count is a
// multiple of it), ignored otherwise.
void tpc_compute(uint32_t kernel, const float* const* in, uint32_t inputs, const float* scalar,
                 float* out, uint64_t count, uint64_t row);

float gelu_tanh(float x);

}  // namespace gs::kern
