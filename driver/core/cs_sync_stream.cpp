// Sync-stream submissions (HL_CS_FLAGS_SIGNAL / HL_CS_FLAGS_WAIT): the driver writes the CB.
// Each external queue owns two sync objects of the W_S manager's driver range (128 + 2q and
// 129 + 2q, below GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT) and one monitor (64 + q, below
// GAUDI_FIRST_AVAILABLE_W_S_MONITOR). A SIGNAL adds 1 to the stream's object once every
// earlier job of the stream is done (engine barrier); a WAIT arms its queue's monitor on
// the signal's object and value, with the payload feeding its own fence, then FENCEs.
// The objects and monitors are the driver's, which user transactions cannot touch: the
// driver writes them with MSG_PROT, which the trusted CPs of the external queues send as
// trusted writes. Encapsulated signals open one stream object to the user's CBs while
// reserved; collective waits keep the internal queues' (untrusted) CPs out of the range.
#include <cerrno>
#include <cstring>

#include "driver/core/cs_manager.hpp"
#include "driver/core/hl_device.hpp"
#include "driver/core/memory_manager.hpp"
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
// Words of GSIM_SM_GLBL_USER_SOB_OPEN that cover the stream objects.
constexpr unsigned kStreamSobWords = (kFirstStreamSob + 2 * kStreamQueues - 1) / 32 - kFirstStreamSob / 32 + 1;

unsigned stream_sob(unsigned q, unsigned which) { return kFirstStreamSob + 2 * q + which; }

constexpr uint64_t kWsObjs = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S);

// A trusted write to a register of the W_S objects block.
packet_msg_long ws_write(uint32_t reg, uint32_t value, int eb) {
  return gaudi_pkt_msg_long(PACKET_MSG_PROT, kWsObjs + reg, value, GAUDI_PKT_MSG_OP_WRITE_VALUE, eb, 0, 1);
}

template <typename Packet>
void put_packet(std::vector<uint8_t>& cb, const Packet& p) {
  const uint8_t* b = reinterpret_cast<const uint8_t*>(&p);
  cb.insert(cb.end(), b, b + sizeof p);
}

}  // namespace

int CsManager::build_kernel_job(unsigned q, const void* packets, uint32_t size, CsJob& job, bool completion) {
  job.queue = q;
  job.kcb_size = size + (completion ? dev_.asic().end_of_cb_size() : 0);
  if (!alloc_kcb(job)) return -ENOMEM;
  std::memcpy(job.kcb, packets, size);
  job.dev_addr = dev_.asic().host_to_device(job.kcb_bus);
  job.size = job.kcb_size;
  job.slot = size;     // temporarily: where the completion packets go (see commit())
  job.done = false;    // temporarily: no engine barrier on the completion
  job.needs_completion = completion;  // external queue: the driver appends its completion packets
  return 0;
}

static bool sync_stream_queue(const std::vector<HwQueue>& qs, unsigned q) {
  return q < kStreamQueues && q < qs.size() && qs[q].desc.type == QueueType::external;
}

uint32_t CsManager::stream_take(unsigned q, uint32_t count, uint32_t* sob) {
  if (sync_streams_.size() != queues_.size()) sync_streams_.assign(queues_.size(), SyncStream{});
  SyncStream& ss = sync_streams_[q];
  // Sync objects count to 0x7FFF: near the top the stream moves to its other object, reset to
  // 0 first. Every signal on that one has completed by then (the queue holds far fewer).
  if (ss.value + count > GAUDI_SM_SOB_VAL_MASK) {
    ss = SyncStream{ss.which ^ 1u, 0};
    dev_.wreg(GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(stream_sob(q, ss.which)), 0);
  }
  *sob = stream_sob(q, ss.which);
  uint32_t before = ss.value;
  ss.value += count;
  return before;
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
  const SyncStream saved = sync_streams_[q];
  uint32_t sob;
  uint32_t before = stream_take(q, 1, &sob);
  packet_msg_long p = ws_write(GAUDI_SM_SOB_OBJ(sob), gaudi_msg_short_sob_value(1, true), /*eb*/ 1);
  auto cs = std::make_unique<CommandSubmission>();
  cs->type = CsType::signal;
  cs->sob = sob;
  cs->sob_value = before + 1;
  auto job = std::make_unique<CsJob>();
  int64_t seq = build_kernel_job(q, &p, sizeof p, *job);
  if (seq == 0) {
    cs->jobs.push_back(std::move(job));
    seq = commit(std::move(cs), 1, flags, timeout_s);
  }
  if (seq < 0) {
    sync_streams_[q] = saved;  // the value was never signalled
    return seq;
  }
  out->sob_offset = GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(sob);
  out->value = before + 1;
  out->before = before;
  return seq;
}

// Encapsulated signals: `count` signals of queue q's sync stream set aside for the user's own
// CBs, which increment the stream's object themselves (Linux hands out that object's address,
// sob_base_addr_offset). The W_S manager refuses user writes to the driver's range, so the
// driver opens that object to users while a reservation holds it, and closes it again at
// unreserve and when the context ends.
int CsManager::reserve_signals(int fd, unsigned q, uint32_t count, uint32_t* handle, SignalInfo* out) {
  if (int rc = admit(fd)) return rc;
  if (!sync_stream_queue(queues_, q) || count == 0 || count >= GAUDI_SM_SOB_VAL_MASK) {
    dev_.log(os::LogLevel::error, "signal reservation refused: queue " + std::to_string(q) + ", count " + std::to_string(count));
    return -EINVAL;
  }
  EncapsReservation r;
  r.queue = q;
  r.count = count;
  r.first_value = stream_take(q, count, &r.sob) + 1;
  *handle = next_encaps_++;
  encaps_[*handle] = r;
  open_reserved_sobs();
  out->sob_offset = GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(r.sob);
  out->before = r.first_value - 1;
  out->value = r.first_value - 1 + count;
  return 0;
}

// Only the stream's latest reservation can be given back (Linux: else the object's value
// would be out of sync with what the stream expects).
int CsManager::unreserve_signals(int fd, uint32_t handle) {
  if (int rc = admit(fd)) return rc;
  auto it = encaps_.find(handle);
  if (it == encaps_.end()) return -EINVAL;
  const EncapsReservation& r = it->second;
  SyncStream& ss = sync_streams_[r.queue];
  if (stream_sob(r.queue, ss.which) != r.sob || ss.value != r.first_value - 1 + r.count) {
    dev_.log(os::LogLevel::error, "cannot unreserve signals of handle " + std::to_string(handle) +
                                      ": the stream signalled since (its object is out of sync)");
    return -EINVAL;
  }
  ss.value -= r.count;
  encaps_.erase(it);
  open_reserved_sobs();
  return 0;
}

// The W_S manager lets user transactions touch its driver range only where the driver opens
// it (GSIM_SM_GLBL_USER_SOB_OPEN): exactly the stream objects that hold reserved signals.
void CsManager::open_reserved_sobs() {
  uint32_t open[kStreamSobWords] = {};
  for (const auto& kv : encaps_) {
    unsigned w = kv.second.sob / 32 - kFirstStreamSob / 32;
    open[w] |= 1u << (kv.second.sob % 32);
  }
  for (unsigned w = 0; w < kStreamSobWords; ++w)
    dev_.wreg(GAUDI_BLK_SYNC_MNGR_GLBL_W_S + GSIM_SM_GLBL_USER_SOB_OPEN(kFirstStreamSob / 32 + w), open[w]);
}

void CsManager::end_context() {
  encaps_.clear();
  open_reserved_sobs();
}

int CsManager::resolve_signal(const hl_cs_chunk& c, uint32_t flags, AwaitedSignal* out, std::string* why) {
  out->done = false;
  if (flags & HL_CS_FLAGS_ENCAP_SIGNALS) {
    const EncapsReservation* res = nullptr;
    for (const auto& kv : encaps_)
      if (kv.second.cs_seq && kv.second.cs_seq == c.encaps_signal_seq) res = &kv.second;
    if (!res) return *why = "CS " + std::to_string(c.encaps_signal_seq) + " carries no encapsulated signals", -EINVAL;
    if (c.encaps_signal_offset > res->count)
      return *why = "signal offset " + std::to_string(c.encaps_signal_offset) + " is past the reservation", -EINVAL;
    out->sob = res->sob;  // offset 1 is the first reserved signal; 0 waits for the next one
    out->target = res->first_value + (c.encaps_signal_offset ? c.encaps_signal_offset - 1 : 0);
    auto it = cs_.find(res->cs_seq);
    const CommandSubmission* carrier = it == cs_.end() ? nullptr : it->second.get();
    if (carrier && (carrier->state == CsState::aborted || carrier->state == CsState::timed_out))
      return *why = "CS " + std::to_string(res->cs_seq) + " failed and will never signal", -EINVAL;
    out->done = !carrier || carrier->state == CsState::completed;
    return 0;
  }
  if (c.num_signal_seq_arr != 1) return *why = "it must name exactly one signal CS", -EINVAL;
  uint64_t sig_seq = 0;
  if (copy_from_user(&sig_seq, reinterpret_cast<const void*>(uintptr_t(c.signal_seq_arr)), sizeof sig_seq))
    return *why = "the signal sequence array is not readable", -EFAULT;
  if (sig_seq == 0 || sig_seq > last_seq_) return *why = "signal CS " + std::to_string(sig_seq) + " does not exist", -EINVAL;
  auto it = cs_.find(sig_seq);
  const CommandSubmission* sig = it == cs_.end() ? nullptr : it->second.get();  // null: long completed
  if (sig && sig->type != CsType::signal) return *why = "CS " + std::to_string(sig_seq) + " is not a signal CS", -EINVAL;
  if (sig && (sig->state == CsState::aborted || sig->state == CsState::timed_out))
    return *why = "signal CS " + std::to_string(sig_seq) + " failed and will never signal", -EINVAL;
  out->done = !sig || sig->state == CsState::completed;
  if (sig) out->sob = sig->sob, out->target = sig->sob_value;
  return 0;
}

// Trusted writes that arm W_S monitor `mon` on `sob` >= `target`, its payload adding 1 to
// fence kFenceId of queue w's stream.
void CsManager::append_arm(std::vector<uint8_t>& cb, const HwQueue& w, unsigned mon, uint32_t sob, uint32_t target) {
  uint64_t fence = GAUDI_CFG_BASE + w.desc.qman_block + GAUDI_QM_CP_FENCE_RDATA(kFenceId, w.desc.stream);
  uint32_t mask = 0xFFu & ~(1u << (sob % GAUDI_SM_SOBS_PER_MONITOR));  // a cleared bit watches
  uint32_t arm = gaudi_msg_short_mon_arm_value(sob / GAUDI_SM_SOBS_PER_MONITOR, mask, GAUDI_MON_MODE_GREATER_EQUAL, target);
  put_packet(cb, ws_write(GAUDI_SM_MON_PAY_ADDRL(mon), uint32_t(fence), 0));
  put_packet(cb, ws_write(GAUDI_SM_MON_PAY_ADDRH(mon), uint32_t(fence >> 32), 0));
  put_packet(cb, ws_write(GAUDI_SM_MON_PAY_DATA(mon), 1, 0));
  put_packet(cb, ws_write(GAUDI_SM_MON_ARM(mon), arm, 0));
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
  AwaitedSignal sig;
  std::string why;
  if (int rc = resolve_signal(c, flags, &sig, &why)) return reject(rc, why);
  std::vector<uint8_t> cb;
  if (sig.done) {  // nothing to wait for; the job still keeps the queue's order
    packet_nop nop = gaudi_pkt_nop();
    cb.assign(reinterpret_cast<uint8_t*>(&nop), reinterpret_cast<uint8_t*>(&nop) + sizeof nop);
  } else {
    append_arm(cb, queues_[q], kFirstStreamMon + q, sig.sob, sig.target);
    put_packet(cb, gaudi_pkt_fence(kFenceId, 1, 1, 0));
  }
  auto cs = std::make_unique<CommandSubmission>();
  cs->type = CsType::wait;
  auto job = std::make_unique<CsJob>();
  if (int rc = build_kernel_job(q, cb.data(), uint32_t(cb.size()), *job)) return rc;
  cs->jobs.push_back(std::move(job));
  return commit(std::move(cs), 1, flags, timeout_s);
}

// Collective wait (Linux: the external queue is the master, the NIC queues of its stream and
// the reduction engine's are the slaves). The master's trusted CB arms one driver monitor per
// slave (stream * 11 + slave, below 64) on the signal, paying into that slave's fence; each
// slave fences on it, then adds 1 to the master's fence counter (a user register), and the
// master fences until every slave did. Linux's slaves arm their own monitors and signal a
// collective sync object; here the internal queues' CPs, which are not trusted, never touch
// the driver's W_S range.
int64_t CsManager::submit_collective_wait(int fd, const hl_cs_chunk* chunks, uint32_t n, uint32_t flags,
                                          uint32_t timeout_s) {
  if (int rc = admit(fd)) return rc;
  auto reject = [&](int rc, const std::string& why) {
    drop(&CsCounters::rejected);
    dev_.log(os::LogLevel::error, "COLLECTIVE WAIT CS rejected: " + why);
    return rc;
  };
  if (n != 1) return reject(-EINVAL, "it must have exactly one chunk");
  const hl_cs_chunk& c = chunks[0];
  const unsigned q = c.queue_index;
  if (!sync_stream_queue(queues_, q)) return reject(-EINVAL, "queue " + std::to_string(q) + " is not a collective master");
  const unsigned stream = q % GAUDI_QMAN_STREAMS;
  unsigned reduction;
  if (c.collective_engine_id == GAUDI_ENGINE_ID_DMA_5) reduction = GAUDI_QUEUE_ID_DMA_5_0 + stream;
  else if (c.collective_engine_id == GAUDI_ENGINE_ID_TPC_7) reduction = GAUDI_QUEUE_ID_TPC_7_0 + stream;
  else return reject(-EINVAL, "engine " + std::to_string(c.collective_engine_id) + " is not a reduction engine (DMA_5, TPC_7)");
  std::vector<unsigned> slaves;
  for (unsigned e = 0; e < 10; ++e) {
    unsigned id = GAUDI_QUEUE_ID_NIC_0_0 + 4 * e + stream;
    if (id < queues_.size() && queues_[id].usable()) slaves.push_back(id);
  }
  if (reduction >= queues_.size() || !queues_[reduction].usable())
    return reject(-EINVAL, "the reduction engine's queue is not on this card");
  slaves.push_back(reduction);
  AwaitedSignal sig;
  std::string why;
  if (int rc = resolve_signal(c, flags, &sig, &why)) return reject(rc, why);

  const HwQueue& master = queues_[q];
  const uint64_t master_fence = GAUDI_CFG_BASE + master.desc.qman_block + GAUDI_QM_CP_FENCE_RDATA(kFenceId, master.desc.stream);
  auto cs = std::make_unique<CommandSubmission>();
  cs->type = CsType::wait;
  auto fail = [&](int rc) {
    for (auto& j : cs->jobs) release_job(*j);
    return rc;
  };
  std::vector<uint8_t> mcb;
  for (size_t i = 0; i < slaves.size(); ++i) {
    std::vector<uint8_t> cb;
    if (!sig.done) {
      append_arm(mcb, queues_[slaves[i]], stream * 11 + unsigned(i), sig.sob, sig.target);
      put_packet(cb, gaudi_pkt_fence(kFenceId, 1, 1, 0));
    }
    put_packet(cb, gaudi_pkt_msg_long(PACKET_MSG_LONG, master_fence, 1, GAUDI_PKT_MSG_OP_WRITE_VALUE, /*eb*/ 1, 0, 1));
    auto job = std::make_unique<CsJob>();
    if (int rc = build_kernel_job(slaves[i], cb.data(), uint32_t(cb.size()), *job, /*completion*/ false)) return fail(rc);
    cs->jobs.push_back(std::move(job));
  }
  const uint32_t all = uint32_t(slaves.size());
  put_packet(mcb, gaudi_pkt_fence(kFenceId, all, all, 0));
  auto job = std::make_unique<CsJob>();
  if (int rc = build_kernel_job(q, mcb.data(), uint32_t(mcb.size()), *job)) return fail(rc);
  cs->jobs.push_back(std::move(job));
  return commit(std::move(cs), 1, flags, timeout_s);
}

}  // namespace hl
