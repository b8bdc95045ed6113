// Staged submissions, the outcome store and WAIT_CS on several submissions (MULTI_CS).
#include <cerrno>

#include "driver/core/cs_manager.hpp"
#include "driver/core/hl_device.hpp"
#include "driver/uapi/habanalabs.h"

namespace hl {

CommandSubmission* CsManager::staged_first(uint64_t seq) {
  auto it = cs_.find(seq);
  if (it == cs_.end() || it->second->staged_seq != seq || it->second->state != CsState::in_flight) return nullptr;
  for (auto j = it; j != cs_.end(); ++j)
    if (j->second->staged_seq == seq && j->second->staged_last) return nullptr;  // closed already
  return it->second.get();
}

// The parts before the last have no completion of their own: their jobs are done (and their
// queue slots free) once the last part's completion arrived, as Linux releases the chain.
void CsManager::complete_staged(uint64_t staged_seq, uint64_t done_ns) {
  for (auto it = cs_.find(staged_seq); it != cs_.end(); ++it) {
    CommandSubmission& part = *it->second;
    if (part.staged_seq != staged_seq || part.staged_last) continue;
    for (auto& j : part.jobs)
      if (!j->done) {
        j->done = true;
        HwQueue& q = queues_[j->queue];
        q.shadow[j->slot] = nullptr;
        q.used--;
        release_job(*j);
      }
    finish(part, CsState::completed);
    part.done_ns = done_ns;
  }
}

CsManager::Lookup CsManager::lookup(uint64_t seq, const CommandSubmission** cs, CsOutcome* out) {
  auto it = cs_.find(seq);
  if (it != cs_.end()) {
    *cs = it->second.get();
    return Lookup::live;
  }
  auto o = outcomes_.find(seq);
  if (o == outcomes_.end()) return Lookup::gone;
  *out = o->second;
  outcomes_.erase(o);  // read once, as Linux pops it
  return Lookup::outcome;
}

int CsManager::report(CsState state, uint64_t done_ns, bool ts_valid, uint32_t* status, uint32_t* flags, int64_t* ts) {
  switch (state) {
    case CsState::in_flight: *status = HL_WAIT_CS_STATUS_BUSY; return 0;
    case CsState::completed:
      *status = HL_WAIT_CS_STATUS_COMPLETED;
      if (ts_valid) {  // only for a CS submitted with HL_CS_FLAGS_TIMESTAMP
        *flags |= HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD;
        *ts = int64_t(done_ns);
      }
      return 0;
    case CsState::timed_out: *status = HL_WAIT_CS_STATUS_TIMEDOUT; return -ETIMEDOUT;
    case CsState::aborted: *status = HL_WAIT_CS_STATUS_ABORTED; return -EIO;
  }
  return -EINVAL;
}

int CsManager::wait_multi(const std::vector<uint64_t>& seqs, uint64_t timeout_us, uint32_t* status, uint32_t* flags,
                          int64_t* ts, uint32_t* map) {
  *flags = 0;
  *ts = 0;
  *map = 0;
  for (uint64_t s : seqs)
    if (s == 0 || s > last_seq_) return -EINVAL;
  uint64_t now0 = dev_.os().now_ns();
  uint64_t timeout_ns = timeout_us >= UINT64_MAX / 1000 ? UINT64_MAX : timeout_us * 1000;
  uint64_t deadline = timeout_ns > UINT64_MAX - now0 ? UINT64_MAX : now0 + timeout_ns;
  std::vector<bool> seen(seqs.size(), false);  // an outcome is read once: keep what it said
  int64_t first_ts = INT64_MAX;
  for (;;) {
    for (size_t i = 0; i < seqs.size(); ++i) {
      if (seen[i]) continue;
      const CommandSubmission* cs = nullptr;
      CsOutcome out;
      Lookup where = lookup(seqs[i], &cs, &out);
      CsState state = where == Lookup::live ? cs->state : where == Lookup::outcome ? out.state : CsState::completed;
      if (state == CsState::in_flight) continue;
      seen[i] = true;
      uint32_t st = 0, fl = 0;
      int64_t t = 0;
      bool tsv = where == Lookup::live ? cs->timestamp : where == Lookup::outcome && out.timestamp;
      int rc = report(state, where == Lookup::live ? cs->done_ns : out.done_ns, tsv, &st, &fl, &t);
      if (rc) {  // a failed CS fails the whole wait, as in Linux
        *status = st;
        return rc;
      }
      *map |= 1u << i;
      if (where == Lookup::gone) *flags |= HL_WAIT_CS_STATUS_FLAG_GONE;
      if (fl & HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD && t < first_ts) first_ts = t;
    }
    uint64_t now = dev_.os().now_ns();
    if (*map || !timeout_us || now >= deadline) break;
    if (done_wq_->wait_interruptible(deadline == UINT64_MAX ? os::kWaitForever : deadline - now) ==
        os::WaitResult::interrupted) {
      *status = HL_WAIT_CS_STATUS_INTERRUPTED;
      return -EINTR;
    }
  }
  *status = *map ? HL_WAIT_CS_STATUS_COMPLETED : HL_WAIT_CS_STATUS_BUSY;
  if (first_ts != INT64_MAX) {
    *flags |= HL_WAIT_CS_STATUS_FLAG_TIMESTAMP_VLD;
    *ts = first_ts;
  }
  return 0;
}

}  // namespace hl
