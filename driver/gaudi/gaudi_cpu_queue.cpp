// Driver -> firmware messages on the CPU queue: a ring of 16-byte entries in host memory,
// each pointing at a message the firmware answers in place (result, return code, fence).
// One message is in flight at a time, as the Linux driver does for its cpucp packets.
#include <cerrno>
#include <cstring>

#include "driver/core/hl_device.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/sim_blocks.h"

namespace hl {

namespace {
constexpr uint64_t kMsgTimeoutNs = 10'000'000;  // firmware answers in microseconds
constexpr uint64_t kMsgPollNs = 1000;
constexpr uint32_t kEventPiUpdate = GAUDI_EVENT_PI_UPDATE;
}  // namespace

int GaudiAsic::alloc_cpu_queue(HlDevice& d) {
  cpu_lock_ = d.os().make_mutex();
  cpu_pq_ = static_cast<uint8_t*>(d.os().dma_alloc_coherent(kCpuPqEntries * GAUDI_PQ_ENTRY_SIZE, &cpu_pq_bus_));
  cpu_msg_ = static_cast<uint8_t*>(d.os().dma_alloc_coherent(GSIM_CPU_MSG_SIZE, &cpu_msg_bus_));
  return cpu_pq_ && cpu_msg_ ? 0 : -ENOMEM;
}

void GaudiAsic::program_cpu_queue(HlDevice& d) {
  uint64_t pq = host_to_device(cpu_pq_bus_);
  cpu_pi_ = 0;
  d.wreg(mmCPU_IF_PQ_BASE_ADDR_LOW, uint32_t(pq));
  d.wreg(mmCPU_IF_PQ_BASE_ADDR_HIGH, uint32_t(pq >> 32));
  d.wreg(mmCPU_IF_PQ_LENGTH, kCpuPqEntries * GAUDI_PQ_ENTRY_SIZE);
}

int GaudiAsic::send_cpu_message(HlDevice& d, uint32_t opcode, uint32_t index, uint64_t* value) {
  if (!cpu_msg_) return -ENODEV;
  os::LockGuard g(*cpu_lock_);
  std::memset(cpu_msg_, 0, GSIM_CPU_MSG_SIZE);
  uint32_t ctl = opcode << GSIM_CPU_MSG_OPCODE_SHIFT;
  std::memcpy(cpu_msg_ + GSIM_CPU_MSG_VALUE, value, 8);
  std::memcpy(cpu_msg_ + GSIM_CPU_MSG_CTL, &ctl, 4);
  std::memcpy(cpu_msg_ + GSIM_CPU_MSG_INDEX, &index, 4);
  gaudi_qman_pq_entry e{};
  e.ptr = host_to_device(cpu_msg_bus_);
  e.len = GSIM_CPU_MSG_SIZE;
  std::memcpy(cpu_pq_ + (cpu_pi_ % kCpuPqEntries) * GAUDI_PQ_ENTRY_SIZE, &e, sizeof e);
  cpu_pi_ = (cpu_pi_ + 1) % (2 * kCpuPqEntries);
  d.wreg(mmCPU_IF_PF_PQ_PI, cpu_pi_);
  d.wreg(mmGIC_DISTRIBUTOR__5_GICD_SETSPI_NSR, kEventPiUpdate);
  uint64_t deadline = d.os().now_ns() + kMsgTimeoutNs;
  for (;;) {
    uint32_t fence;
    std::memcpy(&fence, cpu_msg_ + GSIM_CPU_MSG_FENCE, 4);
    if (fence == GSIM_CPU_FENCE_DONE) break;
    if (d.os().now_ns() >= deadline) {
      d.log(os::LogLevel::error, "firmware did not answer message 0x" + std::to_string(opcode));
      return -ETIMEDOUT;
    }
    d.os().sleep_ns(kMsgPollNs);
  }
  std::memcpy(&ctl, cpu_msg_ + GSIM_CPU_MSG_CTL, 4);
  std::memcpy(value, cpu_msg_ + GSIM_CPU_MSG_VALUE, 8);
  uint32_t rc = (ctl & GSIM_CPU_MSG_RC_MASK) >> GSIM_CPU_MSG_RC_SHIFT;
  if (rc == GSIM_CPU_RC_OK) return 0;
  // A public CPU-CP packet the firmware refuses is -EIO whatever the reason, as on Linux.
  bool own = opcode >= GSIM_CPU_OP_FIRST_OWN || opcode == GSIM_CPU_OP_NOP;
  return own && rc == GSIM_CPU_RC_BAD_OPCODE ? -EINVAL : -EIO;
}

// The firmware answers a NOP only if it is alive: the heartbeat the Linux driver sends.
int GaudiAsic::heartbeat(HlDevice& d) {
  uint64_t value = 0;
  return send_cpu_message(d, GSIM_CPU_OP_NOP, 0, &value);
}

}  // namespace hl
