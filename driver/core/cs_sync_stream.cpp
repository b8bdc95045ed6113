// Sync-stream submissions (HL_CS_FLAGS_SIGNAL / HL_CS_FLAGS_WAIT): the driver writes the CB.
// Each external queue owns two sync objects of the W_S manager's driver range (128 + 2q and
// 129 + 2q, below GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT) and one monitor (64 + q, below
// GAUDI_FIRST_AVAILABLE_W_S_MONITOR). A SIGNAL adds 1 to the stream's object once every
// earlier job of the stream is done (engine barrier); a WAIT arms its queue's monitor on
// the signal's object and value, with the payload feeding its own fence, then FENCEs.
// The objects and monitors are the driver's, which user transactions cannot touch: the
// driver writes them with MSG_PROT, which the trusted CPs of the external queues send as
// trusted writes.
#include <cerrno>
#include <cstring>

#include "driver/core/cs_manager.hpp"
#include "driver/core/hl_device.hpp"
#include "driver/core/user_access.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"

namespace hl {

namespace {

constexpr unsigned kFirstStreamSob = 128;  // after the collective-wait objects
constexpr unsigned kFirstStreamMon = 64;   // after the collective-wait monitors
constexpr unsigned kStreamQueues = 8;      // DMA_0_* and DMA_1_*
constexpr uint32_t kFenceId = 2;           // the CP fence the driver keeps for sync streams

unsigned stream_sob(unsigned q, unsigned which) { return kFirstStreamSob + 2 * q + which; }

constexpr uint64_t kWsObjs = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S);

// A trusted write to a register of the W_S objects block.
packet_msg_long ws_write(uint32_t reg, uint32_t value, int eb) {
  return gaudi_pkt_msg_long(PACKET_MSG_PROT, kWsObjs + reg, value, GAUDI_PKT_MSG_OP_WRITE_VALUE, eb, 0, 1);
}

}  // namespace

int CsManager::build_kernel_job(unsigned q, const void* packets, uint32_t size, CsJob& job) {
  job.queue = q;
  job.kcb_size = size + dev_.asic().end_of_cb_size();
  job.kcb = static_cast<uint8_t*>(dev_.os().dma_alloc_coherent(job.kcb_size, &job.kcb_bus));
  if (!job.kcb) return -ENOMEM;
  std::memcpy(job.kcb, packets, size);
  job.dev_addr = dev_.asic().host_to_device(job.kcb_bus);
  job.size = job.kcb_size;
  job.slot = size;     // temporarily: where the completion packets go (see commit())
  job.done = false;    // temporarily: no engine barrier on the completion
  job.needs_completion = true;  // external queue: the driver appends its completion packets
  return 0;
}

static bool sync_stream_queue(const std::vector<HwQueue>& qs, unsigned q) {
  return q < kStreamQueues && q < qs.size() && qs[q].desc.type == QueueType::external;
}

int64_t CsManager::submit_signal(int fd, const hl_cs_chunk& c, uint32_t flags, uint32_t timeout_s, SignalInfo* out) {
  if (int rc = admit(fd)) return rc;
  unsigned q = c.queue_index;
  if (!sync_stream_queue(queues_, q)) {
    drop(&CsCounters::rejected);
    dev_.log(os::LogLevel::error, "SIGNAL CS on queue " + std::to_string(q) + ": only external queues have a sync stream");
    return -EINVAL;
  }
  if (sync_streams_.size() != queues_.size()) sync_streams_.assign(queues_.size(), SyncStream{});
  SyncStream& ss = sync_streams_[q];
  // Sync objects count to 0x7FFF: at the top the stream moves to its other object and sets
  // it to 1. Every signal on the old one has completed by then (the queue holds far fewer).
  bool wrap = ss.value >= GAUDI_SM_SOB_VAL_MASK;
  unsigned which = wrap ? ss.which ^ 1u : ss.which;
  uint32_t value = wrap ? 1 : ss.value + 1;
  uint32_t sob = stream_sob(q, which);
  packet_msg_long p = ws_write(GAUDI_SM_SOB_OBJ(sob), gaudi_msg_short_sob_value(1, !wrap), /*eb*/ 1);
  auto cs = std::make_unique<CommandSubmission>();
  cs->type = CsType::signal;
  cs->sob = sob;
  cs->sob_value = value;
  auto job = std::make_unique<CsJob>();
  if (int rc = build_kernel_job(q, &p, sizeof p, *job)) return rc;
  cs->jobs.push_back(std::move(job));
  int64_t seq = commit(std::move(cs), 1, flags, timeout_s);
  if (seq < 0) return seq;
  ss = SyncStream{which, value};
  out->sob_offset = GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(sob);
  out->value = value;
  return seq;
}

int64_t CsManager::submit_wait(int fd, const hl_cs_chunk& c, uint32_t flags, uint32_t timeout_s) {
  if (int rc = admit(fd)) return rc;
  unsigned q = c.queue_index;
  auto reject = [&](int rc, const std::string& why) {
    drop(&CsCounters::rejected);
    dev_.log(os::LogLevel::error, "WAIT CS rejected: " + why);
    return rc;
  };
  if (!sync_stream_queue(queues_, q)) return reject(-EINVAL, "queue " + std::to_string(q) + " has no sync stream");
  if (c.num_signal_seq_arr != 1) return reject(-EINVAL, "it must name exactly one signal CS");
  uint64_t sig_seq = 0;
  if (copy_from_user(&sig_seq, reinterpret_cast<const void*>(uintptr_t(c.signal_seq_arr)), sizeof sig_seq))
    return reject(-EFAULT, "the signal sequence array is not readable");
  if (sig_seq == 0 || sig_seq > last_seq_) return reject(-EINVAL, "signal CS " + std::to_string(sig_seq) + " does not exist");
  auto it = cs_.find(sig_seq);
  const CommandSubmission* sig = it == cs_.end() ? nullptr : it->second.get();  // null: long completed
  if (sig && sig->type != CsType::signal) return reject(-EINVAL, "CS " + std::to_string(sig_seq) + " is not a signal CS");
  if (sig && (sig->state == CsState::aborted || sig->state == CsState::timed_out))
    return reject(-EINVAL, "signal CS " + std::to_string(sig_seq) + " failed and will never signal");

  std::vector<uint8_t> cb;
  auto put = [&cb](const auto& pkt) {
    const uint8_t* b = reinterpret_cast<const uint8_t*>(&pkt);
    cb.insert(cb.end(), b, b + sizeof pkt);
  };
  if (!sig || sig->state == CsState::completed) {
    put(gaudi_pkt_nop());  // nothing to wait for; the job still keeps the queue's order
  } else {
    const HwQueue& w = queues_[q];
    uint64_t fence = GAUDI_CFG_BASE + w.desc.qman_block + GAUDI_QM_CP_FENCE_RDATA(kFenceId, w.desc.stream);
    unsigned mon = kFirstStreamMon + q;
    put(ws_write(GAUDI_SM_MON_PAY_ADDRL(mon), uint32_t(fence), 0));
    put(ws_write(GAUDI_SM_MON_PAY_ADDRH(mon), uint32_t(fence >> 32), 0));
    put(ws_write(GAUDI_SM_MON_PAY_DATA(mon), 1, 0));
    uint32_t mask = 0xFFu & ~(1u << (sig->sob % GAUDI_SM_SOBS_PER_MONITOR));  // a cleared bit watches
    uint32_t arm = gaudi_msg_short_mon_arm_value(sig->sob / GAUDI_SM_SOBS_PER_MONITOR, mask,
                                                 GAUDI_MON_MODE_GREATER_EQUAL, sig->sob_value);
    put(ws_write(GAUDI_SM_MON_ARM(mon), arm, 0));
    put(gaudi_pkt_fence(kFenceId, 1, 1, 0));
  }
  auto cs = std::make_unique<CommandSubmission>();
  cs->type = CsType::wait;
  auto job = std::make_unique<CsJob>();
  if (int rc = build_kernel_job(q, cb.data(), uint32_t(cb.size()), *job)) return rc;
  cs->jobs.push_back(std::move(job));
  return commit(std::move(cs), 1, flags, timeout_s);
}

}  // namespace hl
