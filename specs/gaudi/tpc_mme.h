/* gaudisim: how user code launches work on the TPC cores and the MME, shared by the card
 * model (models/engines) and the thunk helpers (driver/lib/compute_builder). Not public on
 * GAUDI (real TPC programs are compiled kernels, real MME jobs are dozens of registers): all
 * of this is gaudisim's own contract, see docs/compute.md. C99/C++17.
 *
 * Launch: a CB on the engine's queue (TPC_n_*, MME_*_*) writes the launch registers below in
 * the engine's own block with WREG_32/WREG_BULK: the device address of a descriptor (in HBM,
 * SRAM or host memory mapped to the device), optionally a completion write (address and
 * value: typically a W_S sync object with the increment bit), then LAUNCH. The engine reads
 * and checks the descriptor when LAUNCH is written (the descriptor is latched: the buffer
 * may be reused at once); a bad descriptor makes that register write fail, so the QMAN stops
 * the stream and raises its error event. Kernels then run one after another, in launch order.
 *
 * Register blocks: TPC n at GAUDI_BLK_TPC_CFG(n) (WREG offset 0x6000 + reg in the TPC QMAN's
 * 64 KiB window), MME master m at GAUDI_BLK_MME_CTRL(2m) + GSIM_MME_WREG_BASE (WREG offset 0x100 + reg).
 */
#ifndef GAUDISIM_SPECS_GAUDI_TPC_MME_H
#define GAUDISIM_SPECS_GAUDI_TPC_MME_H

#include <stdint.h>
#include <string.h>

/* ==== Launch registers (same layout in the TPC and MME blocks) ==== */
#define GSIM_ENG_DESC_ADDR_LO   0x000u /* device address of the descriptor */
#define GSIM_ENG_DESC_ADDR_HI   0x004u
#define GSIM_ENG_COMP_ADDR_LO   0x008u /* completion write target */
#define GSIM_ENG_COMP_ADDR_HI   0x00Cu
#define GSIM_ENG_COMP_WDATA     0x010u /* completion write value */
#define GSIM_ENG_LAUNCH         0x014u /* write: launch; value = GSIM_ENG_LAUNCH_* flags */
#define GSIM_ENG_STATUS         0x018u /* ro: BUSY | launches queued or running */
#define GSIM_ENG_ERR_CAUSE      0x01Cu /* GSIM_ENG_ERR_*; write 1 to clear */
#define GSIM_ENG_ERR_ADDR_LO    0x020u /* ro: descriptor (or bus address) of the last error */
#define GSIM_ENG_ERR_ADDR_HI    0x024u
#define GSIM_ENG_KERNELS_DONE   0x028u /* ro: kernels completed since reset */
#define GSIM_ENG_KERNELS_FAILED 0x02Cu /* ro: kernels refused or failed since reset */
#define GSIM_TPC_CFG_BLOCK_SIZE 0x2000u /* window offsets 0x6000..0x8000 */
#define GSIM_MME_CTRL_BLOCK_SIZE 0x7F00u /* window offsets 0x100..0x8000 */
#define GSIM_TPC_WREG_BASE      0x6000u /* WREG offset of the TPC block in its QMAN window */
#define GSIM_MME_WREG_BASE      0x0100u /* after the MME's own ARCH_STATUS (offset 0) */

#define GSIM_ENG_LAUNCH_COMP_EN 0x1u        /* write COMP_WDATA to COMP_ADDR when done */
#define GSIM_ENG_STATUS_BUSY    0x80000000u
#define GSIM_ENG_STATUS_QUEUED_MASK 0x0000FFFFu
#define GSIM_ENG_MAX_QUEUED     4096u       /* launches waiting beyond this are refused */
/* A completion write may signal any sync object (COMP_ADDR: its SOB_OBJ address) or land in
 * memory. It is a user transaction: the sync manager refuses the driver's range
 * (GSIM_SM_GLBL_FIRST_USER_SOB, programmed by the driver) with a RAZWI, and the kernel fails
 * with GSIM_ENG_ERR_COMP_WR. */

/* ERR_CAUSE bits. Those up to RANGE refuse a launch; BUS_* and COMP_WR fail a running kernel. */
#define GSIM_ENG_ERR_DESC_READ  0x001u /* the descriptor could not be read */
#define GSIM_ENG_ERR_DESC_BAD   0x002u /* wrong magic, count or field value */
#define GSIM_ENG_ERR_KERNEL     0x004u /* unknown kernel id */
#define GSIM_ENG_ERR_ALIGN      0x008u /* descriptor not 8-aligned, tensor not element-aligned */
#define GSIM_ENG_ERR_SHAPE      0x010u /* dims, shapes or strides inconsistent */
#define GSIM_ENG_ERR_RANGE      0x020u /* tensor or completion target outside user memory */
#define GSIM_ENG_ERR_QUEUE_FULL 0x040u
#define GSIM_ENG_ERR_BUS_RD     0x100u /* a tensor read failed while running */
#define GSIM_ENG_ERR_BUS_WR     0x200u
#define GSIM_ENG_ERR_COMP_WR    0x400u /* the completion write failed */

/* ==== Tensors ==== */
enum gsim_dtype {
	GSIM_DTYPE_FP32 = 0,
	GSIM_DTYPE_BF16 = 1 /* upper 16 bits of fp32; fp32 -> bf16 rounds to nearest even */
};

#define GSIM_MAX_DIMS 5

/* bf16 <-> fp32, as the engines do it: round to nearest, ties to even; NaN stays NaN. */
static inline uint16_t gsim_fp32_to_bf16(float f) {
	uint32_t u;
	memcpy(&u, &f, 4);
	if ((u & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((u >> 16) | 0x40u); /* quiet NaN */
	u += 0x7FFFu + ((u >> 16) & 1u);
	return (uint16_t)(u >> 16);
}
static inline float gsim_bf16_to_fp32(uint16_t h) {
	uint32_t u = (uint32_t)h << 16;
	float f;
	memcpy(&f, &u, 4);
	return f;
}
static inline unsigned gsim_dtype_size(uint32_t dtype) { return dtype == GSIM_DTYPE_BF16 ? 2u : 4u; }

/* 80 bytes. Element (i0, .., i4) is at addr + esize * sum(i_d * stride[d]); dim 0 is the
 * innermost (a row). Dims from ndims on must have shape 1. A stride of 0 broadcasts an input
 * along that dim; outputs need non-zero strides wherever shape > 1. */
struct gsim_tensor {
	uint64_t addr;
	uint32_t dtype;  /* enum gsim_dtype */
	uint32_t ndims;  /* 1..GSIM_MAX_DIMS */
	uint32_t shape[GSIM_MAX_DIMS];
	uint32_t reserved;
	uint64_t stride[GSIM_MAX_DIMS]; /* in elements */
};

/* ==== TPC kernels ==== */
enum gsim_tpc_kernel {
	GSIM_TPC_COPY = 1,    /* out = in0, converted to the output's dtype (copy and cast) */
	GSIM_TPC_ADD = 2,     /* out = in0 + in1 */
	GSIM_TPC_SUB = 3,     /* out = in0 - in1 */
	GSIM_TPC_MUL = 4,     /* out = in0 * in1 */
	GSIM_TPC_AXPY = 5,    /* out = scalar[0] * in0 + in1 */
	GSIM_TPC_SUM = 6,     /* out = in0 + in1 + ... (1..8 inputs, added in order) */
	GSIM_TPC_MAX = 7,     /* out = max(in0, in1, ...) (1..8 inputs) */
	GSIM_TPC_RELU = 8,    /* out = max(in0, 0) */
	GSIM_TPC_GELU = 9,    /* tanh approximation: 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))) */
	GSIM_TPC_SOFTMAX = 10 /* softmax along dim 0 of every row */
};
#define GSIM_TPC_KERNEL_LAST GSIM_TPC_SOFTMAX
#define GSIM_TPC_MAX_INPUTS 8
#define GSIM_TPC_DESC_MAGIC 0x44435054u /* "TPCD" */

/* 752 bytes, 8-aligned in device memory. Every input has the output's shape (broadcast by
 * stride 0 where needed). All arithmetic is fp32; inputs are widened, the result is rounded
 * to the output's dtype. Computation is element-wise in element order, so an output may
 * alias an input with the same layout (in-place). */
struct gsim_tpc_desc {
	uint32_t magic;
	uint32_t kernel;     /* enum gsim_tpc_kernel */
	uint32_t num_inputs;
	uint32_t reserved;
	float scalar[4];
	struct gsim_tensor input[GSIM_TPC_MAX_INPUTS];
	struct gsim_tensor output;
};

/* ==== MME: C = alpha * op(A) x op(B) + beta * C (+ bias) ==== */
#define GSIM_MME_DESC_MAGIC 0x44454D4Du /* "MMED" */
#define GSIM_MME_TRANS_A 0x1u /* op(A) = A^T: A is stored K x M */
#define GSIM_MME_TRANS_B 0x2u /* op(B) = B^T: B is stored N x K */
#define GSIM_MME_BIAS    0x4u /* add bias[n] (an N-element tensor) to every row of C */

/* 352 bytes, 8-aligned. Matrices are 2-D tensors: shape[0] = columns, shape[1] = rows,
 * stride[1] = leading dimension in elements (stride[0] must be 1). op(A) is M x K, op(B)
 * K x N, C M x N. A and B may be fp32 or bf16; accumulation is fp32; C (read when beta != 0,
 * then written) is fp32 or bf16. */
struct gsim_mme_desc {
	uint32_t magic;
	uint32_t flags;  /* GSIM_MME_* */
	uint32_t m, n, k;
	float alpha, beta;
	uint32_t reserved;
	struct gsim_tensor a, b, c, bias;
};

/* The TPC's own control registers the upstream driver uses at init (public offsets inside
 * GAUDI_BLK_TPC_CFG(n)): it loads a TPC program, invalidates the icache, executes and polls
 * STATUS until the vector pipe is empty and WQ_INFLIGHT_CNTR until zero. */
#define GAUDI_TPC_CFG_STATUS            0x91Cu
#define GAUDI_TPC_CFG_STATUS_SCALAR_PIPE_EMPTY 0x2u
#define GAUDI_TPC_CFG_STATUS_VECTOR_PIPE_EMPTY 0x4u
#define GAUDI_TPC_CFG_STATUS_IDLE       0xEEu /* both pipes, IQ and SB empty, QM idle and ready */
/* The MME's ARCH_STATUS (offset 0 of its control block): SB A/B empty, write-back idle. */
#define GAUDI_MME_CTRL_ARCH_STATUS      0x000u
#define GAUDI_MME_ARCH_STATUS_IDLE      0x1180u
#define GAUDI_TPC_CFG_TPC_CMD           0x930u
#define GAUDI_TPC_CFG_TPC_EXECUTE       0x938u
#define GAUDI_TPC_CFG_WQ_INFLIGHT_CNTR  0x9B8u

#endif /* GAUDISIM_SPECS_GAUDI_TPC_MME_H */
