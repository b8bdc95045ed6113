// Two GAUDI cards back to back on NIC port 0 (two Links), programmed through their routers
// the way the driver would (QP contexts, port registers, NIC CQ), with WQEs posted by bus
// writes to the work-request block. Each TEST builds its own world (one elaboration per
// process) and runs its "driver" code in a thread.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/card/card.hpp"
#include "models/common/time.hpp"
#include "models/fabric/link.hpp"
#include "models/nic/nic_port.hpp"
#include "models/pcie/root_complex.hpp"
#include "models/sync/sync_manager.hpp"
#include "specs/gaudi/nic.h"

namespace gs::test {

constexpr uint64_t kUser = GAUDI_DRAM_BASE_ADDR_USER;  // RX_PROT_END: user HBM starts here
constexpr uint64_t kCqBase = 0x1F000000;                // NIC CQs in driver HBM
constexpr uint32_t kCqLen = 64;

// What the driver puts in a connection's two contexts.
struct Conn {
  uint32_t qp_a = 5, qp_b = 7;       // requester QP on card A, responder QP on card B
  uint32_t rkey = 0x5eed, res_rkey = 0x5eed;
  unsigned priority = 3;
  bool local_sob_allowed = true, remote_sob_allowed = true;
  uint32_t timer_granularity = 1, burst = 0;
  uint32_t initial_psn = 0xFFFF00;   // close to the 24-bit wrap on purpose
};

struct NicWorld {
  PcieParams pp;  // set before build(): the models keep references
  CardParams cp;
  double link_ns = 25;  // about 5 m of cable
  double loss = 0, corrupt = 0;
  uint64_t seed = 1;
  std::unique_ptr<RootComplex> rc;
  std::unique_ptr<Card> a, b;
  std::unique_ptr<Link> ab, ba;

  NicWorld() {
    cp.nic_ports = 2;
    cp.boot_us = 10;
    cp.reset_us = 10;
  }

  void build() {
    rc = std::make_unique<RootComplex>("rc", pp);
    a = std::make_unique<Card>("card0", cp, pp, 0, false);
    b = std::make_unique<Card>("card1", cp, pp, 1, false);
    rc->attach(a->pcie());
    rc->attach(b->pcie());
    ab = std::make_unique<Link>("ab", ns(link_ns), loss, corrupt, seed);
    ba = std::make_unique<Link>("ba", ns(link_ns), loss, corrupt, seed + 1);
    a->nic_port(0).egress().connect(*ab);
    ab->connect(b->nic_port(0).ingress());
    b->nic_port(0).egress().connect(*ba);
    ba->connect(a->nic_port(0).ingress());
  }

  void run(std::function<void()> body) {
    sc_core::sc_spawn(std::move(body), "driver");
    sc_core::sc_start();
  }

  NicPort& na() { return a->nic(0); }
  NicPort& nb() { return b->nic(0); }

  // Register access through a card's router (posted writes act at once in these blocks).
  static void wr(Card& c, uint32_t cfg_off, uint32_t v) {
    sc_core::sc_time d;
    ASSERT_EQ(bus_access(c.noc(), tlm::TLM_WRITE_COMMAND, GAUDI_CFG_BASE + cfg_off, &v, 4, d), tlm::TLM_OK_RESPONSE);
  }
  static uint32_t rd(Card& c, uint32_t cfg_off) {
    uint32_t v = 0;
    sc_core::sc_time d;
    EXPECT_EQ(bus_access(c.noc(), tlm::TLM_READ_COMMAND, GAUDI_CFG_BASE + cfg_off, &v, 4, d), tlm::TLM_OK_RESPONSE);
    return v;
  }
  static uint32_t qpc(Card& c, uint32_t reg) { return rd(c, GSIM_NIC_QPC_BLOCK(0) + reg); }

  // Port bring-up as the driver does it: enable, protect driver HBM, NIC CQ in HBM.
  static void bring_up(Card& c) {
    const uint32_t blk = GSIM_NIC_QPC_BLOCK(0);
    wr(c, blk + GSIM_NIC_RX_PROT_END_LO, uint32_t(kUser));
    wr(c, blk + GSIM_NIC_CQ_BASE_LO, uint32_t(kCqBase));
    wr(c, blk + GSIM_NIC_CQ_LEN, kCqLen);
    wr(c, blk + GSIM_NIC_PORT_CFG, GSIM_NIC_PORT_CFG_ENABLE);
  }

  // Requester context of conn.qp_a on A, responder context of conn.qp_b on B.
  void connect(const Conn& k) {
    const uint32_t ba_blk = GSIM_NIC_QPC_BLOCK(0);
    uint32_t req[GSIM_NIC_QPC_REQ_WORDS] = {};
    req[GSIM_NIC_REQ_W_CFG] = GSIM_NIC_REQ_CFG_VALID | k.priority << GSIM_NIC_REQ_CFG_PRIO_SHIFT |
                              (k.local_sob_allowed ? GSIM_NIC_REQ_CFG_SOB_EN : 0u) |
                              k.timer_granularity << GSIM_NIC_REQ_CFG_TIMER_SHIFT | k.burst << GSIM_NIC_REQ_CFG_BURST_SHIFT;
    req[GSIM_NIC_REQ_W_DST_QP] = k.qp_b;
    req[GSIM_NIC_REQ_W_RKEY] = k.rkey;
    req[GSIM_NIC_REQ_W_SRC_IP] = na().ip();
    req[GSIM_NIC_REQ_W_DST_IP] = nb().ip();
    req[GSIM_NIC_REQ_W_DST_MAC_LO] = uint32_t(nb().mac());
    req[GSIM_NIC_REQ_W_DST_MAC_HI] = uint32_t(nb().mac() >> 32);
    req[GSIM_NIC_REQ_W_INITIAL_PSN] = k.initial_psn;
    req[GSIM_NIC_REQ_W_LAST_WQE_INDEX] = 1023;
    for (unsigned i = 0; i < GSIM_NIC_QPC_REQ_WORDS; ++i) wr(*a, ba_blk + GSIM_NIC_QPC_REQ(i), req[i]);
    wr(*a, ba_blk + GSIM_NIC_QPC_SEL, k.qp_a);
    wr(*a, ba_blk + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_COMMIT_REQ);

    uint32_t res[GSIM_NIC_QPC_RES_WORDS] = {};
    res[GSIM_NIC_RES_W_CFG] = GSIM_NIC_RES_CFG_VALID | (k.remote_sob_allowed ? GSIM_NIC_RES_CFG_SOB_EN : 0u) |
                              k.priority << GSIM_NIC_RES_CFG_PRIO_SHIFT;
    res[GSIM_NIC_RES_W_PEER_QP] = k.qp_a;
    res[GSIM_NIC_RES_W_RKEY] = k.res_rkey;
    res[GSIM_NIC_RES_W_PEER_IP] = na().ip();
    res[GSIM_NIC_RES_W_PEER_MAC_LO] = uint32_t(na().mac());
    res[GSIM_NIC_RES_W_PEER_MAC_HI] = uint32_t(na().mac() >> 32);
    res[GSIM_NIC_RES_W_INITIAL_PSN] = k.initial_psn;
    for (unsigned i = 0; i < GSIM_NIC_QPC_RES_WORDS; ++i) wr(*b, ba_blk + GSIM_NIC_QPC_RES(i), res[i]);
    wr(*b, ba_blk + GSIM_NIC_QPC_SEL, k.qp_b);
    wr(*b, ba_blk + GSIM_NIC_QPC_CMD, GSIM_NIC_QPC_CMD_COMMIT_RES);
  }

  // Both ports up and one connection A -> B.
  void setup(const Conn& k = Conn{}) {
    bring_up(*a);
    bring_up(*b);
    connect(k);
  }

  // Post a WQE on card c, port 0, by bus writes to the work-request block (word 7 last).
  static void post(Card& c, const gsim_nic_send_wqe& w) {
    uint32_t words[8];
    std::memcpy(words, &w, sizeof w);
    for (unsigned i = 0; i < 8; ++i) wr(c, GSIM_NIC_WQE_BLOCK(0) + GSIM_NIC_SEND_WQE(i), words[i]);
  }

  static void fill_pattern(Card& c, uint64_t addr, uint64_t len, uint32_t seed) {
    std::vector<uint8_t> buf(len);
    uint32_t x = seed * 2654435761u + 1;
    for (auto& byte : buf) {
      x = x * 1664525u + 1013904223u;
      byte = uint8_t(x >> 24);
    }
    c.hbm().store().write(addr, buf.data(), len);
  }
  static bool same_bytes(Card& ca, uint64_t pa, Card& cb, uint64_t pb, uint64_t len) {
    std::vector<uint8_t> x(len), y(len);
    ca.hbm().store().read(pa, x.data(), len);
    cb.hbm().store().read(pb, y.data(), len);
    return x == y;
  }
  static uint32_t sob(Card& c, unsigned i) { return c.sync_manager(SyncManager::kWS).sob(i); }

  // NIC CQ entry n of a card (word0, word1).
  static std::pair<uint32_t, uint32_t> cqe(Card& c, unsigned n) {
    uint32_t e[2] = {};
    c.hbm().store().read(kCqBase + uint64_t(n % kCqLen) * 8, e, 8);
    return {e[0], e[1]};
  }
  static uint32_t cqe_type(uint32_t w0) { return (w0 & GSIM_NIC_CQE_TYPE_MASK) >> GSIM_NIC_CQE_TYPE_SHIFT; }

  // Wait in the driver thread until port p of card c has no WQE outstanding.
  static void wait_idle(NicPort& p) {
    while (!p.idle()) sc_core::wait(p.idle_event());
  }
};

// Framing bound of an RDMA WRITE stream at a given MTU: payload / line bytes of a middle
// packet (Ethernet + IPv4 + UDP + BTH + ICRC + FCS + preamble/SFD + IFG = 82 bytes).
inline double framing_bound_gbps(double line_gbps, uint32_t mtu) {
  const double overhead = wire::kEth + wire::kIpv4 + wire::kUdp + wire::kBth + wire::kIcrc + wire::kFcs +
                          wire::kPreambleSfd + wire::kIfg;
  return line_gbps * mtu / (mtu + overhead);
}

}  // namespace gs::test
