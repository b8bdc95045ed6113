// What a port tells the rest of the system: NIC CQ entries (+ MSI), sync-object increments
// through the card's router, device-CPU events, and the QP error procedure.
#include <algorithm>

#include "models/nic/nic_port.hpp"

namespace gs {

using sc_core::sc_time;

// One 8-byte entry at CQ_BASE + (PI mod LEN) * 8, then the MSI once the entry has landed.
// A full ring (PI - CI == LEN) loses the entry: counted, never blocks the NIC.
void NicPort::write_cqe(uint32_t qpn, uint32_t type, uint32_t word1, sc_time delay) {
  const uint32_t len = qpc_.value(GSIM_NIC_CQ_LEN);
  if (!len || (len & (len - 1))) return;
  if (cq_pi_ - qpc_.value(GSIM_NIC_CQ_CI) >= len) {
    ++cnt_.cq_overflows;
    return;
  }
  const uint64_t base = uint64_t(qpc_.value(GSIM_NIC_CQ_BASE_HI)) << 32 | qpc_.value(GSIM_NIC_CQ_BASE_LO);
  uint32_t entry[2] = {gsim_nic_cqe_word0(qpn, port_, type), word1};
  sc_time d = delay;
  bus_access(*card_.noc, tlm::TLM_WRITE_COMMAND, base + uint64_t(cq_pi_ % len) * GSIM_NIC_CQE_SIZE, entry,
             sizeof entry, d);
  ++cq_pi_;
  if (card_.raise_msi) card_.raise_msi(qpc_.value(GSIM_NIC_CQ_MSI), d);
}

// Increment W_S sync object `sob` by one, as a SOB_OBJ write with the add bit.
void NicPort::signal_sob(uint32_t sob) {
  uint32_t v = GAUDI_SM_SOB_INC_MASK | 1u;
  sc_time d = sc_core::SC_ZERO_TIME;
  const uint64_t addr =
      GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S) + GAUDI_SM_SOB_OBJ(sob);
  bus_access(*card_.noc, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d);
}

void NicPort::post_event(uint16_t id) {
  events_.push_back(id);
  if (card_.post_event) card_.post_event(id);
}

void NicPort::wqe_done(uint32_t count) {
  outstanding_ -= std::min(count, outstanding_);
  if (outstanding_ == 0) idle_ev_.notify(sc_core::SC_ZERO_TIME);
}

// A WQE that cannot be carried out: WQE_ERR, a QP-error CQ entry and event. The QP itself
// keeps its state (there may be none).
void NicPort::refuse_wqe(const gsim_nic_send_wqe& w, uint32_t cause) {
  const uint32_t qpn = w.conn & GSIM_NIC_WQE_QP_MASK;
  wqe_err_ = cause;
  ++cnt_.wqes_refused;
  last_err_qp_ = qpn;
  last_err_synd_ = cause;
  write_cqe(qpn, GSIM_NIC_CQE_TYPE_QP_ERR, cause);
  post_event(uint16_t(GSIM_EVENT_NIC_QP_ERR(port_)));
  wqe_done(1);
}

// The QP stops for good (until the driver re-commits or destroys it): every outstanding WQE
// gets a QP-error CQ entry (at least one entry is written), none signals its sync object.
void NicPort::enter_error(uint32_t qpn, Qp& q, uint32_t syndrome) {
  if (q.error) return;
  q.error = true;
  q.syndrome = syndrome;
  ++cnt_.qp_errors;
  last_err_qp_ = qpn;
  last_err_synd_ = syndrome;
  const bool none_outstanding = q.req.rc.messages() == 0;
  flush_requester(qpn, q, syndrome);
  if (none_outstanding) write_cqe(qpn, GSIM_NIC_CQE_TYPE_QP_ERR, syndrome);
  post_event(uint16_t(GSIM_EVENT_NIC_QP_ERR(port_)));
}

void NicPort::flush_requester(uint32_t qpn, Qp& q, uint32_t syndrome) {
  RequesterState& r = q.req;
  const uint32_t n = uint32_t(r.rc.flush().size());  // nothing left to send or to wait for
  for (uint32_t i = 0; i < n; ++i) write_cqe(qpn, GSIM_NIC_CQE_TYPE_QP_ERR, syndrome);
  if (r.timer_armed) r.timer_gen = ++gen_;
  r.timer_armed = false;
  wqe_done(n);
}

}  // namespace gs

