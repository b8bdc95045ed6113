// What a TPC core and an MME master share: the launch registers of specs/gaudi/tpc_mme.h, a
// FIFO of launched kernels run by one thread (while there are any), the completion write, the error path, and
// a pipelined schedule of memory steps and compute steps (run_pipeline).
//
// Launch: writing LAUNCH reads the descriptor through the router at once (the descriptor is
// latched) and asks the subclass to check it. A bad descriptor, a completion target outside
// user memory and sync objects, or a full queue make that register write answer with an
// error: the QMAN then stops the stream, raises its error event and the driver fails the job.
//
// Errors while a kernel runs (a bus error on a tensor, a failed completion write) set
// ERR_CAUSE, skip the completion write and call on_error (the card posts the engine's QMAN
// event). A CB learns about them through a LIN_DMA of size 0 on the engine's queue: the
// engine treats it as a sync point and reports done(false) when a kernel launched before it
// failed (since the previous sync point), which stops the stream through the QMAN's error
// path like any failed transfer. Other LIN_DMAs are refused: these engines move no raw bytes.
//
// Timing of one kernel: max(start time, descriptor in) + launch_ns, then run_pipeline: step i
// loads its inputs (bus reads at their simulated time, paced by the engine's own port),
// computes for compute(i) once its data is in and the previous step's compute is done, and
// stores its outputs; up to `window` steps are in flight. That is the roofline: the slower
// of memory (shared HBM/SRAM servers, the port) and compute sets the time, chunk by chunk,
// so engines sharing a memory slow each other down.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/bandwidth_server.hpp"
#include "models/common/bus_initiator.hpp"
#include "models/common/bus_target.hpp"
#include "models/common/fifo_queue.hpp"
#include "models/common/lazy_thread.hpp"
#include "models/common/timed_wake.hpp"
#include "models/common/reg_bank.hpp"
#include "models/engines/kernels/tensor_view.hpp"
#include "models/qman/engine_if.hpp"
#include "specs/gaudi/tpc_mme.h"

namespace gs {

class ComputeEngine : public sc_core::sc_module, public QmanEngine, public BusTarget {
 public:
  ComputeEngine(sc_core::sc_module_name name, BusTarget& noc, unsigned index, uint32_t desc_bytes,
                double port_gbps, double launch_ns, sc_core::sc_time reg_latency);

  // The launch register block (mapped by the card at the engine's block offset).
  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;
  RegBank& regs() { return regs_; }
  unsigned index() const { return index_; }

  // QmanEngine: LIN_DMA of size 0 is a sync point (see above); anything else is refused.
  bool start_lin_dma(const packet_lin_dma& pkt, std::function<void(bool ok)> done) override;
  bool idle() const override { return !running_ && jobs_.empty() && dropped_.empty(); }
  const sc_core::sc_event& idle_event() const override { return idle_ev_; }
  void reset() override;
  // An injected fault (fault script engine_hang): the engine stops where it is, a kernel in
  // progress and those queued behind it never finish, and it raises no error; only a reset
  // brings it back (the driver's CS timeout finds it).
  void hang();
  bool hung() const { return hung_; }

  // Runtime failures (not launch refusals, which the QMAN reports): engine index, cause.
  std::function<void(unsigned index, uint32_t cause)> on_error;
  // Its data, descriptor and completion accesses are user transactions of this initiator.
  void set_initiator(uint32_t id, const char* name) { who_ = BusInitiator(id, name); }
  // Where tensors, descriptors and completion writes may go. Null: anywhere the router maps.
  std::function<bool(uint64_t addr, uint64_t len)> user_memory;

  uint32_t err_cause() const { return err_cause_; }
  uint64_t last_error_address() const { return err_addr_; }
  uint64_t kernels_done() const { return done_; }
  uint64_t kernels_failed() const { return failed_; }  // refused at launch or failed running
  uint64_t launches_refused() const { return refused_; }
  uint64_t bytes_moved() const { return bytes_; }      // tensor bytes read and written
  sc_core::sc_time busy_time() const { return busy_; }
  size_t queued() const { return jobs_.size(); }

 protected:
  enum class Result { kOk, kError, kAborted };

  // Subclass: check a descriptor (0 or GSIM_ENG_ERR_* cause) and run it in the engine thread.
  virtual uint32_t check(const std::vector<uint8_t>& desc) = 0;
  virtual Result execute(const std::vector<uint8_t>& desc, uint64_t epoch) = 0;

  struct Pipeline {
    uint64_t steps = 0;
    unsigned window = 1;
    // Issue step i's reads now; *ready = when its data is in, *bytes = bytes read.
    std::function<bool(uint64_t i, sc_core::sc_time* ready, uint64_t* bytes)> load;
    // Compute time of step i.
    std::function<sc_core::sc_time(uint64_t i)> compute;
    // Finish step i's arithmetic and issue its writes now; *landed, *bytes as above.
    std::function<bool(uint64_t i, sc_core::sc_time* landed, uint64_t* bytes)> store;
  };
  // A load or store that returns false fails the kernel (kError), or aborts it (kAborted)
  // when the engine was reset meanwhile.
  Result run_pipeline(const Pipeline& p, uint64_t epoch);
  bool wait_until(sc_core::sc_time t, uint64_t epoch);  // false: reset meanwhile
  void fail(uint32_t cause, uint64_t addr);               // a runtime error of this kernel
  bool reachable(const kern::TensorView& v) const;
  bool reachable(uint64_t addr, uint64_t len) const;

  BusTarget& noc_;
  BusInitiator who_;

 private:
  struct Job {
    std::vector<uint8_t> desc;
    bool comp_en = false;
    uint64_t comp_addr = 0;
    uint32_t comp_data = 0;
    sc_core::sc_time start_at;
    uint64_t epoch = 0;
    bool sync = false;                   // a LIN_DMA sync point
    std::function<void(bool)> done;      // sync points only
  };

  void build_regs();
  uint32_t launch(uint32_t flags, sc_core::sc_time delay);  // 0 or the refusal cause
  uint32_t refuse(uint32_t cause, uint64_t addr);
  bool completion_target_ok(uint64_t addr) const;
  void run();  // the engine's thread, while it has jobs
  Result run_kernel(const Job& j);
  void finish_idle();

  unsigned index_;
  uint32_t desc_bytes_;
  double launch_ns_;
  RegBank regs_;
  BandwidthServer port_;
  // FifoQueue: a std::deque allocates about 600 bytes when made, and a card has 10 compute engines and 8 DMA cores.
  FifoQueue<Job> jobs_;
  FifoQueue<Job> dropped_;  // by reset(): sync points among them get done(false)
  bool running_ = false;
  bool hung_ = false;
  uint64_t epoch_ = 0;
  uint64_t failed_since_sync_ = 0;
  // What the thread waits on, made with it (the first job or reset): engines never used
  // hold no events (SystemC names and registers every event made before the simulation runs).
  struct Waits {
    explicit Waits(const char* owner) : timer(owner) { timer_or_reset |= timer.event(), timer_or_reset |= reset; }
    sc_core::sc_event reset;
    TimedWake timer;  // wait_until's wake, in a fixed order among the instant's
    sc_core::sc_event_or_list timer_or_reset;  // kept: `a | b` allocates a list per wait
  };
  std::unique_ptr<Waits> waits_;
  void kick();  // starts the thread (making its waits first)
  sc_core::sc_event idle_ev_;
  LazyThread thread_{"run", size_t(sc_core::SC_DEFAULT_STACK_SIZE), [this] { run(); }};
  uint32_t err_cause_ = 0;
  uint64_t err_addr_ = 0;
  uint64_t done_ = 0, failed_ = 0, refused_ = 0, bytes_ = 0;
  sc_core::sc_time busy_;
};

}  // namespace gs
