// What the CS parser checks when a CB launches a TPC kernel or an MME GEMM: the completion
// write must go to memory or sync objects the user owns, and every tensor of the descriptor
// must lie in the context's memory. The descriptor is read where the driver can read it (a
// mapped host buffer); one in device memory can only be checked for where it is.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "driver/core/hw_queue.hpp"
#include "driver/core/memory_manager.hpp"

namespace hl {

// The engine registers a CB has written so far (offset in the engine block -> value).
using EngineRegs = std::map<uint32_t, uint32_t>;

// "" if the launch may go ahead, else why not.
std::string check_engine_launch(const QueueDesc& q, const MemoryManager& mem, const EngineRegs& regs,
                                uint32_t launch_flags);

bool is_compute_queue(const QueueDesc& q);

}  // namespace hl
