// Error state of a stream and the reports that leave the QMAN. Reports are queued and
// handed to the sink from a method process of their own, in a later delta than the error:
// the sink never runs inside a stream's step and may not wait.
#include "models/qman/qman.hpp"

#include <cstdio>

#include "models/common/spawn_method.hpp"

namespace gs {

const char* to_string(QmanErrorKind k) {
  switch (k) {
    case QmanErrorKind::pq_read: return "pq_read";
    case QmanErrorKind::cb_read: return "cb_read";
    case QmanErrorKind::undefined_opcode: return "undefined_opcode";
    case QmanErrorKind::truncated_packet: return "truncated_packet";
    case QmanErrorKind::bad_packet: return "bad_packet";
    case QmanErrorKind::not_supported: return "not_supported";
    case QmanErrorKind::engine: return "engine";
    case QmanErrorKind::msg_write: return "msg_write";
    case QmanErrorKind::wreg_write: return "wreg_write";
  }
  return "?";
}

std::string qman_hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

uint32_t sts1_bit(QmanErrorKind k) {
  switch (k) {
    case QmanErrorKind::pq_read: return qm_sts1::kPqfRdErr;
    case QmanErrorKind::cb_read: return qm_sts1::kCpRdErr;
    case QmanErrorKind::msg_write: return qm_sts1::kCpMsgWrErr;
    case QmanErrorKind::wreg_write: return qm_sts1::kCpWregErr;
    case QmanErrorKind::engine: return qm_sts1::kEngineErr;
    default: return qm_sts1::kCpUndefCmdErr;
  }
}

// The stream stops (its CB is dropped; queued entries wait for re-enable), GLBL_STS1 of its
// CP gets the cause bit, GLBL_ERR_ADDR the offending packet's address and GLBL_ERR_WDATA its
// ctl word.
void Qman::raise_error(unsigned s, uint64_t cb_addr, uint32_t offset, uint32_t opcode, uint32_t wdata,
                       QmanErrorKind kind, std::string reason) {
  Stream& st = st_[s];
  st.error = true;
  st.fence_wait = false;
  if (flow_[s]) flow_[s]->wake.notify(sc_core::SC_ZERO_TIME);  // a stream parked in a FENCE notices at once
  sts1_[s] |= sts1_bit(kind);
  uint64_t addr = cb_addr + offset;
  regs_.set(GAUDI_QM_GLBL_ERR_ADDR_LO, uint32_t(addr));
  regs_.set(GAUDI_QM_GLBL_ERR_ADDR_HI, uint32_t(addr >> 32));
  regs_.set(GAUDI_QM_GLBL_ERR_WDATA, wdata);
  ++errors_;
  QmanError e;
  e.qman = name();
  e.qman_id = id_;
  e.stream = s;
  e.cb_addr = cb_addr;
  e.offset = offset;
  e.opcode = opcode;
  e.kind = kind;
  e.reason = std::move(reason);
  e.time = sc_core::sc_time_stamp();
  undelivered_.push_back(std::move(e));
  error_event().notify(sc_core::SC_ZERO_TIME);
}

// The method handing errors to the sink is made with the first error: most QMANs never
// raise one, and an event and a process made at elaboration cost a card 28 of each.
sc_core::sc_event& Qman::error_event() {
  if (!error_ev_) {
    error_ev_ = std::make_unique<sc_core::sc_event>();
    spawn_method_on(this, *error_ev_, [this] { deliver_errors(); }, "deliver_errors");  // not the stream method's child
  }
  return *error_ev_;
}

void Qman::packet_error(unsigned s, const DecodedPacket& k, QmanErrorKind kind, std::string reason) {
  raise_error(s, k.cb_addr, k.offset, k.opcode, k.ctl, kind, std::move(reason));
}

// Re-enable: the stream runs again from its next packet (after a STOP) or its next PQ entry
// (after an error, whose CB was dropped).
void Qman::clear_error_state(unsigned s) {
  st_[s].error = false;
  st_[s].stopped = false;
  sts1_[s] = 0;
  wake(s);
}

void Qman::deliver_errors() {
  while (!undelivered_.empty()) {
    QmanError e = std::move(undelivered_.front());
    undelivered_.pop_front();
    if (on_error_) on_error_(e);
  }
}

}  // namespace gs
