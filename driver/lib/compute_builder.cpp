#include "driver/lib/compute_builder.hpp"

#include <cstring>

#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/regs.h"

namespace hlthunk {

uint64_t DescArena::put(const void* desc, uint32_t bytes) {
  uint32_t at = (used_ + 7u) & ~7u;
  if (at > cap_ || bytes > cap_ - at) return 0;
  std::memcpy(cpu_ + at, desc, bytes);
  used_ = at + bytes;
  return dev_ + at;
}

bool is_compute_queue(unsigned q) { return q >= GAUDI_QUEUE_ID_MME_0_0 && q < GAUDI_QUEUE_ID_NIC_0_0; }

uint32_t engine_wreg_base(unsigned q) { return q >= GAUDI_QUEUE_ID_TPC_0_0 ? GSIM_TPC_WREG_BASE : GSIM_MME_WREG_BASE; }

void launch(CbBuilder& cb, unsigned queue_id, uint64_t desc, Completion done, bool eb) {
  const uint32_t flags = done.addr ? GSIM_ENG_LAUNCH_COMP_EN : 0;
  // DESC_ADDR_LO/HI, COMP_ADDR_LO/HI, COMP_WDATA/LAUNCH: three 64-bit values, LAUNCH last.
  const uint64_t v[3] = {desc, done.addr, uint64_t(flags) << 32 | done.data};
  cb.wreg_bulk(engine_wreg_base(queue_id) + GSIM_ENG_DESC_ADDR_LO, v, 3, eb);
}

void engine_sync_point(CbBuilder& cb) { cb.lin_dma(0, 0, 0); }

}  // namespace hlthunk
