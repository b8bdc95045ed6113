// One GAUDI queue manager: 4 streams, each with a primary queue (a ring of 16-byte CB
// descriptors the driver fills), an upper command processor that takes entries when the
// doorbell (PQ_PI) moves, and packet execution for the CBs; the engine behind it (DMA core,
// later TPC/MME/NIC) gets the LIN_DMA packets.
//
// Model: each busy stream runs fetch and execution in order as a state machine (Flow: the
// phase it waits in, the CB frames it runs, its epoch) driven by one SystemC method, made
// with the stream's first entry: no coroutine stack per stream, and idle streams cost
// nothing. The lower CP shared by the streams is not modelled as a separate unit; CP_DMA
// runs its CB as a nested frame of the stream's flow, with the stream's fence counters and
// message bases. Illegal packets stop the stream and are reported (QmanError); they never
// abort the simulator.
//
// Timing: per PQ entry fetch_cycles, then the entry read and the CB read through the NoC
// (their annotated delays are waited out; host-resident queues cost PCIe time); per packet
// cycles_per_packet, then its effect. Every write a packet makes completes (its delay is
// waited out) before the next packet starts, so MB/RB barriers hold by construction.
//
// Wakes (as the stream threads had them): cycle waits and NoC read delays through the
// stream's TimedWake (cycle waits also end on the stream's wake event), write completion as
// the method's own timed trigger (next_trigger(d), the kernel's, as a thread's wait(d) was),
// FENCE and packet-boundary holds on the wake event, EB on the engine's idle event. A method
// runs before the threads of its delta: a stream's step may now come before a thread's
// (DMA core, compute engine, host) at a same-delta coincidence, which it used to follow.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/bus_initiator.hpp"
#include "models/common/bus_target.hpp"
#include "models/common/fifo_queue.hpp"
#include "models/common/lazy_wake.hpp"
#include "models/common/reg_bank.hpp"
#include "models/qman/engine_if.hpp"
#include "models/qman/qman_error.hpp"
#include "models/qman/qman_packets.hpp"
#include "models/qman/qman_params.hpp"
#include "specs/gaudi/regs.h"

namespace gs {

// GLBL_STS0 bit positions (public layout); s = stream 0..3, bit s + 4 of the CP fields is the
// lower CP. The CQ fetchers are not modelled and always read idle.
namespace qm_sts0 {
constexpr uint32_t pqf_idle(unsigned s) { return 1u << s; }
constexpr uint32_t cp_idle(unsigned s) { return 1u << (9 + s); }
constexpr uint32_t pqf_stopped(unsigned s) { return 1u << (16 + s); }
constexpr uint32_t cp_stopped(unsigned s) { return 1u << (25 + s); }
constexpr uint32_t kAllIdle = 0x3FFFu;  // what the Linux driver's idle check expects
}  // namespace qm_sts0

class Qman : public sc_core::sc_module, public BusTarget {
 public:
  static constexpr unsigned kStreams = GAUDI_QMAN_STREAMS;  // upper CPs 0..3
  static constexpr unsigned kCps = GAUDI_QMAN_CPS;          // + the lower CP (4)
  static constexpr unsigned kFences = GAUDI_QMAN_FENCES;
  static constexpr uint64_t kBlockSize = 0x1000;            // bytes the card maps
  static constexpr uint32_t kMaxCbBytes = 16u << 20;        // larger CBs are refused (cb_read)
  static constexpr uint32_t kMaxPqLog2 = 16;                // PQ_SIZE is clamped to this

  // block_offset: this QMAN's GAUDI_BLK_*_QM offset from CFG_BASE (WREG_32 writes go to the
  // 64 KiB window it lies in). qman_id: opaque id copied into error reports. on_error is
  // called from a method process of its own (never from a stream's) in the timestep of the error.
  Qman(sc_core::sc_module_name name, const QmanParams& p, BusTarget& noc, QmanEngine* engine,
       uint32_t block_offset, unsigned qman_id, QmanErrorSink on_error,
       sc_core::sc_time reg_latency = sc_core::SC_ZERO_TIME);

  // Register block; payload addresses are offsets inside the block.
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;
  RegBank& regs() { return regs_; }

  // Hard reset: every stream stops at its next packet boundary (waits are cut short),
  // PI/CI/fences/bases/enables/status return to 0, pending register effects are dropped,
  // and the engine is reset.
  void reset();

  // Inspection, for tests and tracing.
  uint32_t pi(unsigned s) const { return st_.at(s).pi; }
  uint32_t ci(unsigned s) const { return st_.at(s).ci; }
  uint32_t fence(unsigned cp, unsigned f) const { return fence_.at(cp).at(f); }
  bool stream_enabled(unsigned s) const;
  bool stream_stopped(unsigned s) const { return st_.at(s).stopped; }  // by a STOP packet
  bool stream_in_error(unsigned s) const { return st_.at(s).error; }
  uint32_t sts1(unsigned cp) const { return sts1_.at(cp); }
  uint64_t packets_executed() const { return packets_; }
  uint64_t cbs_executed() const { return cbs_; }
  uint64_t errors_raised() const { return errors_; }
  uint32_t block_offset() const { return block_offset_; }
  unsigned id() const { return id_; }
  QmanEngine* engine() const { return engine_; }
  // The packets the CPs execute are user transactions of this initiator (RAZWI reports),
  // except MSG_PROT on a CP that GLBL_PROT marks trusted.
  void set_initiator(uint32_t id, const char* name) { who_ = BusInitiator(id, name); }
  sc_core::sc_time cycle() const { return cycle_; }

 private:
  struct Stream {
    uint32_t pi = 0, ci = 0;      // effective values, modulo 2 * entries
    bool stopped = false;         // STOP packet: halted until re-enable or reset
    bool error = false;           // halted by an error until re-enable or reset
    bool busy = false;            // holds a CB (running, or halted inside it)
    bool nested = false;          // inside a CP_DMA CB
    bool fence_wait = false;
    unsigned fence_id = 0;
    uint64_t cur_inst = 0;        // device address of the packet being executed
    uint64_t epoch = 0;           // bumped by reset/flush: current work is dropped
  };

  // Where a stream's flow is: the point its method resumes at when woken.
  enum class Phase : uint8_t {
    idle,           // no entry: the method runs again when kicked
    entry,          // a PQ entry is to be taken: fetch_cycles first
    cycles,         // idling QMAN cycles until `until` (reset cuts it short), then `after`
    fetch,          // a NoC read's delay is waited out (not cut short), then `after`
    read_entry,     // read the PQ entry
    entry_read,     // the entry has arrived: fetch its CB
    cb_read,        // the CB has arrived: run it
    packet,         // packet boundary of the top frame (or its end)
    runnable,       // held at the boundary while stopped or disabled
    engine_idle,    // EB: the engine still has work
    execute,        // the packet's cycles are done: carry it out
    write_done,     // the packet's writes complete (a plain timed trigger)
    fence,          // FENCE: the counter is below its target
    wait_done,      // WAIT: its cycles are done, the fence increment follows
    cp_dma_read,    // CP_DMA: the nested CB has arrived
  };
  enum class Step : uint8_t { go, park, end };  // go on / wait for a trigger / the entry is over

  // One CB being run: the PQ entry's, or a CP_DMA's nested one.
  struct Frame {
    uint64_t addr = 0;
    std::vector<uint8_t> bytes;
    uint32_t off = 0, next = 0;                // the packet at off; the one after it
    std::map<uint32_t, uint32_t> repeat_left;  // REPEAT offset -> jumps still to make
    sc_core::sc_time start;
    DecodedPacket k;                           // the packet at off, once decoded
  };

  // What a stream's method keeps between its runs (a thread kept it on its stack), with what
  // it waits on. Made with the stream's first entry: streams never used hold no events
  // (SystemC names and registers every event made before the simulation runs, and a card
  // has 112 streams).
  struct Flow {
    explicit Flow(std::string owner) : timer_owner(std::move(owner)) { timer.set_owner(timer_owner.c_str()); }
    sc_core::sc_event wake;     // doorbell, enable, fence write, reset
    std::string timer_owner;    // "<qman>.s<N>"
    TimedWake timer;            // the stream's timed waits, in a fixed order among the instant's
    sc_core::sc_event start;    // kick(): the idle method takes entries again
    bool running = false;       // the method holds an entry or is about to look for one
    Phase phase = Phase::idle, after = Phase::idle;
    uint64_t epoch = 0;         // the stream's epoch when the entry was taken
    sc_core::sc_time until;     // end of a cycles wait
    sc_core::sc_time fence_start;
    gaudi_qman_pq_entry entry{};
    uint64_t entry_addr = 0;
    bool read_ok = true;        // the last NoC read answered without error
    std::array<Frame, 2> frames;  // the entry's CB, and a CP_DMA's
    unsigned depth = 0;         // frames in use
    Frame& top() { return frames[depth - 1]; }
    // Frame new_depth - 1 (its bytes and address in place) starts at its first packet, now.
    void begin_frame(unsigned new_depth) {
      depth = new_depth;
      Frame& fr = top();
      fr.off = 0;
      fr.repeat_left.clear();
      fr.start = sc_core::sc_time_stamp();
      phase = Phase::packet;
    }
  };

  // qman_regs.cpp: the register map (shared by every QMAN) and status composition.
  static const RegLayoutOf<Qman>& reg_layout();
  static RegLayoutOf<Qman> build_reg_layout();
  uint32_t compose_sts0() const;
  uint32_t compose_cp_sts(unsigned cp) const;

  // qman.cpp: register effects at their annotated time, enables, upper CP.
  void at_effect_time(sc_core::sc_time delay, std::function<void()> fn);
  void apply_due_effects();
  void apply_cfg0(uint32_t v);
  void apply_cfg1(uint32_t v);
  void apply_doorbell(unsigned s, uint32_t v);
  void add_fence(unsigned cp, unsigned f, uint32_t v);
  uint32_t entries(unsigned s) const;
  uint64_t pq_base(unsigned s) const;
  bool can_fetch(unsigned s) const;
  bool can_execute(unsigned s) const;
  bool stale(unsigned s, uint64_t epoch) const { return st_[s].epoch != epoch; }
  void wake(unsigned s);

  // qman_stream.cpp: the stream's method and its upper CP (take a PQ entry, fetch its CB).
  void kick(unsigned s);
  void stream_method(unsigned s);
  Step advance(unsigned s, Flow& f);
  Step read_entry(unsigned s, Flow& f);
  Step entry_read(unsigned s, Flow& f);
  Step cb_read(unsigned s, Flow& f);
  Step wait_cycles(unsigned s, Flow& f, uint64_t cycles, Phase then);
  Step cycles_elapsed(unsigned s, Flow& f);
  Step fetch(unsigned s, Flow& f, uint64_t addr, uint32_t len, std::vector<uint8_t>& out, Phase then);
  Step park_on(const sc_core::sc_event& e);
  Step park_on_wake_or_timer(Flow& f);

  // qman_exec.cpp: the packets of one CB.
  Step packet_boundary(unsigned s, Flow& f);
  Step runnable(unsigned s, Flow& f);
  Step engine_idle(unsigned s, Flow& f);
  Step packet_done(Flow& f);
  bool decode(unsigned s, const Frame& fr, DecodedPacket& k);
  Step execute(unsigned s, Flow& f);
  Step write32(unsigned s, Flow& f, const DecodedPacket& k, uint64_t addr, uint32_t v,
               QmanErrorKind kind, bool trusted = false);
  Step writes_done(unsigned s, Flow& f, sc_core::sc_time d);
  bool cp_trusted(unsigned s) const;
  Step exec_wreg_bulk(unsigned s, Flow& f, const DecodedPacket& k);
  Step exec_fence(unsigned s, Flow& f, const DecodedPacket& k);
  Step fence_check(unsigned s, Flow& f);
  Step fence_released(unsigned s, Flow& f, const DecodedPacket& k);
  Step exec_wait(unsigned s, Flow& f, const DecodedPacket& k);
  Step wait_done(unsigned s, Flow& f);
  Step exec_lin_dma(unsigned s, Flow& f, const DecodedPacket& k);
  Step exec_cp_dma(unsigned s, Flow& f, const DecodedPacket& k);
  Step cp_dma_read(unsigned s, Flow& f);
  bool exec_repeat(unsigned s, Frame& fr, const DecodedPacket& k);
  uint32_t now_ns() const;

  // qman_error.cpp: error state and reports.
  void raise_error(unsigned s, uint64_t cb_addr, uint32_t offset, uint32_t opcode, uint32_t wdata,
                   QmanErrorKind kind, std::string reason);
  void packet_error(unsigned s, const DecodedPacket& k, QmanErrorKind kind, std::string reason);
  void clear_error_state(unsigned s);
  void deliver_errors();
  sc_core::sc_event& error_event();

  const QmanParams& p_;
  BusTarget& noc_;
  QmanEngine* engine_;
  uint32_t block_offset_;
  unsigned id_;
  BusInitiator who_;
  QmanErrorSink on_error_;
  sc_core::sc_time cycle_;
  RegBank regs_;
  std::array<Stream, kStreams> st_;
  std::array<std::unique_ptr<Flow>, kStreams> flow_;  // a stream's flow, made with its first entry
  std::array<std::array<uint32_t, kFences>, kCps> fence_{};
  std::array<uint32_t, kCps> sts1_{};
  uint32_t cfg0_ = 0, cfg1_ = 0;  // effective GLBL_CFG0/1

  // Register writes whose effect is due later (doorbells, enables, fence increments), in
  // write order: each runs once its time has come and all earlier ones have run.
  // (FifoQueue: a std::deque allocates about 600 bytes when made, and a card has 28 QMANs.)
  FifoQueue<std::pair<sc_core::sc_time, std::function<void()>>> pending_;
  // The earliest pending effect (a fixed order among the instant's wakes), made on first use.
  LazyWake due_{this, ".due", "apply_due_effects", [this] { apply_due_effects(); }};

  FifoQueue<QmanError> undelivered_;
  std::unique_ptr<sc_core::sc_event> error_ev_;  // made with the first error (error_event())
  uint64_t packets_ = 0, cbs_ = 0, errors_ = 0;
};

}  // namespace gs
