// What the CS parser checks when a CB launches a TPC kernel or an MME GEMM, standing in for
// the device MMU gaudisim does not model: the completion write goes to a sync object or to
// memory the context may reach (device memory, its mapped host buffers), and so do the
// descriptor and, when the driver can read the descriptor (a mapped host buffer), every
// tensor it names. The sync manager itself refuses the driver's objects.
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
