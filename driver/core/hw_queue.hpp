// A hardware queue as the driver keeps it: the primary-queue ring the device fetches from,
// for external queues the completion-queue ring it writes back to, and which job sits in
// which slot.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace hl {

struct CsJob;

enum class QueueType { none, external, internal, cpu };

struct QueueDesc {
  QueueType type = QueueType::none;
  uint32_t qman_block = 0;  // offset from CFG_BASE
  unsigned stream = 0;
  unsigned length = 0;      // PQ entries
  // e.g. DMA_0_2: held in place (a string was 32 bytes of each of a device's 113 queues).
  char name[12] = "";
  // Registers a user CB may write with WREG_32/WREG_BULK: offsets inside the engine's
  // 64 KiB window (the engine core; never the QMAN or other privileged blocks).
  uint32_t user_reg_lo = 0, user_reg_hi = 0;
};

struct HwQueue {
  unsigned id = 0;
  QueueDesc desc;
  uint8_t* pq = nullptr;    // ring of 16-byte entries, host memory
  uint64_t pq_bus = 0;
  uint32_t pi = 0;          // producer index, counts modulo 2 * length
  uint32_t used = 0;        // slots holding jobs not yet completed
  uint32_t* cq = nullptr;   // external queues: 4-byte completion entries
  uint64_t cq_bus = 0;
  uint32_t cq_ci = 0;
  // The job of each slot, grown with the slots used: slots are taken in order from 0, and a
  // ring of thousands of entries usually sees a handful of jobs (a full-length table per
  // queue was 32 KiB of zeroed heap for each queue a program touched).
  std::vector<CsJob*> shadow;
  // External queues: slots whose job has no completion packets (a staged part before the
  // last): their completion entry never comes, so the consumer steps over them. (Bytes:
  // a std::vector<bool> is 16 bytes larger, in every queue.)
  std::vector<uint8_t> silent;

  bool usable() const { return desc.type == QueueType::external || desc.type == QueueType::internal; }
  CsJob* job_at(uint32_t slot) const { return slot < shadow.size() ? shadow[slot] : nullptr; }
  void set_job(uint32_t slot, CsJob* j) {
    if (slot >= shadow.size())
      shadow.resize(std::min<size_t>(desc.length, std::max<size_t>(slot + 1, 2 * shadow.size())), nullptr);
    shadow[slot] = j;
  }
  uint32_t free_slots() const { return desc.length - used; }
};

}  // namespace hl
