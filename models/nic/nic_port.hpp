// One GAUDI NIC engine = one 100 GbE RoCE v2 port (docs/nic.md, specs/gaudi/nic.h).
//
// It is three things at once: the engine behind its QMAN (user CBs post send WQEs by writing
// the work-request block; an engine barrier waits until every posted write is acknowledged),
// a NetPort on the fabric (a MAC: an EgressPort at line rate plus PHY latency, and the
// receive side), and a register block the driver programs (QP contexts, port, NIC CQ).
//
// Transport: reliable connection, RDMA WRITE only. The requester splits a write into MTU
// packets, keeps at most two data frames per priority queued in the MAC and refills as they
// leave (PFC pause simply stops the refill), go-back-N on NAK or timeout. The responder writes
// in-order payloads into HBM/SRAM, ACKs coalesced, NAKs a gap once, re-ACKs duplicates, and
// increments the sync object named in the immediate once the whole message has landed.
//
// Event driven: two method processes per port (the transmit pump and a time-ordered queue
// of due actions: posted WQEs, timers, delayed ACKs, sync-object signals); the MAC's frame
// end calls the pump itself. No thread.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/bus_target.hpp"
#include "models/common/reg_bank.hpp"
#include "models/common/lazy_wake.hpp"
#include "models/fabric/egress_port.hpp"
#include "models/fabric/net_port.hpp"
#include "models/nic/nic_params.hpp"
#include "models/nic/nic_qp.hpp"
#include "models/nic/payload_pool.hpp"
#include "models/qman/engine_if.hpp"

namespace gs {

// What the card gives a port: its router and memories, and the ways to interrupt the host.
// The port reads the first three per frame or chunk (the port keeps them in a hot line).
struct NicCardSide {
  BusTarget* noc = nullptr;  // data reads/writes, sync objects, CQ entries (device addresses)
  unsigned card_index = 0;
  bool timing_payload = false;  // sim.payload=timing: no payload bytes read, carried or written
  uint64_t hbm_bytes = 0, sram_bytes = 0;
  std::function<void(unsigned vector, sc_core::sc_time delay)> raise_msi;
  std::function<void(uint16_t event_id)> post_event;  // the device CPU's event queue
};

// Per-port counters; the GSIM_NIC_CNT_* registers read them.
// The eight counted for every frame come first: one cache line (the port holds them aligned).
struct NicCounters {
  uint64_t tx_frames = 0, tx_bytes = 0, rx_frames = 0, rx_bytes = 0;
  uint64_t tx_payload_bytes = 0, rx_payload_bytes = 0;  // RDMA bytes (first transmissions / written)
  uint64_t acks_sent = 0, acks_received = 0;
  uint64_t retransmissions = 0, naks_sent = 0, naks_received = 0, timeouts = 0;
  uint64_t rx_drops = 0, rx_corrupt = 0, rx_bad_qp = 0, rx_duplicates = 0, rx_out_of_seq = 0;
  uint64_t pause_received = 0;
  uint64_t msgs_sent = 0, msgs_received = 0, qp_errors = 0, wqes_refused = 0;
  uint64_t cq_overflows = 0, rx_access_errors = 0;
};

class NicPort : public sc_core::sc_module, public QmanEngine, public NetPort, public NetReceiver {
 public:
  static constexpr unsigned kTxDepth = 2;            // data frames queued per priority in the MAC
  static constexpr uint32_t kFetchChunk = 64 * 1024;  // local read granule (read one ahead)

  NicPort(sc_core::sc_module_name name, const NicParams& p, NicCardSide card, unsigned port,
          sc_core::sc_time reg_latency = sc_core::SC_ZERO_TIME);

  // Register blocks the card maps: GSIM_NIC_QPC_BLOCK(port) and GSIM_NIC_WQE_BLOCK(port).
  RegBank& qpc_regs() { return qpc_; }
  RegBank& wqe_regs() { return wqe_; }
  unsigned port() const { return port_; }

  // QmanEngine: a NIC queue has no DMA engine (LIN_DMA is refused); idle = every posted WQE
  // acknowledged (or refused/flushed).
  bool start_lin_dma(const packet_lin_dma&, std::function<void(bool)>) override { return false; }
  bool idle() const override { return outstanding_ == 0; }
  const sc_core::sc_event& idle_event() const override { return idle_ev_; }
  void reset() override;  // hard reset: QPs, registers (but MAC/IP), counters, queues

  // NetPort
  EgressPort& egress() override { return egress_; }
  NetReceiver& ingress() override { return *this; }
  uint64_t mac() const override { return mac_; }
  uint32_t ip() const override { return ip_; }
  void set_address(uint64_t mac, uint32_t ip) override;
  void link_changed(bool up) override;
  std::string port_name() const override { return name(); }

  // NetReceiver: a whole frame arrived from the cable.
  void receive(const PacketPtr& p) override;

  // Inspection for tests and the testbench.
  const NicCounters& counters() const { return cnt_; }
  bool enabled() const { return enabled_; }
  bool link_up() const { return enabled() && cable_up(); }
  uint32_t outstanding_wqes() const { return outstanding_; }
  bool qp_in_error(uint32_t qp) const;
  uint32_t qp_syndrome(uint32_t qp) const;
  const std::map<uint32_t, Qp>& qps() const { return qps_; }  // by QP number
  uint32_t cq_pi() const { return cq_pi_; }
  const std::vector<uint16_t>& events() const { return events_; }  // posted, in order

  // Fault injection: the port's transport engine stops (nothing sent or received, timers
  // frozen) until the next hard reset; the link stays up, so only timeouts tell.
  void hang();
  bool hung() const { return hung_; }

 private:
  // nic_regs.cpp: the two register blocks (shared by every port) and QPC_CMD.
  static const RegLayoutOf<NicPort>& qpc_layout();
  static const RegLayoutOf<NicPort>& wqe_layout();
  static RegLayoutOf<NicPort> build_qpc_layout();
  static RegLayoutOf<NicPort> build_wqe_layout();
  void qpc_command(uint32_t cmd);
  uint32_t qpc_status() const;
  uint32_t counter_reg(uint32_t offset) const;
  uint64_t rx_prot_end() const;
  uint32_t sob_min() const;

  // nic_port.cpp: frames in and out, link state, due actions.
  bool cable_up() const { return !cable_down_ && egress_.link_up(); }
  void update_link_state();
  void send_frame(const PacketPtr& p);
  void on_dequeue(FrameHead f);
  PacketPtr new_frame(unsigned priority, uint64_t dst_mac, uint32_t dst_ip, uint32_t dst_qp, uint32_t src_qp);
  // A due action: plain data kept in a heap, so that scheduling one (a posted WQE, a timer, a
  // delayed ACK, a landed message) allocates nothing.
  struct Due {
    enum class Kind : uint8_t { post_wqe, retrans_timer, delayed_ack, message_landed };
    sc_core::sc_time when;
    uint64_t seq;  // equal times run in the order scheduled
    Kind kind;
    uint32_t qpn;
    uint64_t gen;         // retrans_timer, delayed_ack: the generation; message_landed: the epoch
    uint32_t sob, msn;    // message_landed
    gsim_nic_send_wqe wqe;  // post_wqe
  };
  struct DueLater {  // std heaps keep the largest on top: "largest" = the latest
    bool operator()(const Due& a, const Due& b) const { return a.when != b.when ? a.when > b.when : a.seq > b.seq; }
  };
  void at(sc_core::sc_time delay, Due d);
  void run_due();  // due_ev_'s action
  void run(const Due& d);
  Qp* find_qp(uint32_t qpn);
  void erase_qp(uint32_t qpn);
  bool local_range_ok(uint64_t addr, uint64_t len) const;

  // nic_requester.cpp: WQEs, segmentation, the transmit pump, ACK/NAK, timers.
  void post_wqe(const gsim_nic_send_wqe& w);
  uint32_t check_wqe(const gsim_nic_send_wqe& w) const;
  // pump_ev_'s action, and called directly when the MAC starts a frame or runs dry: the
  // refill happens in the activation that made room (a frame's end), in its order.
  void pump();
  void pump_pass(sc_core::sc_time& wake, bool& have_wake);
  enum class TxResult { sent, blocked, later };
  TxResult try_send(uint32_t qpn, Qp& q, sc_core::sc_time& wake);
  bool fetch_for(Qp& q, uint32_t qpn, RcMessage& m, uint64_t end_offset, sc_core::sc_time& ready);
  void on_ack(const Packet& p);
  void update_timer(uint32_t qpn, Qp& q, bool progress);
  void timer_expired(uint32_t qpn, uint64_t gen);
  sc_core::sc_time retrans_timeout(const Qp& q) const;
  void add_to_ring(uint32_t qpn, Qp& q);
  void remove_from_ring(uint32_t qpn);

  // nic_responder.cpp: incoming writes, ACK/NAK generation.
  void on_data(const PacketPtr& p);
  bool accept_first(const Qp& q, const Packet& p) const;
  void send_ack(uint32_t qpn, Qp& q, uint8_t syndrome, uint32_t psn);
  void schedule_delayed_ack(uint32_t qpn, Qp& q);
  void delayed_ack_due(uint32_t qpn, uint64_t gen);
  void message_landed(uint32_t qpn, Qp& q, uint32_t imm, sc_core::sc_time landed);
  void landed_due(uint32_t qpn, uint32_t sob, uint32_t msn, uint64_t epoch);

  // nic_completion.cpp: CQ entries, sync objects, events, QP errors.
  void write_cqe(uint32_t qpn, uint32_t type, uint32_t word1, sc_core::sc_time delay = sc_core::SC_ZERO_TIME);
  void signal_sob(uint32_t sob);
  void post_event(uint16_t id);
  void refuse_wqe(const gsim_nic_send_wqe& w, uint32_t cause);
  void enter_error(uint32_t qpn, Qp& q, uint32_t syndrome);
  void flush_requester(uint32_t qpn, Qp& q, uint32_t syndrome);
  void wqe_done(uint32_t count);

  // Read for every frame sent or received: together, ahead of the rest (at 1024 cards the
  // busy ports' state does not stay in the caches, so every line a frame reads costs a miss),
  // in two cache lines, and the per-frame counters in the next.
  alignas(64) bool enabled_ = false;  // PORT_CFG.ENABLE, kept in step by its write hook and reset()
  bool cable_down_ = false;           // the cable said down (link_changed)
  bool hung_ = false;                 // fault injection: the engine stopped
  bool reported_up_ = false;          // LINK_STATUS as last reported by an event
  uint32_t ip_ = 0;
  uint64_t mac_ = 0;
  uint32_t last_qpn_ = 0;             // find_qp's last answer (QPs are map nodes: never moved)
  bool in_pump_ = false;              // pump() is running: a call from inside it asks for another pass
  bool pump_again_ = false;
  Qp* last_qp_ = nullptr;
  std::array<uint16_t, EgressPort::kPriorities> data_queued_{};  // at most kTxDepth each
  // The next frame's uid: card index, port and a 40-bit count (only the count moves).
  uint64_t next_uid_ = 0;
  uint64_t gen_ = 0;                  // source of timer/ACK generations (never reused)
  std::vector<uint32_t> ring_;        // QPs with packets to send, in turn order
  const NicParams& p_;
  std::shared_ptr<PayloadPool> payload_pool_ = PayloadPool::shared();
  NicCardSide card_;                  // its first fields end the second line
  alignas(64) NicCounters cnt_;

  unsigned port_;
  RegBank qpc_, wqe_;
  const uint32_t* port_cfg_ = nullptr;  // PORT_CFG's value (enabled_ follows it)
  EgressPort egress_;

  std::map<uint32_t, Qp> qps_;        // by QP number; ordered: deterministic iteration
  uint32_t outstanding_ = 0;          // WQEs written, not yet acknowledged/refused/flushed
  uint32_t wqe_posted_ = 0, wqe_err_ = 0;
  uint32_t cq_pi_ = 0, last_err_qp_ = 0, last_err_synd_ = 0;
  uint64_t epoch_ = 0;
  std::vector<uint16_t> events_;

  std::vector<Due> due_;  // a heap, earliest on top
  uint64_t due_seq_ = 0;
  sc_core::sc_event idle_ev_;
  // Timed wakes fire in a fixed order among the instant's others (timed_wake.hpp), ranked
  // by name() + ".due" and ".feed": both before the MAC's frame end ("mac"), whose choice of
  // the next frame then sees what they queued at that instant (egress_port.hpp); made with
  // their methods on first use (lazy_wake.hpp: events and processes made at elaboration are
  // named and registered).
  LazyWake due_ev_{this, ".due", "run_due", [this] { run_due(); }};
  LazyWake pump_ev_{this, ".feed", "pump", [this] { pump(); }};
};

}  // namespace gs
