// The CS parser, as the Linux GAUDI driver's: a user CB bound for an external queue (whose
// CPs the driver marks trusted) may hold only the packet types user space is allowed
// there; MSG_PROT, CP_DMA, STOP and WREG_BULK are refused (-EPERM), and so is a
// LOAD_AND_EXE that loads into the CP (the DST bit); WAIT and unknown opcodes are invalid
// (-EINVAL). Register writes and device addresses are not checked: the card's protection
// bits police registers (RAZWI), and GAUDI addresses HBM and SRAM physically. Host
// addresses must lie in the context's mapped buffers: the parser stands in for the
// device MMU that gaudisim does not model. Internal queues get only that address check.
#pragma once
#include <cstdint>
#include <string>

#include "driver/core/hw_queue.hpp"
#include "driver/core/memory_manager.hpp"

namespace hl {

struct ParseResult {
  bool ok = true;
  int err = 0;          // -EPERM or -EINVAL when !ok
  std::string error;    // "packet 3 (LIN_DMA) at offset 0x18: destination ..."
  bool has_dma = false; // the job moves data: the completion must wait for the engine
};

ParseResult parse_user_cb(const uint8_t* cb, uint32_t size, const QueueDesc& q, const MemoryManager& mem);

const char* packet_name(uint32_t opcode);

}  // namespace hl
