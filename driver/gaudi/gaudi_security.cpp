// Register protection, as the Linux driver's gaudi_init_security: every page of an engine's
// blocks ends in protection words (GAUDI_PROT_BITS_OFFS) with one bit per register, and a
// cleared bit makes the register the driver's. User CBs keep what they need: the QMAN's
// fence counters and arbitration, the engine's configuration (DMA write completion, the
// TPC/MME launch registers, the NIC work-request block); the queue bases, CP set-up, error
// reporting and the NIC's QP contexts are protected, and so are the sync managers' GLBL
// blocks, which hold the range the driver keeps for itself (W_S objects below
// GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT, monitors below GAUDI_FIRST_AVAILABLE_W_S_MONITOR).
// The card answers a user access to a protected register with a RAZWI event.
#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "driver/core/hl_device.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/nic.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/tpc_mme.h"

namespace hl {

namespace {

constexpr uint32_t kPage = 0x1000;
using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;  // [lo, hi) offsets in the block

using Words = std::array<uint32_t, 32>;

// Sets bits [bit, bit + n) of a page's protection words (bit k: the register at 4 * k), a
// word at a time: a card has ~180 protected pages, some wholly open (~1,000 registers).
void set_bits(Words& words, uint32_t bit, uint32_t n) {
  while (n) {
    const uint32_t first = bit % 32, take = std::min(32 - first, n);
    words[bit / 32] |= (take == 32 ? ~0u : (1u << take) - 1) << first;
    bit += take;
    n -= take;
  }
}

// Program the protection words of every page of [block, block + size): registers inside
// `open` stay writable by users, all others become the driver's.
void protect(HlDevice& d, uint32_t block, uint32_t size, const Ranges& open) {
  for (uint32_t page = 0; page < size; page += kPage) {
    Words words{};
    for (const auto& r : open) {
      const uint32_t lo = std::max(r.first, page), hi = std::min(r.second, page + GAUDI_PROT_BITS_OFFS);
      if (lo < hi) set_bits(words, (lo - page) / 4, (hi - lo + 3) / 4);
    }
    d.wreg_block(block + page + GAUDI_PROT_BITS_OFFS, words.data(), words.size());
  }
}

// A QMAN: fence counters (what monitors write) and arbitration configuration are the user's.
void protect_qman(HlDevice& d, uint32_t qm) {
  protect(d, qm, kPage,
          {{GAUDI_QM_CP_FENCE_RDATA(0, 0), GAUDI_QM_CP_STS(0)}, {GAUDI_QM_ARB_CFG_0, GAUDI_QM_ARB_CFG_1 + 4}});
}

const Ranges kLaunchRegs = {{GSIM_ENG_DESC_ADDR_LO, GSIM_ENG_KERNELS_FAILED + 4}};
const Ranges kMmeLaunchRegs = {{GSIM_MME_WREG_BASE + GSIM_ENG_DESC_ADDR_LO, GSIM_MME_WREG_BASE + GSIM_ENG_KERNELS_FAILED + 4}};

}  // namespace

void GaudiAsic::init_security(HlDevice& d) {
  HlDevice::PostedWrites posted(d);  // about 6,000 writes, nothing read back
  const AsicProps& p = d.props();
  for (unsigned n = 0; n < p.dma_channels && n < GAUDI_DMA_NUMBER_OF_CHANNELS; ++n) {
    protect(d, GAUDI_BLK_DMA_CORE(n), GAUDI_BLK_DMA_QM(0) - GAUDI_BLK_DMA_CORE(0),
            {{GAUDI_DMA_CORE_WR_COMP_WDATA, GAUDI_DMA_CORE_WR_COMP_ADDR_HI + 4}});
    protect_qman(d, GAUDI_BLK_DMA_QM(n));
  }
  for (unsigned m = 0; m < p.mme_engines && m < GAUDI_MME_NUMBER_OF_MASTER_ENGINES; ++m) {
    // The MME's launch registers sit after its own ARCH_STATUS (GSIM_MME_WREG_BASE).
    protect(d, GAUDI_BLK_MME_CTRL(2 * m), GSIM_MME_WREG_BASE + GSIM_MME_CTRL_BLOCK_SIZE, kMmeLaunchRegs);
    protect_qman(d, GAUDI_BLK_MME_QM(2 * m));
  }
  for (unsigned t = 0; t < p.tpc_cores && t < GAUDI_TPC_NUMBER_OF_ENGINES; ++t) {
    protect(d, GAUDI_BLK_TPC_CFG(t), GSIM_TPC_CFG_BLOCK_SIZE, kLaunchRegs);
    protect_qman(d, GAUDI_BLK_TPC_QM(t));
  }
  for (unsigned e = 0; e < p.nic_ports && e < GAUDI_NIC_NUMBER_OF_ENGINES; ++e) {
    protect_qman(d, GAUDI_BLK_NIC_QM(e));
    protect(d, GSIM_NIC_QPC_BLOCK(e), kPage, {});
    protect(d, GSIM_NIC_WQE_BLOCK(e), kPage, {{0, GAUDI_PROT_BITS_OFFS}});
  }
  // The driver's sync objects and monitors: only on W_S (E_N, E_S, W_N are all the user's).
  const uint32_t managers[] = {GAUDI_BLK_SYNC_MNGR_GLBL_E_N, GAUDI_BLK_SYNC_MNGR_GLBL_E_S,
                               GAUDI_BLK_SYNC_MNGR_GLBL_W_N, GAUDI_BLK_SYNC_MNGR_GLBL_W_S};
  for (uint32_t glbl : managers) {
    bool ws = glbl == GAUDI_BLK_SYNC_MNGR_GLBL_W_S;
    d.wreg(glbl + GSIM_SM_GLBL_FIRST_USER_SOB, ws ? GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT : 0);
    d.wreg(glbl + GSIM_SM_GLBL_FIRST_USER_MON, ws ? GAUDI_FIRST_AVAILABLE_W_S_MONITOR : 0);
    protect(d, glbl, kPage, {});
  }
}

}  // namespace hl
