// NicPort's register blocks (specs/gaudi/nic.h): the privileged QP-context/port block and the
// user work-request block. Writes act at call time, except a posted WQE, which acts when the
// write arrives (its annotated delay), like any posted register write.
#include <cstring>

#include "models/nic/nic_port.hpp"

namespace gs {

using sc_core::sc_time;

RequesterCtx RequesterCtx::decode(const std::array<uint32_t, GSIM_NIC_QPC_REQ_WORDS>& w) {
  RequesterCtx c;
  uint32_t cfg = w[GSIM_NIC_REQ_W_CFG];
  c.valid = cfg & GSIM_NIC_REQ_CFG_VALID;
  c.priority = uint8_t((cfg & GSIM_NIC_REQ_CFG_PRIO_MASK) >> GSIM_NIC_REQ_CFG_PRIO_SHIFT);
  c.sob_allowed = cfg & GSIM_NIC_REQ_CFG_SOB_EN;
  c.timer_granularity = (cfg & GSIM_NIC_REQ_CFG_TIMER_MASK) >> GSIM_NIC_REQ_CFG_TIMER_SHIFT;
  c.burst = (cfg & GSIM_NIC_REQ_CFG_BURST_MASK) >> GSIM_NIC_REQ_CFG_BURST_SHIFT;
  c.dst_qp = w[GSIM_NIC_REQ_W_DST_QP] & GSIM_NIC_PSN_MASK;
  c.rkey = w[GSIM_NIC_REQ_W_RKEY];
  c.src_ip = w[GSIM_NIC_REQ_W_SRC_IP];
  c.dst_ip = w[GSIM_NIC_REQ_W_DST_IP];
  c.dst_mac = uint64_t(w[GSIM_NIC_REQ_W_DST_MAC_HI] & 0xFFFF) << 32 | w[GSIM_NIC_REQ_W_DST_MAC_LO];
  c.sq_number = w[GSIM_NIC_REQ_W_SQ_NUMBER];
  c.initial_psn = w[GSIM_NIC_REQ_W_INITIAL_PSN] & GSIM_NIC_PSN_MASK;
  c.last_wqe_index = w[GSIM_NIC_REQ_W_LAST_WQE_INDEX];
  return c;
}

ResponderCtx ResponderCtx::decode(const std::array<uint32_t, GSIM_NIC_QPC_RES_WORDS>& w) {
  ResponderCtx c;
  uint32_t cfg = w[GSIM_NIC_RES_W_CFG];
  c.valid = cfg & GSIM_NIC_RES_CFG_VALID;
  c.sob_allowed = cfg & GSIM_NIC_RES_CFG_SOB_EN;
  c.priority = uint8_t((cfg & GSIM_NIC_RES_CFG_PRIO_MASK) >> GSIM_NIC_RES_CFG_PRIO_SHIFT);
  c.peer_qp = w[GSIM_NIC_RES_W_PEER_QP] & GSIM_NIC_PSN_MASK;
  c.rkey = w[GSIM_NIC_RES_W_RKEY];
  c.peer_ip = w[GSIM_NIC_RES_W_PEER_IP];
  c.peer_mac = uint64_t(w[GSIM_NIC_RES_W_PEER_MAC_HI] & 0xFFFF) << 32 | w[GSIM_NIC_RES_W_PEER_MAC_LO];
  c.initial_psn = w[GSIM_NIC_RES_W_INITIAL_PSN] & GSIM_NIC_PSN_MASK;
  return c;
}

// Every port's two blocks, declared once per process (reg_layout.hpp).
const RegLayoutOf<NicPort>& NicPort::qpc_layout() {
  static const RegLayoutOf<NicPort> layout = build_qpc_layout();
  return layout;
}

const RegLayoutOf<NicPort>& NicPort::wqe_layout() {
  static const RegLayoutOf<NicPort> layout = build_wqe_layout();
  return layout;
}

RegLayoutOf<NicPort> NicPort::build_qpc_layout() {
  RegLayoutOf<NicPort> l;
  l.add(GSIM_NIC_QPC_SEL, "QPC_SEL");
  l.add(GSIM_NIC_QPC_CMD, "QPC_CMD").on_write([](NicPort& n, uint32_t, uint32_t& v, sc_time) {
    n.qpc_command(v);
    v = 0;
  });
  l.add(GSIM_NIC_QPC_STATUS, "QPC_STATUS", 0, false).on_read([](const NicPort& n, uint32_t) { return n.qpc_status(); });
  l.add(GSIM_NIC_PORT_CFG, "PORT_CFG").on_write([](NicPort& n, uint32_t, uint32_t&, sc_time) { n.update_link_state(); });
  const auto address_changed = [](NicPort& n, uint32_t, uint32_t&, sc_time) {
    n.mac_ = uint64_t(n.qpc_.value(GSIM_NIC_MAC_HI) & 0xFFFF) << 32 | n.qpc_.value(GSIM_NIC_MAC_LO);
    n.ip_ = n.qpc_.value(GSIM_NIC_IP);
  };
  l.add(GSIM_NIC_MAC_LO, "MAC_LO").on_write(address_changed);
  l.add(GSIM_NIC_MAC_HI, "MAC_HI").on_write(address_changed);
  l.add(GSIM_NIC_IP, "IP").on_write(address_changed);
  l.add(GSIM_NIC_LINK_STATUS, "LINK_STATUS", 0, false).on_read([](const NicPort& n, uint32_t) {
    return n.link_up() ? GSIM_NIC_LINK_STATUS_UP : 0u;
  });
  l.add(GSIM_NIC_SOB_MIN, "SOB_MIN");
  l.add(GSIM_NIC_RX_PROT_END_LO, "RX_PROT_END_LO");
  l.add(GSIM_NIC_RX_PROT_END_HI, "RX_PROT_END_HI");
  const auto cq_moved = [](NicPort& n, uint32_t, uint32_t&, sc_time) {
    n.cq_pi_ = 0;
    n.qpc_.set(GSIM_NIC_CQ_CI, 0);
  };
  l.add(GSIM_NIC_CQ_BASE_LO, "CQ_BASE_LO").on_write(cq_moved);
  l.add(GSIM_NIC_CQ_BASE_HI, "CQ_BASE_HI").on_write(cq_moved);
  l.add(GSIM_NIC_CQ_LEN, "CQ_LEN").on_write(cq_moved);
  l.add(GSIM_NIC_CQ_PI, "CQ_PI", 0, false).on_read([](const NicPort& n, uint32_t) { return n.cq_pi_; });
  l.add(GSIM_NIC_CQ_CI, "CQ_CI");
  l.add(GSIM_NIC_CQ_MSI, "CQ_MSI", GAUDI_NIC_CQ_MSI_IDX);
  l.add(GSIM_NIC_LAST_ERR_QP, "LAST_ERR_QP", 0, false).on_read([](const NicPort& n, uint32_t) { return n.last_err_qp_; });
  l.add(GSIM_NIC_LAST_ERR_SYNDROME, "LAST_ERR_SYNDROME", 0, false).on_read([](const NicPort& n, uint32_t) {
    return n.last_err_synd_;
  });
  for (uint32_t off = GSIM_NIC_CNT_TX_FRAMES; off <= GSIM_NIC_CNT_RX_ACCESS_ERRORS; off += 4)
    l.add(off, "CNT_" + std::to_string(off), 0, false).on_read([](const NicPort& n, uint32_t off) {
      return n.counter_reg(off);
    }, off);
  for (unsigned i = 0; i < GSIM_NIC_QPC_REQ_WORDS; ++i) l.add(GSIM_NIC_QPC_REQ(i), "QPC_REQ_" + std::to_string(i));
  for (unsigned i = 0; i < GSIM_NIC_QPC_RES_WORDS; ++i) l.add(GSIM_NIC_QPC_RES(i), "QPC_RES_" + std::to_string(i));
  return l;
}

RegLayoutOf<NicPort> NicPort::build_wqe_layout() {
  RegLayoutOf<NicPort> l;
  for (unsigned i = 0; i < 7; ++i) l.add(GSIM_NIC_SEND_WQE(i), "SEND_WQE_" + std::to_string(i));
  // Writing the last word posts the WQE. The engine is busy from now on (an engine barrier
  // right behind the write must see it), the WQE itself acts when the write lands.
  l.add(GSIM_NIC_SEND_WQE(7), "SEND_WQE_7").on_write([](NicPort& n, uint32_t, uint32_t&, sc_time delay) {
    uint32_t words[8];
    for (unsigned i = 0; i < 8; ++i) words[i] = n.wqe_.value(GSIM_NIC_SEND_WQE(i));
    gsim_nic_send_wqe w;
    std::memcpy(&w, words, sizeof w);
    ++n.outstanding_;
    ++n.wqe_posted_;
    Due d{};
    d.kind = Due::Kind::post_wqe;
    d.wqe = w;
    n.at(delay, d);
  });
  l.add(GSIM_NIC_WQE_STATUS, "WQE_STATUS", 0, false).on_read([](const NicPort& n, uint32_t) { return n.wqe_posted_; });
  l.add(GSIM_NIC_WQE_ERR, "WQE_ERR", 0, false).on_read([](const NicPort& n, uint32_t) { return n.wqe_err_; });
  l.add(GSIM_NIC_WQE_OUTSTANDING, "WQE_OUTSTANDING", 0, false).on_read([](const NicPort& n, uint32_t) {
    return n.outstanding_;
  });
  return l;
}

uint32_t NicPort::sob_min() const { return qpc_.value(GSIM_NIC_SOB_MIN); }

uint64_t NicPort::rx_prot_end() const {
  return uint64_t(qpc_.value(GSIM_NIC_RX_PROT_END_HI)) << 32 | qpc_.value(GSIM_NIC_RX_PROT_END_LO);
}

uint32_t NicPort::counter_reg(uint32_t off) const {
  const NicCounters& c = cnt_;
  switch (off) {
    case GSIM_NIC_CNT_TX_FRAMES: return uint32_t(c.tx_frames);
    case GSIM_NIC_CNT_TX_BYTES_LO: return uint32_t(c.tx_bytes);
    case GSIM_NIC_CNT_TX_BYTES_HI: return uint32_t(c.tx_bytes >> 32);
    case GSIM_NIC_CNT_RX_FRAMES: return uint32_t(c.rx_frames);
    case GSIM_NIC_CNT_RX_BYTES_LO: return uint32_t(c.rx_bytes);
    case GSIM_NIC_CNT_RX_BYTES_HI: return uint32_t(c.rx_bytes >> 32);
    case GSIM_NIC_CNT_RETRANSMISSIONS: return uint32_t(c.retransmissions);
    case GSIM_NIC_CNT_NAKS_SENT: return uint32_t(c.naks_sent);
    case GSIM_NIC_CNT_NAKS_RECEIVED: return uint32_t(c.naks_received);
    case GSIM_NIC_CNT_TIMEOUTS: return uint32_t(c.timeouts);
    case GSIM_NIC_CNT_RX_DROPS: return uint32_t(c.rx_drops);
    case GSIM_NIC_CNT_RX_CORRUPT: return uint32_t(c.rx_corrupt);
    case GSIM_NIC_CNT_RX_BAD_QP: return uint32_t(c.rx_bad_qp);
    case GSIM_NIC_CNT_RX_DUPLICATES: return uint32_t(c.rx_duplicates);
    case GSIM_NIC_CNT_RX_OUT_OF_SEQ: return uint32_t(c.rx_out_of_seq);
    case GSIM_NIC_CNT_ACKS_SENT: return uint32_t(c.acks_sent);
    case GSIM_NIC_CNT_ACKS_RECEIVED: return uint32_t(c.acks_received);
    case GSIM_NIC_CNT_PAUSE_RECEIVED: return uint32_t(c.pause_received);
    case GSIM_NIC_CNT_MSGS_SENT: return uint32_t(c.msgs_sent);
    case GSIM_NIC_CNT_MSGS_RECEIVED: return uint32_t(c.msgs_received);
    case GSIM_NIC_CNT_QP_ERRORS: return uint32_t(c.qp_errors);
    case GSIM_NIC_CNT_WQES_REFUSED: return uint32_t(c.wqes_refused);
    case GSIM_NIC_CNT_CQ_OVERFLOWS: return uint32_t(c.cq_overflows);
    case GSIM_NIC_CNT_RX_ACCESS_ERRORS: return uint32_t(c.rx_access_errors);
    default: return 0;
  }
}

uint32_t NicPort::qpc_status() const {
  auto it = qps_.find(qpc_.value(GSIM_NIC_QPC_SEL));
  if (it == qps_.end()) return 0;
  const Qp& q = it->second;
  uint32_t s = 0;
  if (q.req.ctx.valid) s |= GSIM_NIC_QPC_STATUS_REQ_VALID;
  if (q.res.ctx.valid) s |= GSIM_NIC_QPC_STATUS_RES_VALID;
  if (q.error) s |= GSIM_NIC_QPC_STATUS_ERROR | (q.syndrome << GSIM_NIC_QPC_STATUS_SYND_SHIFT & GSIM_NIC_QPC_STATUS_SYND_MASK);
  return s;
}

// QPC_CMD. Committing a side starts it afresh (PSNs from the context, error cleared);
// WQEs still outstanding on a re-committed or destroyed requester are flushed.
void NicPort::qpc_command(uint32_t cmd) {
  uint32_t qpn = qpc_.value(GSIM_NIC_QPC_SEL);
  if (qpn < GSIM_NIC_MIN_QP || qpn >= GSIM_NIC_MAX_QP) return;
  switch (cmd) {
    case GSIM_NIC_QPC_CMD_COMMIT_REQ: {
      std::array<uint32_t, GSIM_NIC_QPC_REQ_WORDS> w;
      for (unsigned i = 0; i < w.size(); ++i) w[i] = qpc_.value(GSIM_NIC_QPC_REQ(i));
      Qp& q = qps_[qpn];
      flush_requester(qpn, q, GSIM_NIC_ERR_FLUSHED);
      remove_from_ring(qpn);
      q.req = RequesterState();
      q.req.ctx = RequesterCtx::decode(w);
      q.req.rc = RcRequester(p_.mtu, kFetchChunk, q.req.ctx.initial_psn);
      q.error = false;
      q.syndrome = GSIM_NIC_ERR_NONE;
      break;
    }
    case GSIM_NIC_QPC_CMD_COMMIT_RES: {
      std::array<uint32_t, GSIM_NIC_QPC_RES_WORDS> w;
      for (unsigned i = 0; i < w.size(); ++i) w[i] = qpc_.value(GSIM_NIC_QPC_RES(i));
      Qp& q = qps_[qpn];
      q.res = ResponderState();
      q.res.ctx = ResponderCtx::decode(w);
      q.res.rc = RcResponder(q.res.ctx.initial_psn);
      q.error = false;
      q.syndrome = GSIM_NIC_ERR_NONE;
      break;
    }
    case GSIM_NIC_QPC_CMD_DESTROY: {
      Qp* q = find_qp(qpn);
      if (!q) return;
      flush_requester(qpn, *q, GSIM_NIC_ERR_FLUSHED);
      remove_from_ring(qpn);
      erase_qp(qpn);  // scheduled timers and delayed ACKs find it gone
      break;
    }
    default:
      break;
  }
}

}  // namespace gs
