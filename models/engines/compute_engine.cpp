#include "models/engines/compute_engine.hpp"

#include <algorithm>
#include <deque>

#include "models/common/time.hpp"
#include "models/common/trace.hpp"
#include "specs/gaudi/regs.h"

namespace gs {

using sc_core::sc_time;

ComputeEngine::ComputeEngine(sc_core::sc_module_name name, BusTarget& noc, unsigned index, uint32_t desc_bytes,
                             double port_gbps, double launch_ns, sc_time reg_latency)
    : sc_module(name),
      noc_(noc),
      index_(index),
      desc_bytes_(desc_bytes),
      launch_ns_(launch_ns),
      regs_(std::string(this->name()) + ".regs", reg_latency),
      port_(std::string(this->name()) + ".port", port_gbps, sc_core::SC_ZERO_TIME) {
  build_regs();
}

void ComputeEngine::build_regs() {
  using Reg = RegBank::Reg;
  regs_.add(GSIM_ENG_DESC_ADDR_LO, "DESC_ADDR_LO");
  regs_.add(GSIM_ENG_DESC_ADDR_HI, "DESC_ADDR_HI");
  regs_.add(GSIM_ENG_COMP_ADDR_LO, "COMP_ADDR_LO");
  regs_.add(GSIM_ENG_COMP_ADDR_HI, "COMP_ADDR_HI");
  regs_.add(GSIM_ENG_COMP_WDATA, "COMP_WDATA");
  regs_.add(GSIM_ENG_LAUNCH, "LAUNCH");  // acted on in b_transport: a refusal fails the write
  regs_.add(GSIM_ENG_STATUS, "STATUS", 0, false).on_read = [this](const Reg&) {
    uint32_t n = uint32_t(std::min<size_t>(jobs_.size() + (running_ ? 1 : 0), GSIM_ENG_STATUS_QUEUED_MASK));
    return (idle() ? 0u : GSIM_ENG_STATUS_BUSY) | n;
  };
  Reg& cause = regs_.add(GSIM_ENG_ERR_CAUSE, "ERR_CAUSE");
  cause.on_read = [this](const Reg&) { return err_cause_; };
  cause.on_write = [this](Reg& r, sc_time) {  // write 1 to clear
    err_cause_ &= ~r.value;
    r.value = err_cause_;
  };
  regs_.add(GSIM_ENG_ERR_ADDR_LO, "ERR_ADDR_LO", 0, false).on_read = [this](const Reg&) { return uint32_t(err_addr_); };
  regs_.add(GSIM_ENG_ERR_ADDR_HI, "ERR_ADDR_HI", 0, false).on_read = [this](const Reg&) { return uint32_t(err_addr_ >> 32); };
  regs_.add(GSIM_ENG_KERNELS_DONE, "KERNELS_DONE", 0, false).on_read = [this](const Reg&) { return uint32_t(done_); };
  regs_.add(GSIM_ENG_KERNELS_FAILED, "KERNELS_FAILED", 0, false).on_read = [this](const Reg&) { return uint32_t(failed_); };
}

void ComputeEngine::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
  const uint64_t a = gp.get_address();
  const bool launch_write = gp.is_write() && a <= GSIM_ENG_LAUNCH && a + gp.get_data_length() > GSIM_ENG_LAUNCH;
  regs_.b_transport(gp, delay);
  if (!launch_write || gp.get_response_status() != tlm::TLM_OK_RESPONSE) return;
  if (launch(regs_.value(GSIM_ENG_LAUNCH), delay) != 0) gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
}

uint32_t ComputeEngine::refuse(uint32_t cause, uint64_t addr) {
  err_cause_ |= cause;
  err_addr_ = addr;
  ++failed_;
  ++refused_;
  return cause;
}

// Never the register space, whatever user_memory says: an engine writing registers would
// bypass the CS parser's privilege checks.
bool ComputeEngine::reachable(uint64_t addr, uint64_t len) const {
  if (addr + len < addr) return false;
  if (addr < GAUDI_CFG_BASE + GAUDI_CFG_SIZE && addr + len > GAUDI_CFG_BASE) return false;
  return !user_memory || user_memory(addr, len);
}

bool ComputeEngine::reachable(const kern::TensorView& v) const { return reachable(v.addr, v.span_bytes()); }

// Completion writes signal a sync object of any sync manager or land in user memory; no
// other register. Which objects are the user's is the sync manager's to police: the write
// is a user transaction, refused (RAZWI, the kernel fails) in the driver's range.
bool ComputeEngine::completion_target_ok(uint64_t addr) const {
  if (addr % 4) return false;
  static const uint32_t glbl[] = {GAUDI_BLK_SYNC_MNGR_GLBL_E_N, GAUDI_BLK_SYNC_MNGR_GLBL_E_S,
                                  GAUDI_BLK_SYNC_MNGR_GLBL_W_N, GAUDI_BLK_SYNC_MNGR_GLBL_W_S};
  for (uint32_t g : glbl) {
    const uint64_t sobs = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(g);
    if (addr >= sobs + GAUDI_SM_SOB_OBJ(0) && addr < sobs + GAUDI_SM_SOB_OBJ(GAUDI_SM_NUM_SOBS)) return true;
  }
  if (addr >= GAUDI_CFG_BASE && addr < GAUDI_CFG_BASE + GAUDI_CFG_SIZE) return false;
  return reachable(addr, 4);
}

uint32_t ComputeEngine::launch(uint32_t flags, sc_time delay) {
  const uint64_t desc_addr = uint64_t(regs_.value(GSIM_ENG_DESC_ADDR_HI)) << 32 | regs_.value(GSIM_ENG_DESC_ADDR_LO);
  if (jobs_.size() >= GSIM_ENG_MAX_QUEUED) return refuse(GSIM_ENG_ERR_QUEUE_FULL, desc_addr);
  if (desc_addr % 8) return refuse(GSIM_ENG_ERR_ALIGN, desc_addr);
  if (!reachable(desc_addr, desc_bytes_)) return refuse(GSIM_ENG_ERR_RANGE, desc_addr);
  Job j;
  j.desc.resize(desc_bytes_);
  sc_time d = delay;  // the descriptor read starts when the LAUNCH write has landed
  if (bus_access_as(&who_, noc_, tlm::TLM_READ_COMMAND, desc_addr, j.desc.data(), desc_bytes_, d) != tlm::TLM_OK_RESPONSE)
    return refuse(GSIM_ENG_ERR_DESC_READ, desc_addr);
  if (uint32_t cause = check(j.desc)) return refuse(cause, desc_addr);
  j.comp_en = flags & GSIM_ENG_LAUNCH_COMP_EN;
  if (j.comp_en) {
    j.comp_addr = uint64_t(regs_.value(GSIM_ENG_COMP_ADDR_HI)) << 32 | regs_.value(GSIM_ENG_COMP_ADDR_LO);
    j.comp_data = regs_.value(GSIM_ENG_COMP_WDATA);
    if (!completion_target_ok(j.comp_addr)) return refuse(GSIM_ENG_ERR_RANGE, j.comp_addr);
  }
  j.start_at = sc_core::sc_time_stamp() + d;
  j.epoch = epoch_;
  jobs_.push_back(std::move(j));
  kick();
  return 0;
}

bool ComputeEngine::start_lin_dma(const packet_lin_dma& pkt, std::function<void(bool ok)> done) {
  if (pkt.tsize != 0) return false;
  Job j;
  j.sync = true;
  j.done = std::move(done);
  j.epoch = epoch_;
  jobs_.push_back(std::move(j));
  kick();
  return true;
}

void ComputeEngine::reset() {
  regs_.reset_all();
  err_cause_ = 0;
  err_addr_ = 0;
  failed_since_sync_ = 0;
  hung_ = false;
  ++epoch_;
  while (!jobs_.empty()) {
    dropped_.push_back(std::move(jobs_.front()));
    jobs_.pop_front();
  }
  port_.reset();
  if (waits_) waits_->reset.notify(sc_core::SC_ZERO_TIME);
  kick();
}

void ComputeEngine::fail(uint32_t cause, uint64_t addr) {
  err_cause_ |= cause;
  err_addr_ = addr;
  if (on_error) on_error(index_, cause);
}

bool ComputeEngine::wait_until(sc_time t, uint64_t epoch) {
  sc_time now = sc_core::sc_time_stamp();
  if (t > now) {
    waits_->timer.notify(t - now);
    wait(waits_->timer_or_reset);
    waits_->timer.cancel();
  }
  while (hung_ && epoch == epoch_) wait(waits_->reset);  // stalled mid-kernel until a reset
  return epoch == epoch_;
}

void ComputeEngine::hang() { hung_ = true; }

void ComputeEngine::kick() {
  if (!waits_) waits_ = std::make_unique<Waits>(name());
  thread_.kick();
}

void ComputeEngine::finish_idle() {
  if (idle()) idle_ev_.notify(sc_core::SC_ZERO_TIME);
}

void ComputeEngine::run() {
  for (;;) {
    while (!dropped_.empty()) {
      Job j = std::move(dropped_.front());
      dropped_.pop_front();
      if (j.sync && j.done) j.done(false);
    }
    if (jobs_.empty()) {
      finish_idle();
      return;  // launch(), start_lin_dma() and reset() start the thread again
    }
    if (hung_) {  // queued work, sync points included, waits for the reset
      running_ = true;
      wait(waits_->reset);
      running_ = false;
      continue;
    }
    Job j = std::move(jobs_.front());
    jobs_.pop_front();
    running_ = true;
    if (j.sync) {
      bool ok = failed_since_sync_ == 0;
      failed_since_sync_ = 0;
      running_ = false;
      if (j.done) j.done(ok);
      continue;
    }
    sc_time start = sc_core::sc_time_stamp();
    Result r = run_kernel(j);
    busy_ += sc_core::sc_time_stamp() - start;
    trace::span(*this, "", "kernel", start, sc_core::sc_time_stamp());
    running_ = false;
    if (r == Result::kOk) {
      ++done_;
    } else {
      ++failed_;
      if (r == Result::kError) ++failed_since_sync_;
    }
  }
}

ComputeEngine::Result ComputeEngine::run_kernel(const Job& j) {
  sc_time go = std::max(j.start_at, sc_core::sc_time_stamp()) + ns(launch_ns_);
  if (!wait_until(go, j.epoch)) return Result::kAborted;
  Result r = execute(j.desc, j.epoch);
  if (r != Result::kOk || !j.comp_en) return r;
  uint32_t data = j.comp_data;
  sc_time d = sc_core::SC_ZERO_TIME;
  if (bus_access_as(&who_, noc_, tlm::TLM_WRITE_COMMAND, j.comp_addr, &data, 4, d) != tlm::TLM_OK_RESPONSE) {
    fail(GSIM_ENG_ERR_COMP_WR, j.comp_addr);
    return Result::kError;
  }
  return wait_until(sc_core::sc_time_stamp() + d, j.epoch) ? Result::kOk : Result::kAborted;
}

// The DMA core's event schedule, with a compute stage between a step's load and its store:
// the next action is the earlier of issuing the next load (paced by the port, and only when
// its slot is free) and storing the oldest computed step.
ComputeEngine::Result ComputeEngine::run_pipeline(const Pipeline& p, uint64_t epoch) {
  const unsigned window = std::max(1u, p.window);
  const sc_time never = sc_core::sc_max_time();
  struct Computed {
    uint64_t index;
    sc_time at;
  };
  std::deque<Computed> computed;
  std::vector<sc_time> slot_free(window, sc_core::SC_ZERO_TIME);
  sc_time pace = sc_core::sc_time_stamp(), compute_free = pace, last = pace;
  uint64_t issued = 0, stored = 0;
  while (stored < p.steps) {
    sc_time t_load = never;
    if (issued < p.steps && stored + window > issued) t_load = std::max(pace, slot_free[issued % window]);
    sc_time t_store = computed.empty() ? never : computed.front().at;
    if (t_store <= t_load) {
      Computed c = computed.front();
      if (!wait_until(t_store, epoch)) return Result::kAborted;
      computed.pop_front();
      sc_time landed = sc_core::sc_time_stamp();
      uint64_t bytes = 0;
      if (!p.store(c.index, &landed, &bytes)) return epoch == epoch_ ? Result::kError : Result::kAborted;
      landed = std::max(landed, port_.reserve(bytes, sc_core::sc_time_stamp()));
      bytes_ += bytes;
      slot_free[c.index % window] = landed;
      last = std::max(last, landed);
      ++stored;
    } else {
      if (!wait_until(t_load, epoch)) return Result::kAborted;
      sc_time now = sc_core::sc_time_stamp(), ready = now;
      uint64_t bytes = 0;
      if (!p.load(issued, &ready, &bytes)) return epoch == epoch_ ? Result::kError : Result::kAborted;
      pace = port_.reserve(bytes, now);
      bytes_ += bytes;
      sc_time begin = std::max(std::max(ready, pace), compute_free);
      compute_free = begin + p.compute(issued);
      computed.push_back({issued, compute_free});
      ++issued;
    }
  }
  return wait_until(std::max(last, pace), epoch) ? Result::kOk : Result::kAborted;
}

}  // namespace gs
