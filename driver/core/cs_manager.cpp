#include "driver/core/cs_manager.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "driver/core/cs_parser.hpp"
#include "driver/core/hl_device.hpp"
#include "driver/core/memory_manager.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"

namespace hl {


CsManager::CsManager(HlDevice& dev)
    : dev_(dev),
      kcbs_(dev.os(), dev.params().kernel_cb_slot_bytes, dev.params().kernel_cb_block_bytes),
      done_wq_(dev.os().make_wait_queue()),
      tdr_wq_(dev.os().make_wait_queue()) {}

CsManager::~CsManager() {
  for (auto& kv : cs_)
    for (auto& j : kv.second->jobs) release_job(*j);
}

bool CsManager::alloc_kcb(CsJob& job) {
  job.kcb = kcbs_.take(job.kcb_size, &job.kcb_bus);
  job.kcb_pooled = job.kcb != nullptr;
  if (!job.kcb) job.kcb = static_cast<uint8_t*>(dev_.os().dma_alloc_coherent(job.kcb_size, &job.kcb_bus));
  return job.kcb != nullptr;
}

void CsManager::release_job(CsJob& job) {
  if (job.kcb && job.kcb_pooled)
    kcbs_.give(job.kcb, job.kcb_bus);
  else if (job.kcb)
    dev_.os().dma_free_coherent(job.kcb, job.kcb_size, job.kcb_bus);
  job.kcb = nullptr;
  if (job.user_cb) dev_.cbs().put(*job.user_cb);
  job.user_cb = nullptr;
}

int CsManager::build_job(int fd, MemoryManager& mem, const hl_cs_chunk& c, CsJob& job, bool completion,
                         std::string* why) {
  if (c.queue_index >= queues_.size() || !queues_[c.queue_index].usable()) {
    *why = "queue " + std::to_string(c.queue_index) + " does not exist on this card or is not for users";
    return -EINVAL;
  }
  HwQueue& q = queues_[c.queue_index];
  job.queue = c.queue_index;
  if (c.cb_size == 0) {
    *why = std::string("job on ") + q.desc.name + " has an empty CB";
    return -EINVAL;
  }
  // Where the CB is: a CB handle (the usual case, any queue), or a device address of the
  // user's memory (HL_CS_CHUNK_FLAGS_USER_ALLOC_CB; internal queues only).
  bool is_handle = (c.cb_handle & HL_MMAP_TYPE_MASK) == HL_MMAP_TYPE_CB;
  const uint8_t* bytes = nullptr;
  std::vector<uint8_t> user_copy;
  if (is_handle) {
    CommandBuffer* cb = dev_.cbs().find(c.cb_handle, fd);
    if (!cb) {
      *why = std::string("job on ") + q.desc.name + " names an unknown CB handle";
      return -EINVAL;
    }
    if (c.cb_size > cb->size) {
      *why = std::string("job on ") + q.desc.name + ": cb_size " + std::to_string(c.cb_size) + " exceeds the CB";
      return -EINVAL;
    }
    bytes = cb->cpu;
    job.user_cb = cb;
    dev_.cbs().get(*cb);
  } else {
    if (q.desc.type == QueueType::external || !mem.device_memory(c.cb_handle, c.cb_size)) {
      *why = std::string("CB of ") + q.desc.name + " at a device address is " +
             (q.desc.type == QueueType::external ? "not allowed on an external queue" : "outside the memory the context may reach");
      return -EINVAL;
    }
    // The CB is read once, through copy_from_user: its pages may be gone (unmapped after
    // MEMORY MAP), and the program may change it while the parser looks.
    user_copy.resize(c.cb_size);
    int rc = mem.read_host(c.cb_handle, user_copy.data(), c.cb_size);
    if (rc == -EFAULT) {
      *why = std::string("CB of ") + q.desc.name + " lies in a mapped host buffer whose pages are gone";
      return -EFAULT;
    }
    bytes = rc == 0 ? user_copy.data() : nullptr;
    if (!bytes) {
      // A CB in device memory: the driver cannot read it cheaply, so it runs unchecked and
      // the hardware reports what it cannot execute (docs/uapi.md).
      job.dev_addr = c.cb_handle;
      job.size = c.cb_size;
      return 0;
    }
  }
  ParseResult pr = parse_user_cb(bytes, c.cb_size, q.desc, mem);
  if (!pr.ok) {
    last_reject_parsing_ = true;
    *why = std::string("CB on ") + q.desc.name + " rejected: " + pr.error;
    return pr.err;
  }
  // The checked copy is what the device runs: later user writes to the CB cannot change it.
  // External jobs also get the driver's completion packets.
  bool external = q.desc.type == QueueType::external && completion;
  job.kcb_size = c.cb_size + (external ? dev_.asic().end_of_cb_size() : 0);
  if (!alloc_kcb(job)) return -ENOMEM;
  std::memcpy(job.kcb, bytes, c.cb_size);
  job.dev_addr = dev_.asic().host_to_device(job.kcb_bus);
  job.size = job.kcb_size;
  job.slot = external ? c.cb_size : 0;  // temporarily: where the completion packets go
  job.done = external && pr.has_dma;     // temporarily: whether they need an engine barrier
  job.needs_completion = external;
  return 0;
}

int CsManager::admit(int fd) {
  if (fd != ctx_fd_) {  // a new compute context: its counters and restore state start afresh
    ctx_fd_ = fd;
    ctx_counters_ = CsCounters{};
    restored_ = false;
    end_context();      // reservations and outcomes belong to the context
    outcomes_.clear();
  }
  if (dev_.status() == DeviceStatus::operational) return 0;
  drop(&CsCounters::in_reset);
  return dev_.status() == DeviceStatus::in_reset ? -EBUSY : -ENODEV;
}

void CsManager::drop(uint64_t CsCounters::*cause) {
  ++(counters_.*cause);
  ++(ctx_counters_.*cause);
}

int64_t CsManager::submit(int fd, MemoryManager& mem, const CsRequest& r, SignalInfo* encaps_out) {
  if (int rc = admit(fd)) return rc;
  const uint32_t flags = r.flags;
  const uint32_t supported = HL_CS_FLAGS_FORCE_RESTORE | HL_CS_FLAGS_TIMESTAMP | HL_CS_FLAGS_CUSTOM_TIMEOUT |
                             HL_CS_FLAGS_STAGED_SUBMISSION | HL_CS_FLAGS_STAGED_SUBMISSION_FIRST |
                             HL_CS_FLAGS_STAGED_SUBMISSION_LAST | HL_CS_FLAGS_ENCAP_SIGNALS |
                             HL_CS_FLAGS_SKIP_RESET_ON_TIMEOUT;
  if (flags & ~supported) {
    dev_.log(os::LogLevel::warn, "CS flags 0x" + std::to_string(flags) + " include a submission type gaudisim does not model");
    return -EINVAL;
  }
  if (r.n_exec == 0 || r.n_exec > HL_MAX_JOBS_PER_CS || r.n_restore > HL_MAX_JOBS_PER_CS) return -EINVAL;
  const bool staged = flags & HL_CS_FLAGS_STAGED_SUBMISSION;
  const bool first = staged && (flags & HL_CS_FLAGS_STAGED_SUBMISSION_FIRST);
  const bool last = staged && (flags & HL_CS_FLAGS_STAGED_SUBMISSION_LAST);
  const bool completion = !staged || last;
  if (staged && !first && !staged_first(r.staged_seq)) {
    dev_.log(os::LogLevel::error, "CS rejected: staged submission " + std::to_string(r.staged_seq) +
                                      " is not in flight or already has its last part");
    return -EINVAL;
  }
  EncapsReservation* encaps = nullptr;
  if (first && (flags & HL_CS_FLAGS_ENCAP_SIGNALS)) {
    auto it = encaps_.find(r.encaps_handle);
    if (it == encaps_.end() || it->second.cs_seq) {
      dev_.log(os::LogLevel::error, "CS rejected: no free reservation of encapsulated signals with handle " +
                                        std::to_string(r.encaps_handle));
      return -EINVAL;
    }
    encaps = &it->second;
  }

  auto cs = std::make_unique<CommandSubmission>();
  std::vector<const hl_cs_chunk*> chunks;
  bool run_restore = !restored_ || (flags & HL_CS_FLAGS_FORCE_RESTORE);
  if (run_restore)
    for (uint32_t i = 0; i < r.n_restore; ++i) chunks.push_back(&r.restore[i]);
  for (uint32_t i = 0; i < r.n_exec; ++i) chunks.push_back(&r.exec[i]);

  unsigned external = 0;
  for (const hl_cs_chunk* c : chunks) {
    auto job = std::make_unique<CsJob>();
    std::string why;
    last_reject_parsing_ = false;
    int rc = build_job(fd, mem, *c, *job, completion, &why);
    if (rc) {
      release_job(*job);
      for (auto& j : cs->jobs) release_job(*j);
      drop(&CsCounters::rejected);
      if (last_reject_parsing_) drop(&CsCounters::parsing);
      dev_.log(os::LogLevel::error, "CS rejected: " + why);
      return rc;
    }
    if (queues_[job->queue].desc.type == QueueType::external) ++external;
    cs->jobs.push_back(std::move(job));
  }
  // Only a CS that gets a completion needs an external job (Linux: int_queues_only).
  if (external == 0 && completion) {
    for (auto& j : cs->jobs) release_job(*j);
    drop(&CsCounters::rejected);
    dev_.log(os::LogLevel::error, "CS rejected: it has no job on an external queue, so it could never complete");
    return -EINVAL;
  }
  if (staged) {
    cs->staged_seq = first ? 0 : r.staged_seq;  // the first part's own seq is set in commit()
    cs->staged_last = last;
  }
  if (encaps) cs->encaps_handle = r.encaps_handle;
  int64_t seq = commit(std::move(cs), completion ? external : 0, flags, staged && !first ? UINT32_MAX : r.timeout_s);
  if (seq > 0 && run_restore && r.n_restore) restored_ = true;
  if (seq > 0 && encaps) {
    encaps->cs_seq = uint64_t(seq);
    encaps_out->sob_offset = GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(encaps->sob);
    encaps_out->before = encaps->first_value - 1;
  }
  return seq;
}

int64_t CsManager::commit(std::unique_ptr<CommandSubmission> cs, unsigned external, uint32_t flags, uint32_t timeout_s) {
  std::vector<unsigned> need(queues_.size(), 0);
  for (auto& j : cs->jobs) need[j->queue]++;
  for (size_t q = 0; q < queues_.size(); ++q)
    if (need[q] > queues_[q].free_slots()) {
      for (auto& j : cs->jobs) release_job(*j);
      drop(&CsCounters::queue_full);
      return -EAGAIN;
    }
  cs->seq = ++last_seq_;
  cs->pending = external;
  cs->submit_ns = dev_.os().now_ns();
  cs->timestamp = flags & HL_CS_FLAGS_TIMESTAMP;
  if ((flags & HL_CS_FLAGS_STAGED_SUBMISSION) && !cs->staged_seq) cs->staged_seq = cs->seq;  // the first part
  uint64_t timeout_ms = (flags & HL_CS_FLAGS_CUSTOM_TIMEOUT) && timeout_s ? uint64_t(timeout_s) * 1000
                                                                          : dev_.params().cs_timeout_ms;
  // A staged submission is timed from its first part only (Linux: cs_needs_timeout).
  cs->deadline_ns = timeout_s == UINT32_MAX ? UINT64_MAX : cs->submit_ns + timeout_ms * 1000000ull;
  std::vector<bool> touched(queues_.size(), false);
  for (auto& jp : cs->jobs) {
    CsJob& j = *jp;
    HwQueue& q = queues_[j.queue];
    j.cs = cs.get();
    uint32_t slot = q.pi % q.desc.length;
    if (j.needs_completion) dev_.asic().write_end_of_cb(j.kcb + j.slot, q, slot, /*eb*/ j.done);
    j.done = false;
    j.slot = slot;
    q.set_job(slot, &j);
    if (q.desc.type == QueueType::external) {
      if (q.silent.empty()) q.silent.assign(q.desc.length, false);
      q.silent[slot] = !j.needs_completion;
    }
    q.used++;
    cqs_zero_ = false;  // from here the device may write completion entries (any job may)
    dev_.asic().write_pq_entry(q, slot, j.dev_addr, j.size);
    q.pi = (q.pi + 1) % (2 * q.desc.length);
    touched[j.queue] = true;
  }
  uint64_t seq = cs->seq;
  cs_[seq] = std::move(cs);
  ++counters_.submitted;
  ++ctx_counters_.submitted;
  for (size_t q = 0; q < queues_.size(); ++q)
    if (touched[q]) dev_.asic().ring_doorbell(dev_, queues_[q]);
  kick_watchdog();
  return int64_t(seq);
}

void CsManager::finish(CommandSubmission& cs, CsState state) {
  if (cs.state != CsState::in_flight) return;
  cs.state = state;
  cs.done_ns = dev_.os().now_ns();
  if (state == CsState::completed) ++counters_.completed;
  if (state == CsState::timed_out) ++counters_.timed_out;
  if (state == CsState::aborted) ++counters_.aborted;
  if (dev_.os().tracing()) {
    static const char* const kWhat[] = {"CS", "CS", "CS timed out", "CS aborted"};
    dev_.trace_span(cs.type == CsType::normal ? "CS" : "CS sync stream", kWhat[int(state)], cs.submit_ns);
  }
  done_wq_->notify_all();
  tdr_wq_->notify_all();  // the watchdog re-plans its sleep without this CS
}

void CsManager::complete_job(CsJob& job) {
  if (job.done) return;
  job.done = true;
  HwQueue& q = queues_[job.queue];
  q.shadow[job.slot] = nullptr;
  q.used--;
  release_job(job);
  CommandSubmission& cs = *job.cs;
  // Only external jobs count towards completion (an internal one ends here only when it
  // failed: fail_job_at).
  if (q.desc.type != QueueType::external) return;
  if (cs.pending && --cs.pending == 0) {
    // Internal jobs have no completion of their own: they are done when the CS is.
    for (auto& j : cs.jobs)
      if (!j->done && queues_[j->queue].desc.type == QueueType::internal) {
        j->done = true;
        queues_[j->queue].shadow[j->slot] = nullptr;
        queues_[j->queue].used--;
      }
    finish(cs, CsState::completed);
    if (cs.staged_last) complete_staged(cs.staged_seq, cs.done_ns);
    prune();
  }
}

void CsManager::process_completions(unsigned qi) {
  if (qi >= queues_.size()) return;
  HwQueue& q = queues_[qi];
  if (q.desc.type != QueueType::external || !q.cq) return;
  for (;;) {
    uint32_t& entry = q.cq[q.cq_ci % q.desc.length];
    if (!(entry & 0x80000000u)) {  // ready bit
      if (q.silent.empty() || !q.silent[q.cq_ci % q.desc.length]) break;
      q.silent[q.cq_ci % q.desc.length] = false;  // a job without completion: no entry will come
      q.cq_ci++;
      continue;
    }
    uint32_t slot = (entry & 0xFFFu) % q.desc.length;
    entry = 0;
    q.cq_ci++;
    if (CsJob* j = q.job_at(slot)) complete_job(*j);
    else dev_.log(os::LogLevel::warn, "completion for empty slot " + std::to_string(slot) + " of " + q.desc.name);
  }
}

int CsManager::wait(uint64_t seq, uint64_t timeout_us, uint32_t* status, uint32_t* flags, int64_t* ts) {
  *flags = 0;
  *ts = 0;
  if (seq == 0 || seq > last_seq_) return -EINVAL;
  const CommandSubmission* cs = nullptr;
  CsOutcome out;
  Lookup where = lookup(seq, &cs, &out);
  // As Linux turns microseconds into jiffies: anything whose nanoseconds do not fit in 64
  // bits waits for the longest time there is, instead of wrapping to "already expired".
  uint64_t now0 = dev_.os().now_ns();
  uint64_t timeout_ns = timeout_us >= UINT64_MAX / 1000 ? UINT64_MAX : timeout_us * 1000;
  uint64_t deadline = timeout_ns > UINT64_MAX - now0 ? UINT64_MAX : now0 + timeout_ns;
  while (where == Lookup::live && cs->state == CsState::in_flight && timeout_us) {
    uint64_t now = dev_.os().now_ns();
    if (now >= deadline) break;
    // The sleep is interruptible, as wait_for_completion_interruptible_timeout is.
    if (done_wq_->wait_interruptible(deadline == UINT64_MAX ? os::kWaitForever : deadline - now) == os::WaitResult::interrupted) {
      *status = HL_WAIT_CS_STATUS_INTERRUPTED;
      dev_.log(os::LogLevel::error, "user process got a signal while waiting for CS " + std::to_string(seq));
      return -EINTR;
    }
    where = lookup(seq, &cs, &out);
  }
  if (where == Lookup::gone) {  // finished long ago and forgotten
    *status = HL_WAIT_CS_STATUS_COMPLETED;
    *flags = HL_WAIT_CS_STATUS_FLAG_GONE;
    return 0;
  }
  if (where == Lookup::outcome) return report(out.state, out.done_ns, out.timestamp, status, flags, ts);
  return report(cs->state, cs->done_ns, cs->timestamp, status, flags, ts);
}

void CsManager::abort_all(uint64_t timed_out_seq) {
  for (auto& kv : cs_) {
    CommandSubmission& cs = *kv.second;
    for (auto& j : cs.jobs)
      if (!j->done) {
        j->done = true;
        release_job(*j);
      }
    finish(cs, kv.first == timed_out_seq ? CsState::timed_out : CsState::aborted);
  }
  reset_queues();
  prune();
}

void CsManager::fail_job_at(uint32_t qman_block, unsigned stream, uint64_t addr) {
  for (HwQueue& q : queues_) {
    if (q.desc.qman_block != qman_block || q.desc.stream != stream) continue;
    // A PQ entry the stream could not read (a PCIe completion timeout: the PQ is in host
    // memory) was consumed all the same: its slot's job is the one that failed.
    const uint64_t pq_bytes = uint64_t(q.desc.length) * 16;
    const uint64_t pq = q.pq ? dev_.asic().host_to_device(q.pq_bus) : 0;
    const bool pq_entry = pq && addr >= pq && addr < pq + pq_bytes;
    const CsJob* at_entry = pq_entry ? q.job_at(uint32_t((addr - pq) / 16 % q.desc.length)) : nullptr;
    for (CsJob* j : q.shadow) {
      if (!j || j->done || (j != at_entry && (addr < j->dev_addr || addr >= j->dev_addr + j->size))) continue;
      finish(*j->cs, CsState::aborted);  // first: freeing the job must not complete the CS
      if (!j->needs_completion) {
        complete_job(*j);  // internal: no completion entry, the slot is free now
        return;
      }
      // The stream dropped the CB before its completion packets ran, so its entry in the
      // completion queue would never come and every completion behind it would wait for it.
      // The driver writes the entry itself and consumes the queue in order from there.
      uint32_t slot = j->slot;
      q.cq[slot] = dev_.asic().completion_entry(slot);
      process_completions(q.id);
      return;
    }
  }
}

void CsManager::fail_queues(unsigned first, unsigned count, const std::string& why) {
  for (auto& kv : cs_) {
    CommandSubmission& cs = *kv.second;
    if (cs.state != CsState::in_flight) continue;
    for (auto& j : cs.jobs)
      if (j->queue >= first && j->queue < first + count) {
        dev_.log(os::LogLevel::error, "CS " + std::to_string(cs.seq) + " failed: " + why);
        finish(cs, CsState::aborted);
        break;
      }
  }
}

void CsManager::reset_queues() {
  sync_streams_.assign(queues_.size(), SyncStream{});  // the reset cleared the sync objects
  for (HwQueue& q : queues_) {
    q.pi = 0;
    q.used = 0;
    q.cq_ci = 0;
    std::fill(q.shadow.begin(), q.shadow.end(), nullptr);  // sized by the slots used (submit)
    std::fill(q.silent.begin(), q.silent.end(), false);
    if (q.cq && !cqs_zero_) std::memset(q.cq, 0, q.desc.length * 4ull);
  }
  cqs_zero_ = true;
}

void CsManager::prune() {
  while (cs_.size() > dev_.params().max_pending_cs && cs_.begin()->second->state != CsState::in_flight) {
    const CommandSubmission& cs = *cs_.begin()->second;
    outcomes_[cs.seq] = CsOutcome{cs.state, cs.done_ns, cs.timestamp};
    // Bounded as Linux's store: the oldest outcome is lost first.
    if (outcomes_.size() > dev_.params().cs_outcome_store) outcomes_.erase(outcomes_.begin());
    cs_.erase(cs_.begin());
  }
}

bool CsManager::in_flight() const {
  for (const auto& kv : cs_)
    if (kv.second->state == CsState::in_flight) return true;
  return false;
}

void CsManager::wait_idle() {
  while (in_flight()) done_wq_->wait(os::kWaitForever);
}

int64_t CsManager::submit_scrub(const std::vector<std::pair<uint64_t, uint64_t>>& ranges) {
  // Memsets of at most 256 MiB (LIN_DMA sizes are 32-bit), dealt out to both PCI DMA engines.
  constexpr uint64_t kMaxPacket = 256ull << 20;
  const unsigned queues[2] = {GAUDI_QUEUE_ID_DMA_0_0, GAUDI_QUEUE_ID_DMA_1_0};
  std::vector<packet_lin_dma> pkts[2];
  uint64_t total = 0;
  unsigned next = 0;
  for (const auto& r : ranges)
    for (uint64_t off = 0; off < r.second; off += kMaxPacket, next ^= 1) {
      uint32_t n = uint32_t(std::min(kMaxPacket, r.second - off));
      pkts[next].push_back(gaudi_pkt_lin_dma(0, r.first + off, n, GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK, 0, 0));
      total += n;
    }
  auto cs = std::make_unique<CommandSubmission>();
  for (unsigned i = 0; i < 2; ++i) {
    if (pkts[i].empty() || queues[i] >= queues_.size() || queues_[queues[i]].desc.type != QueueType::external) continue;
    auto job = std::make_unique<CsJob>();
    if (int rc = build_kernel_job(queues[i], pkts[i].data(), uint32_t(pkts[i].size() * sizeof(packet_lin_dma)), *job)) {
      for (auto& j : cs->jobs) release_job(*j);
      return rc;
    }
    job->done = true;  // temporarily: the completion waits for the engine (see commit())
    cs->jobs.push_back(std::move(job));
  }
  if (cs->jobs.empty()) return 0;
  unsigned jobs = unsigned(cs->jobs.size());
  int64_t seq = commit(std::move(cs), jobs, 0, 0);
  // A big scrub takes longer than a user's CS may: its deadline grows by 1 ms per 8 MiB
  // (it assumes at least 8 GB/s of memset; an HBM DMA engine does several times that).
  if (seq > 0) cs_[uint64_t(seq)]->deadline_ns += (total >> 23) * 1000000ull;
  return seq;
}

void CsManager::kick_watchdog() { tdr_wq_->notify_all(); }

uint64_t CsManager::watch() {
  uint64_t now = dev_.os().now_ns();
  uint64_t earliest = UINT64_MAX;
  for (auto& kv : cs_) {
    const CommandSubmission& cs = *kv.second;
    if (cs.state != CsState::in_flight) continue;
    if (cs.deadline_ns <= now) return kv.first;
    if (cs.deadline_ns < earliest) earliest = cs.deadline_ns;
  }
  // Nothing in flight: sleep until a submission kicks us (no periodic wake-ups, so an idle
  // simulation really is idle).
  tdr_wq_->wait(earliest == UINT64_MAX ? os::kWaitForever : earliest - now);
  return 0;
}

}  // namespace hl
