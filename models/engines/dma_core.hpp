// A DMA core (one DMA channel's engine): linear copies and memsets between device addresses
// (HBM, SRAM, host memory through the PCIe endpoint, registers) through the card's router.
//
// Jobs come from the QMAN's lower CP (start_lin_dma) or from the register path the CP uses on
// silicon (SRC_BASE, DST_BASE, DST_TSIZE_0, then COMMIT), and run in FIFO order by a state
// machine (Flow: the phase it waits in, the job and its transfer's chunk schedule) driven by
// one SystemC method, made with the channel's first job: no coroutine stack per engine, and
// channels never used cost nothing. A job moves its bytes in chunks of dma.chunk_bytes: each
// chunk is read (the annotated delay of the read says when its data is there), then written at that time; up to
// dma.outstanding_chunks chunks are in flight, so reads and writes overlap and the job takes
// about max(read time, write time); chunk issue is also paced at dma.engine_gbps. Every
// access is made at its own simulated time, so engines sharing a memory interleave chunk by
// chunk. Data really moves (the bytes are read into a buffer and written out).
//
// Wakes (as the engine's thread had them): timed waits (setup, chunk actions, a failed read's
// answer, the last write, the completion write) on the channel's TimedWake or its reset
// event, a halted chunk boundary on the CFG or reset event, a new job on the method's start
// event (a delta later, as the thread's kick). A method runs before the threads of its delta:
// a chunk step may now come before a thread's (host, compute engine) at a same-delta
// coincidence, which it used to follow.
//
// Registers (regs(), mapped by the card at GAUDI_BLK_DMA_CORE(n)):
//   CFG_0.EN (reset 1 in gaudisim): 0 holds queued jobs before they start.
//   CFG_1.HALT: the engine stops at the next chunk boundary until cleared (STS1.IS_HALT).
//   SRC_BASE_LO/HI, DST_BASE_LO/HI, DST_TSIZE_0, COMMIT: the register path (no done()).
//   WR_COMP_WDATA, WR_COMP_ADDR_LO/HI: taken when a job is accepted; with WR_COMP_EN in
//     the packet the engine writes WDATA to ADDR after the last data write has landed.
//   PROT: stored. ERR_CFG: ERR_MSG_EN calls on_error, STOP_ON_ERR sets CFG_1.HALT.
//   ERR_CAUSE (write 1 to clear): HBW_RD_ERR, HBW_WR_ERR, LBW_WR_ERR (completion write).
//   STS0: bit 31 BUSY while a job runs or waits. STS1: bit 0 IS_HALT.
#pragma once
#include <cstdint>
#include <functional>
#include <systemc>

#include "models/common/timed_wake.hpp"
#include <deque>
#include <memory>
#include <vector>

#include "models/common/bandwidth_server.hpp"
#include "models/common/bus_initiator.hpp"
#include "models/common/bus_target.hpp"
#include "models/common/fifo_queue.hpp"
#include "models/common/page_blocks.hpp"
#include "models/common/shared_block.hpp"
#include "models/common/reg_bank.hpp"
#include "models/engines/dma_params.hpp"
#include "models/qman/engine_if.hpp"
#include "specs/gaudi/regs.h"

namespace gs {

class DmaCore : public sc_core::sc_module, public QmanEngine {
 public:
  DmaCore(sc_core::sc_module_name name, const DmaParams& p, BusTarget& noc, unsigned channel,
          sc_core::sc_time reg_latency = sc_core::SC_ZERO_TIME);

  RegBank& regs() { return regs_; }
  unsigned channel() const { return channel_; }

  // QmanEngine. start_lin_dma accepts linear copies and memsets (LIN set; TRANSPOSE,
  // COMPRESS, DECOMPRESS rejected with false). Every accepted job gets exactly one done():
  // done(true) once its data (and completion write) have landed, done(false) on a bus error
  // (ERR_CAUSE says which) or when reset() dropped or aborted it.
  bool start_lin_dma(const packet_lin_dma& pkt, std::function<void(bool ok)> done) override;
  bool idle() const override { return !running_ && jobs_.empty() && dropped_.empty(); }
  const sc_core::sc_event& idle_event() const override { return idle_ev_; }
  // Hard reset: registers to reset values, queued jobs dropped, the running job aborted at
  // once (its chunk boundary); their done(false) calls come from the engine's method a delta
  // cycle later, running job first.
  void reset() override;
  // Fault injection: the engine stops making progress (queued and running jobs stall)
  // until the next hard reset.
  void hang();
  // sim.payload=timing: jobs read and write no bytes, only their sizes at their times.
  void set_timing_payload(bool on) { timing_payload_ = on; }
  bool hung() const { return hung_; }

  // Called on an error when ERR_CFG.ERR_MSG_EN is set (the card may raise an event).
  std::function<void(unsigned channel, uint32_t cause)> on_error;
  // Its data, descriptor and completion accesses are user transactions of this initiator.
  void set_initiator(uint32_t id, const char* name) { who_ = BusInitiator(id, name); }

  uint32_t err_cause() const { return err_cause_; }
  uint64_t last_error_address() const { return last_error_addr_; }
  size_t queued() const { return jobs_.size(); }
  uint64_t bytes_moved() const { return bytes_; }       // bytes written to destinations
  uint64_t jobs_done() const { return jobs_ok_; }
  uint64_t jobs_failed() const { return jobs_failed_; }  // errors and aborts
  uint64_t jobs_rejected() const { return jobs_rejected_; }
  sc_core::sc_time busy_time() const { return busy_; }  // sum of job run times

 private:
  struct Job {
    packet_lin_dma pkt;
    uint32_t comp_data;
    uint64_t comp_addr;
    std::function<void(bool)> done;
    uint64_t epoch;
  };
  enum class Result { kOk, kError, kAborted, kParked };  // kParked: waits for a trigger
  // Where the engine's flow is: the point its method resumes at when woken.
  enum class Phase : uint8_t {
    next,        // between jobs: report dropped ones, take the next (or go idle)
    begin,       // the job was taken: its setup, or (no data) its completion write
    setup,       // the job's setup_ns (a reset cuts it short)
    boundary,    // chunk boundary: held while halted, then the next chunk action
    chunk,       // waiting until the chosen chunk action's time
    read_error,  // a failed read answers when the bus says
    drain,       // the last write lands / the engine's rate allows the end
    completion,  // the completion write lands
  };
  struct Ready {
    uint64_t index;
    sc_core::sc_time at;  // when the chunk's data is in the engine
  };
  // What the method keeps between its runs (the thread kept it on its stack), with what it
  // waits on. Made with the first job: channels never used hold no events (SystemC names and
  // registers every event made before the simulation runs).
  struct Flow {
    explicit Flow(const char* owner) : timer(owner) {
      timer_or_reset |= timer.event(), timer_or_reset |= reset;
      cfg_or_reset |= cfg, cfg_or_reset |= reset;
    }
    sc_core::sc_event start, reset, cfg;
    TimedWake timer;  // timed waits, in a fixed order among the instant's
    sc_core::sc_event_or_list timer_or_reset, cfg_or_reset;  // kept: `a | b` allocates a list
    bool active = false;  // the method holds a job or is about to look for one
    bool waited = false;  // the timer is armed for the phase being resumed
    Phase phase = Phase::next;
    Job job;
    sc_core::sc_time start_time;
    // The transfer: its geometry, then its chunk schedule.
    uint64_t src = 0, dst = 0, size = 0, chunk = 0, nchunks = 0, window = 0, slot_bytes = 0;
    bool memset = false;
    uint8_t* buf = nullptr;
    std::deque<Ready> ready;
    std::vector<sc_core::sc_time> slot_free;  // its last write landed
    // A chunk a memory lent by reference (its page's block) instead of reading it into the
    // slot: the write hands the same reference on, so HBM -> HBM copies share pages.
    std::vector<BlockShare> lent;
    sc_core::sc_time pace, last_write;
    uint64_t issued = 0, written = 0;
    bool write_next = false;  // the chosen chunk action
    uint64_t error_addr = 0;  // a failed read's address
  };

  static const RegLayoutOf<DmaCore>& reg_layout();  // shared by every DMA core
  static RegLayoutOf<DmaCore> build_reg_layout();
  void notify_waits(bool reset);  // a CFG change (and a reset) reaches a waiting flow
  void commit(uint32_t flags);  // COMMIT register write
  void wake();
  void kick();                  // starts the method in the next delta unless it is active
  void run();                   // the engine's method: jobs one at a time, from where it parked
  bool take_job(Flow& f);       // false: no job to run now
  void end_job(Flow& f, Result r);
  Result advance(Flow& f);      // runs phases until the flow parks or the job is over
  Result completion(Flow& f);
  // dma_transfer.cpp: the chunk schedule.
  void begin_transfer(Flow& f);
  Result chunks(Flow& f);       // the boundary and chunk phases
  Result write_chunk(Flow& f);
  Result read_chunk(Flow& f);
  // Parks until t (a reset cuts it short) and resumes at `then`; kOk when t has come.
  Result wait_until(Flow& f, sc_core::sc_time t, Phase then);
  // Entering a phase after wait_until: false when reset meanwhile.
  bool resumed(Flow& f) {
    if (f.waited) f.timer.cancel();
    f.waited = false;
    return f.job.epoch == epoch_;
  }
  void error(uint32_t cause, uint64_t addr);
  void finish(Job& j, bool ok);
  bool halted() const;

  const DmaParams& p_;
  BusTarget& noc_;
  BusInitiator who_;
  unsigned channel_;
  RegBank regs_;
  // CFG_0 and CFG_1's values, read by halted() before every chunk step (a look-up by offset
  // in the layout each time was a tenth of a DMA chunk's instructions).
  const uint32_t* cfg0_ = regs_.value_ptr(GAUDI_DMA_CORE_CFG_0);
  const uint32_t* cfg1_ = regs_.value_ptr(GAUDI_DMA_CORE_CFG_1);
  BandwidthServer engine_;  // the channel's own rate limit
  // FifoQueue: a std::deque allocates about 600 bytes when made, and a card has 8 DMA cores and 10 compute engines.
  FifoQueue<Job> jobs_;
  FifoQueue<Job> dropped_;  // queued when reset() came: told done(false) by the method
  // The transfer's bounce buffer (window x chunk bytes, uninitialised): taken from a
  // process-wide pool per size while the channel has work, given back when it is idle.
  uint8_t* bounce(size_t bytes);
  PageBlocks::Block bounce_;
  size_t bounce_bytes_ = 0;
  std::vector<uint8_t> bounce_big_;  // larger than a pool slab (an unusual config)
  bool running_ = false, stalled_ = false;
  uint64_t epoch_ = 0;
  std::unique_ptr<Flow> flow_;
  sc_core::sc_event idle_ev_;
  bool hung_ = false;
  bool timing_payload_ = false;
  uint32_t err_cause_ = 0;
  uint64_t last_error_addr_ = 0;
  uint64_t bytes_ = 0, jobs_ok_ = 0, jobs_failed_ = 0, jobs_rejected_ = 0;
  sc_core::sc_time busy_;
};

}  // namespace gs
