// GAUDI's NIC in the driver: port bring-up through the firmware, QP contexts written to the
// NIC's privileged registers (specs/gaudi/nic.h), the per-port hardware completion queues
// turned into the user's NIC CQ, link and QP-error events.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "driver/core/hl_device.hpp"
#include "driver/core/nic_manager.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/nic.h"
#include "specs/gaudi/sim_blocks.h"

namespace hl {

namespace {
uint64_t mac_of(const uint8_t* a) {
  uint64_t m = 0;
  for (int i = 0; i < HL_NIC_ETH_ALEN; ++i) m = m << 8 | a[i];
  return m;
}
std::string mac_text(uint64_t m) {
  char b[32];
  std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", unsigned(m >> 40 & 0xFF), unsigned(m >> 32 & 0xFF),
                unsigned(m >> 24 & 0xFF), unsigned(m >> 16 & 0xFF), unsigned(m >> 8 & 0xFF), unsigned(m & 0xFF));
  return b;
}
constexpr uint64_t kUserCqHandle = HL_MMAP_TYPE_NIC_CQ | (1ull << HL_MMAP_PAGE_SHIFT);
}  // namespace

NicManager::NicManager(HlDevice& d) : d_(d), cq_wq_(d.os().make_wait_queue()) {}

// Only memory here: connections are torn down in hardware by release_all(), which the
// driver calls while the simulation runs (this destructor may run after it).
NicManager::~NicManager() {
  if (user_cq_) d_.os().dma_free_coherent(user_cq_, user_cq_len_ * sizeof(hl_nic_cqe), user_cq_bus_);
  for (size_t p = 0; p < hw_cq_.size(); ++p)
    if (hw_cq_[p]) d_.os().dma_free_coherent(hw_cq_[p], kHwCqEntries * GSIM_NIC_CQE_SIZE, hw_cq_bus_[p]);
}

uint32_t NicManager::rkey_of(uint32_t port, uint32_t conn_id) { return 0x6A000000u | port << 16 | conn_id; }

int NicManager::init_ports() {
  unsigned n = d_.props().nic_ports;
  ports_.resize(n);
  hw_cq_.resize(n, nullptr);
  hw_cq_bus_.resize(n, 0);
  uint64_t mask = 0;
  for (unsigned p = 0; p < n; ++p) {
    uint32_t b = GSIM_NIC_QPC_BLOCK(p);
    if (hw_cq_[p]) {  // a reset: entries from before it must not look new
      std::memset(hw_cq_[p], 0, kHwCqEntries * GSIM_NIC_CQE_SIZE);
    } else {  // dma_alloc_coherent's memory comes zeroed
      hw_cq_[p] = static_cast<uint8_t*>(d_.os().dma_alloc_coherent(kHwCqEntries * GSIM_NIC_CQE_SIZE, &hw_cq_bus_[p]));
      if (!hw_cq_[p]) return -ENOMEM;
    }
    NicPortState& s = ports_[p];
    s.conns.clear();
    s.hw_cq_ci = 0;
    uint64_t cq = d_.asic().host_to_device(hw_cq_bus_[p]);
    HlDevice::PostedWrites posted(d_);  // sent by the reads below
    d_.wreg(b + GSIM_NIC_SOB_MIN, GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT);
    d_.wreg(b + GSIM_NIC_RX_PROT_END_LO, uint32_t(GAUDI_DRAM_BASE_ADDR_USER));
    d_.wreg(b + GSIM_NIC_RX_PROT_END_HI, uint32_t(GAUDI_DRAM_BASE_ADDR_USER >> 32));
    d_.wreg(b + GSIM_NIC_CQ_BASE_LO, uint32_t(cq));
    d_.wreg(b + GSIM_NIC_CQ_BASE_HI, uint32_t(cq >> 32));
    d_.wreg(b + GSIM_NIC_CQ_MSI, d_.props().msi_vectors > GAUDI_NIC_CQ_MSI_IDX ? GAUDI_NIC_CQ_MSI_IDX : 0);
    d_.wreg(b + GSIM_NIC_CQ_LEN, kHwCqEntries);
    s.mac = uint64_t(d_.rreg(b + GSIM_NIC_MAC_HI) & 0xFFFF) << 32 | d_.rreg(b + GSIM_NIC_MAC_LO);
    s.ip = d_.rreg(b + GSIM_NIC_IP);
    mask |= 1ull << p;
  }
  if (!n) return 0;
  // Bring-up goes through the firmware, as on GAUDI: it owns the PHYs.
  auto& asic = static_cast<GaudiAsic&>(d_.asic());
  int rc = asic.send_cpu_message(d_, GSIM_CPU_OP_NIC_PORTS_ENABLE, 0, &mask);
  if (rc) return rc;
  uint64_t up = 0;
  rc = asic.send_cpu_message(d_, GSIM_CPU_OP_NIC_LINK_STATUS, 0, &up);
  if (rc) return rc;
  for (unsigned p = 0; p < n; ++p) {
    ports_[p].enabled = true;
    ports_[p].link_up = up >> p & 1;
  }
  return 0;
}

int NicManager::check_port_conn(uint32_t port, uint32_t conn_id, NicConnection** c) {
  if (port >= ports_.size()) return -EINVAL;
  auto it = ports_[port].conns.find(conn_id);
  if (it == ports_[port].conns.end()) return -EINVAL;
  *c = &it->second;
  return 0;
}

// Both halves of a connection name the same peer: a GAUDI port, by its MAC's OUI.
int NicManager::check_peer(uint32_t port, uint32_t conn_id, uint32_t priority, uint32_t peer_conn, uint32_t peer_ip,
                           uint64_t peer_mac, NicConnection** c) {
  if (check_port_conn(port, conn_id, c) || priority > 3 || peer_conn < HL_NIC_MIN_CONN_ID ||
      peer_conn > HL_NIC_MAX_CONN_ID || !peer_ip)
    return -EINVAL;
  if (GSIM_MAC_OUI(peer_mac) != GAUDISIM_GAUDI_OUI) {
    d_.log(os::LogLevel::error, "NIC connect refused: peer " + mac_text(peer_mac) +
                                    " is not a GAUDI port (the NIC connects GAUDI peers only)");
    return -EPROTONOSUPPORT;
  }
  return 0;
}

int NicManager::alloc_conn(uint32_t port, uint32_t* conn_id) {
  if (port >= ports_.size()) return -EINVAL;
  auto& conns = ports_[port].conns;
  for (uint32_t id = HL_NIC_MIN_CONN_ID; id <= HL_NIC_MAX_CONN_ID; ++id)
    if (!conns.count(id)) {
      conns[id] = NicConnection{};
      *conn_id = id;
      return 0;
    }
  return -ENOSPC;
}

int NicManager::set_req(const hl_nic_req_conn_ctx_in& in) {
  NicConnection* c;
  uint64_t mac = mac_of(in.dst_mac_addr);
  if (int rc = check_peer(in.port, in.conn_id, in.priority, in.dst_conn_id, in.dst_ip_addr, mac, &c)) return rc;
  uint32_t b = GSIM_NIC_QPC_BLOCK(in.port);
  uint32_t w[GSIM_NIC_QPC_REQ_WORDS] = {};
  w[GSIM_NIC_REQ_W_CFG] = GSIM_NIC_REQ_CFG_VALID | (uint32_t(in.priority) << GSIM_NIC_REQ_CFG_PRIO_SHIFT) |
                          (in.enable_sob ? GSIM_NIC_REQ_CFG_SOB_EN : 0) |
                          (uint32_t(in.timer_granularity) << GSIM_NIC_REQ_CFG_TIMER_SHIFT & GSIM_NIC_REQ_CFG_TIMER_MASK) |
                          ((in.burst_size > 255 ? 255u : in.burst_size) << GSIM_NIC_REQ_CFG_BURST_SHIFT);
  w[GSIM_NIC_REQ_W_DST_QP] = in.dst_conn_id;
  w[GSIM_NIC_REQ_W_RKEY] = rkey_of(0, in.dst_conn_id);
  w[GSIM_NIC_REQ_W_SRC_IP] = in.src_ip_addr ? in.src_ip_addr : ports_[in.port].ip;
  w[GSIM_NIC_REQ_W_DST_IP] = in.dst_ip_addr;
  w[GSIM_NIC_REQ_W_DST_MAC_LO] = uint32_t(mac);
  w[GSIM_NIC_REQ_W_DST_MAC_HI] = uint32_t(mac >> 32);
  w[GSIM_NIC_REQ_W_SQ_NUMBER] = in.sq_number;
  w[GSIM_NIC_REQ_W_INITIAL_PSN] = 0;
  w[GSIM_NIC_REQ_W_LAST_WQE_INDEX] = in.last_index;
  d_.wreg(b + GSIM_NIC_QPC_SEL, in.conn_id);
  for (unsigned i = 0; i < GSIM_NIC_QPC_REQ_WORDS; ++i) d_.wreg(b + GSIM_NIC_QPC_REQ(i), w[i]);
  d_.wreg(b + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_COMMIT_REQ);
  if (!(d_.rreg(b + GSIM_NIC_QPC_STATUS) & GSIM_NIC_QPC_STATUS_REQ_VALID)) return -EIO;
  c->req_set = true;
  return 0;
}

int NicManager::set_res(const hl_nic_res_conn_ctx_in& in) {
  NicConnection* c;
  uint64_t mac = mac_of(in.dst_mac_addr);
  if (int rc = check_peer(in.port, in.conn_id, in.priority, in.dst_conn_id, in.dst_ip_addr, mac, &c)) return rc;
  uint32_t b = GSIM_NIC_QPC_BLOCK(in.port);
  uint32_t w[GSIM_NIC_QPC_RES_WORDS] = {};
  w[GSIM_NIC_RES_W_CFG] = GSIM_NIC_RES_CFG_VALID | (in.enable_sob ? GSIM_NIC_RES_CFG_SOB_EN : 0) |
                          (uint32_t(in.priority) << GSIM_NIC_RES_CFG_PRIO_SHIFT);
  w[GSIM_NIC_RES_W_PEER_QP] = in.dst_conn_id;
  w[GSIM_NIC_RES_W_RKEY] = rkey_of(0, in.conn_id);
  w[GSIM_NIC_RES_W_PEER_IP] = in.dst_ip_addr;
  w[GSIM_NIC_RES_W_PEER_MAC_LO] = uint32_t(mac);
  w[GSIM_NIC_RES_W_PEER_MAC_HI] = uint32_t(mac >> 32);
  w[GSIM_NIC_RES_W_INITIAL_PSN] = 0;
  d_.wreg(b + GSIM_NIC_QPC_SEL, in.conn_id);
  for (unsigned i = 0; i < GSIM_NIC_QPC_RES_WORDS; ++i) d_.wreg(b + GSIM_NIC_QPC_RES(i), w[i]);
  d_.wreg(b + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_COMMIT_RES);
  if (!(d_.rreg(b + GSIM_NIC_QPC_STATUS) & GSIM_NIC_QPC_STATUS_RES_VALID)) return -EIO;
  c->res_set = true;
  return 0;
}

int NicManager::destroy_conn(uint32_t port, uint32_t conn_id) {
  NicConnection* c;
  if (check_port_conn(port, conn_id, &c)) return -EINVAL;
  uint32_t b = GSIM_NIC_QPC_BLOCK(port);
  d_.wreg(b + GSIM_NIC_QPC_SEL, conn_id);
  d_.wreg(b + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_DESTROY);
  ports_[port].conns.erase(conn_id);
  return 0;
}

int NicManager::cq_create(uint32_t entries, uint64_t* handle) {
  if (user_cq_) return -EBUSY;  // one NIC CQ per compute context
  if (entries < 2 || entries > (1u << 20) || (entries & (entries - 1))) return -EINVAL;
  user_cq_ = static_cast<uint8_t*>(d_.os().dma_alloc_coherent(entries * sizeof(hl_nic_cqe), &user_cq_bus_));
  if (!user_cq_) return -ENOMEM;
  user_cq_len_ = entries;
  user_cq_pi_ = user_cq_ci_ = 0;
  user_cq_overflow_ = false;
  *handle = kUserCqHandle;
  return 0;
}

int NicManager::cq_destroy(uint64_t handle) {
  if (!user_cq_ || handle != kUserCqHandle) return -EINVAL;
  d_.os().dma_free_coherent(user_cq_, user_cq_len_ * sizeof(hl_nic_cqe), user_cq_bus_);
  user_cq_ = nullptr;
  user_cq_len_ = 0;
  cq_wq_->notify_all();
  return 0;
}

void* NicManager::cq_mmap(uint64_t handle, size_t length) {
  if (!user_cq_ || handle != kUserCqHandle || length > user_cq_len_ * sizeof(hl_nic_cqe)) return nullptr;
  return user_cq_;
}

int NicManager::cq_poll(uint64_t handle, uint64_t timeout_us, uint32_t* pi, uint32_t* count, uint32_t* status) {
  if (!user_cq_ || handle != kUserCqHandle) return -EINVAL;
  uint64_t deadline = d_.os().now_ns() + timeout_us * 1000;
  while (user_cq_pi_ == user_cq_ci_ && timeout_us) {
    uint64_t now = d_.os().now_ns();
    if (now >= deadline) break;
    cq_wq_->wait(deadline - now);
    if (!user_cq_) return -EINVAL;
  }
  *pi = user_cq_ci_ % user_cq_len_;
  *count = user_cq_pi_ - user_cq_ci_;
  *status = user_cq_overflow_ ? HL_NIC_CQ_OVERFLOW : *count ? HL_NIC_CQ_SUCCESS : HL_NIC_CQ_TIMEOUT;
  return 0;
}

int NicManager::cq_consumed(uint64_t handle, uint32_t n) {
  if (!user_cq_ || handle != kUserCqHandle || n > user_cq_pi_ - user_cq_ci_) return -EINVAL;
  user_cq_ci_ += n;
  user_cq_overflow_ = false;
  return 0;
}

void NicManager::push_user_cqe(const hl_nic_cqe& e) {
  if (!user_cq_) return;
  if (user_cq_pi_ - user_cq_ci_ >= user_cq_len_) {
    user_cq_overflow_ = true;
    return;
  }
  std::memcpy(user_cq_ + (user_cq_pi_ % user_cq_len_) * sizeof e, &e, sizeof e);
  ++user_cq_pi_;
  cq_wq_->notify_all();
}

void NicManager::process_hw_cqs() {
  // Every port's queue is read at one instant, then the consumer indices are written (each
  // write takes time: reading the next port after it would race that port's new entries).
  d_.os().dma_rmb();
  std::vector<bool> moved(ports_.size(), false);
  for (unsigned p = 0; p < ports_.size(); ++p) {
    if (!hw_cq_[p]) continue;
    for (;;) {
      uint8_t* slot = hw_cq_[p] + (ports_[p].hw_cq_ci % kHwCqEntries) * GSIM_NIC_CQE_SIZE;
      uint32_t w0, w1;
      std::memcpy(&w0, slot, 4);
      std::memcpy(&w1, slot + 4, 4);
      if (!(w0 & GSIM_NIC_CQE_VALID)) break;
      std::memset(slot, 0, GSIM_NIC_CQE_SIZE);
      ++ports_[p].hw_cq_ci;
      moved[p] = true;
      hl_nic_cqe e{};
      uint32_t type = (w0 & GSIM_NIC_CQE_TYPE_MASK) >> GSIM_NIC_CQE_TYPE_SHIFT;
      e.port = p;
      e.qp_number = w0 & GSIM_NIC_CQE_QP_MASK;
      e.type = type == GSIM_NIC_CQE_TYPE_RES ? HL_NIC_CQE_TYPE_RES : HL_NIC_CQE_TYPE_REQ;
      e.is_err = type == GSIM_NIC_CQE_TYPE_QP_ERR;
      e.requester.wqe_index = w1;  // also msg_id / syndrome: the same word of the union
      push_user_cqe(e);
    }
  }
  for (unsigned p = 0; p < ports_.size(); ++p)
    if (moved[p]) d_.wreg(GSIM_NIC_QPC_BLOCK(p) + GSIM_NIC_CQ_CI, ports_[p].hw_cq_ci);
}

void NicManager::link_event(unsigned p, bool up) {
  if (p >= ports_.size()) return;
  ports_[p].link_up = up;
  d_.log(up ? os::LogLevel::info : os::LogLevel::warn, "NIC port " + std::to_string(p) + (up ? " link up" : " link down"));
}

void NicManager::qp_error_event(unsigned p) {
  uint32_t b = GSIM_NIC_QPC_BLOCK(p);
  uint32_t qp = d_.rreg(b + GSIM_NIC_LAST_ERR_QP), synd = d_.rreg(b + GSIM_NIC_LAST_ERR_SYNDROME);
  d_.log(os::LogLevel::error, "NIC port " + std::to_string(p) + " QP " + std::to_string(qp) + " error, syndrome " +
                                  std::to_string(synd));
  process_hw_cqs();  // the error entry is in the port's CQ: hand it to the user now
}

void NicManager::release_all() {
  for (unsigned p = 0; p < ports_.size(); ++p) {
    std::vector<uint32_t> ids;
    for (auto& kv : ports_[p].conns) ids.push_back(kv.first);
    for (uint32_t id : ids) destroy_conn(p, id);
  }
  if (user_cq_) cq_destroy(kUserCqHandle);
}

}  // namespace hl
