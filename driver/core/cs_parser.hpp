// The CS parser: every packet of a user CB bound for an external queue is checked before
// the device sees it. The user may not emit protected or privileged packets, write
// privileged registers, touch sync objects and monitors the driver reserves, or move data
// outside the memory its context owns.
#pragma once
#include <cstdint>
#include <string>

#include "driver/core/hw_queue.hpp"
#include "driver/core/memory_manager.hpp"

namespace hl {

struct ParseResult {
  bool ok = true;
  std::string error;    // "packet 3 (LIN_DMA) at offset 0x18: destination ..."
  bool has_dma = false; // the job moves data: the completion must wait for the engine
};

ParseResult parse_user_cb(const uint8_t* cb, uint32_t size, const QueueDesc& q, const MemoryManager& mem);

const char* packet_name(uint32_t opcode);

// A register of the W_S sync manager that users own (objects from 144, monitors from 72).
bool user_sync_register(uint64_t addr);

}  // namespace hl
