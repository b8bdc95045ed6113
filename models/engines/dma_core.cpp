#include "models/engines/dma_core.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "models/common/spawn_method.hpp"
#include "models/common/time.hpp"
#include "models/common/trace.hpp"
#include "specs/gaudi/regs.h"

namespace gs {

using sc_core::sc_time;

namespace {
constexpr uint32_t kUnsupported = GAUDI_PKT_LIN_DMA_CTL_TRANSPOSE_MASK |
                                  GAUDI_PKT_LIN_DMA_CTL_COMPRESS_MASK |
                                  GAUDI_PKT_LIN_DMA_CTL_DECOMPRESS_MASK;
}  // namespace

DmaCore::DmaCore(sc_core::sc_module_name name, const DmaParams& p, BusTarget& noc,
                 unsigned channel, sc_time reg_latency)
    : sc_module(name),
      p_(p),
      noc_(noc),
      channel_(channel),
      regs_(std::string(this->name()) + ".regs", reg_layout(), this, reg_latency),
      engine_(std::string(this->name()) + ".engine", p.engine_gbps, sc_core::SC_ZERO_TIME) {}

// Anything that may give the engine work: a job, a reset, a CFG change.
void DmaCore::wake() {
  if (!dropped_.empty() || (!jobs_.empty() && !halted())) kick();
}

// Runs the method in the next delta cycle (where the parked thread kicked by a delta
// notification ran) unless it runs or is about to. The first kick makes the flow and the
// method, as this module's child.
void DmaCore::kick() {
  if (!flow_) {
    flow_ = std::make_unique<Flow>(name());
    spawn_method_on(this, flow_->start, [this] { run(); }, "run");
  }
  Flow& f = *flow_;
  if (f.active) return;
  f.active = true;
  f.start.notify(sc_core::SC_ZERO_TIME);
}

void DmaCore::notify_waits(bool reset) {
  if (!flow_) return;  // no flow yet: nothing waits
  if (reset) flow_->reset.notify(sc_core::SC_ZERO_TIME);
  flow_->cfg.notify(sc_core::SC_ZERO_TIME);
}

// Every DMA core's registers, declared once per process (reg_layout.hpp).
const RegLayoutOf<DmaCore>& DmaCore::reg_layout() {
  static const RegLayoutOf<DmaCore> layout = build_reg_layout();
  return layout;
}

RegLayoutOf<DmaCore> DmaCore::build_reg_layout() {
  RegLayoutOf<DmaCore> l;
  const auto cfg_changed = [](DmaCore& d, uint32_t, uint32_t&, sc_time) {
    d.notify_waits(false);
    d.wake();
  };
  l.add(GAUDI_DMA_CORE_CFG_0, "CFG_0", GAUDI_DMA_CORE_CFG_0_EN_MASK).on_write(cfg_changed);
  l.add(GAUDI_DMA_CORE_CFG_1, "CFG_1").on_write(cfg_changed);
  l.add(GAUDI_DMA_CORE_SRC_BASE_LO, "SRC_BASE_LO");
  l.add(GAUDI_DMA_CORE_SRC_BASE_HI, "SRC_BASE_HI");
  l.add(GAUDI_DMA_CORE_DST_BASE_LO, "DST_BASE_LO");
  l.add(GAUDI_DMA_CORE_DST_BASE_HI, "DST_BASE_HI");
  l.add(GAUDI_DMA_CORE_SRC_TSIZE_0, "SRC_TSIZE_0");
  l.add(GAUDI_DMA_CORE_DST_TSIZE_0, "DST_TSIZE_0");
  l.add(GAUDI_DMA_CORE_COMMIT, "COMMIT").on_write([](DmaCore& d, uint32_t, uint32_t& v, sc_time) { d.commit(v); });
  l.add(GAUDI_DMA_CORE_WR_COMP_WDATA, "WR_COMP_WDATA");
  l.add(GAUDI_DMA_CORE_WR_COMP_ADDR_LO, "WR_COMP_ADDR_LO");
  l.add(GAUDI_DMA_CORE_WR_COMP_ADDR_HI, "WR_COMP_ADDR_HI");
  l.add(GAUDI_DMA_CORE_PROT, "PROT");
  // The MMU context of the engine's transactions (read by the card's MMU port).
  l.add(GAUDI_DMA_CORE_SECURE_PROPS, "SECURE_PROPS");
  l.add(GAUDI_DMA_CORE_NON_SECURE_PROPS, "NON_SECURE_PROPS");
  l.add(GAUDI_DMA_CORE_ERR_CFG, "ERR_CFG");
  l.add(GAUDI_DMA_CORE_ERR_CAUSE, "ERR_CAUSE")
      .on_read([](const DmaCore& d, uint32_t) { return d.err_cause_; })
      .on_write([](DmaCore& d, uint32_t, uint32_t& v, sc_time) {  // write 1 to clear
        d.err_cause_ &= ~v;
        v = d.err_cause_;
      });
  l.add(GAUDI_DMA_CORE_STS0, "STS0", 0, false).on_read([](const DmaCore& d, uint32_t) {
    return d.idle() ? 0u : GAUDI_DMA_CORE_STS0_BUSY_MASK;
  });
  l.add(GAUDI_DMA_CORE_STS1, "STS1", 0, false).on_read([](const DmaCore& d, uint32_t) {
    return d.halted() && (!d.running_ || d.stalled_) ? GAUDI_DMA_CORE_STS1_IS_HALT_MASK : 0u;
  });
  return l;
}

void DmaCore::hang() {
  hung_ = true;
  notify_waits(false);
  wake();
}

bool DmaCore::halted() const {
  return hung_ || !(*cfg0_ & GAUDI_DMA_CORE_CFG_0_EN_MASK) || (*cfg1_ & GAUDI_DMA_CORE_CFG_1_HALT_MASK);
}

bool DmaCore::start_lin_dma(const packet_lin_dma& pkt, std::function<void(bool ok)> done) {
  if (!(pkt.ctl & GAUDI_PKT_LIN_DMA_CTL_LIN_MASK) || (pkt.ctl & kUnsupported)) {
    ++jobs_rejected_;
    return false;
  }
  uint64_t comp_addr = uint64_t(regs_.value(GAUDI_DMA_CORE_WR_COMP_ADDR_HI)) << 32 |
                       regs_.value(GAUDI_DMA_CORE_WR_COMP_ADDR_LO);
  jobs_.push_back(Job{pkt, regs_.value(GAUDI_DMA_CORE_WR_COMP_WDATA), comp_addr,
                      std::move(done), epoch_});
  wake();
  return true;
}

// The register path: what a CP writes through CP_LDMA_*_OFFSET, then COMMIT.
void DmaCore::commit(uint32_t value) {
  packet_lin_dma pkt{};
  pkt.tsize = regs_.value(GAUDI_DMA_CORE_DST_TSIZE_0);
  pkt.ctl = gaudi_pkt_ctl(PACKET_LIN_DMA, 0, 1, 1) | (value & GAUDI_DMA_CORE_COMMIT_FLAGS_MASK) |
            ((value & GAUDI_DMA_CORE_COMMIT_CTX_ID_MASK) >> GAUDI_DMA_CORE_COMMIT_CTX_ID_SHIFT
             << GAUDI_PKT_LIN_DMA_CTL_CTX_ID_LO_SHIFT);
  pkt.src_addr = uint64_t(regs_.value(GAUDI_DMA_CORE_SRC_BASE_HI)) << 32 |
                 regs_.value(GAUDI_DMA_CORE_SRC_BASE_LO);
  pkt.dst_addr = uint64_t(regs_.value(GAUDI_DMA_CORE_DST_BASE_HI)) << 32 |
                 regs_.value(GAUDI_DMA_CORE_DST_BASE_LO);
  start_lin_dma(pkt, nullptr);
}

void DmaCore::reset() {
  regs_.reset_all();
  err_cause_ = 0;
  ++epoch_;
  hung_ = false;
  while (!jobs_.empty()) {
    dropped_.push_back(std::move(jobs_.front()));
    jobs_.pop_front();
  }
  engine_.reset();
  notify_waits(true);
  wake();
}

// The engine's method: resumes the job it parked in, then runs jobs while there are any and
// the engine is not halted (CFG_0.EN clear or CFG_1.HALT set: jobs wait in the queue, and
// wake() starts the method again).
void DmaCore::run() {
  Flow& f = *flow_;
  for (;;) {
    if (f.phase == Phase::next && !take_job(f)) {
      f.active = false;
      return;
    }
    Result r = advance(f);
    if (r == Result::kParked) return;
    end_job(f, r);
  }
}

bool DmaCore::take_job(Flow& f) {
  while (!dropped_.empty()) {
    Job j = std::move(dropped_.front());
    dropped_.pop_front();
    finish(j, false);
  }
  if (jobs_.empty() || halted()) return false;
  f.job = std::move(jobs_.front());
  jobs_.pop_front();
  running_ = true;
  f.start_time = sc_core::sc_time_stamp();
  f.phase = Phase::begin;
  f.waited = false;
  return true;
}

void DmaCore::end_job(Flow& f, Result r) {
  f.phase = Phase::next;
  f.waited = false;
  std::vector<BlockShare>().swap(f.lent);  // lent pages go back now, as the thread's frame did
  busy_ += sc_core::sc_time_stamp() - f.start_time;
  trace::span(*this, "", "LIN_DMA", f.start_time, sc_core::sc_time_stamp());
  running_ = false;
  stalled_ = false;
  if (jobs_.empty()) {  // idle channels hold no buffer
    bounce_.reset();
    bounce_bytes_ = 0;
    std::vector<uint8_t>().swap(bounce_big_);
  }
  Job j = std::move(f.job);
  finish(j, r == Result::kOk);
}

// A phase's step returns kOk to go on at the phase it set, kParked when it waits; the job
// ends with the completion phase (kOk) or an error or abort.
DmaCore::Result DmaCore::advance(Flow& f) {
  for (;;) {
    Result r = Result::kOk;
    switch (f.phase) {
      case Phase::next: return Result::kOk;  // not reached: take_job sets the phase
      case Phase::begin:
        if (f.job.pkt.tsize == 0) {
          f.phase = Phase::drain;  // no data: straight to the completion write
          continue;
        }
        r = wait_until(f, f.start_time + ns(p_.setup_ns), Phase::setup);
        break;
      case Phase::setup:
        if (!resumed(f)) return Result::kAborted;
        begin_transfer(f);
        continue;
      case Phase::boundary:
      case Phase::chunk: r = chunks(f); break;
      case Phase::read_error:
        if (!resumed(f)) return Result::kAborted;
        error(GAUDI_DMA_CORE_ERR_CAUSE_HBW_RD_ERR_MASK, f.error_addr);
        return Result::kError;
      case Phase::drain:
        if (!resumed(f)) return Result::kAborted;
        r = completion(f);
        break;
      case Phase::completion: return resumed(f) ? Result::kOk : Result::kAborted;
    }
    if (r != Result::kOk) return r;
  }
}

// The data has landed (or there was none): the completion write, if the packet asks for it.
DmaCore::Result DmaCore::completion(Flow& f) {
  const Job& j = f.job;
  if (!(j.pkt.ctl & GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK)) {
    f.phase = Phase::completion;
    return Result::kOk;
  }
  uint32_t data = j.comp_data;
  sc_time d = sc_core::SC_ZERO_TIME;
  if (bus_access_as(&who_, noc_, tlm::TLM_WRITE_COMMAND, j.comp_addr, &data, 4, d) !=
      tlm::TLM_OK_RESPONSE) {
    error(GAUDI_DMA_CORE_ERR_CAUSE_LBW_WR_ERR_MASK, j.comp_addr);
    return Result::kError;
  }
  return wait_until(f, sc_core::sc_time_stamp() + d, Phase::completion);
}

void DmaCore::finish(Job& j, bool ok) {
  ++(ok ? jobs_ok_ : jobs_failed_);
  if (j.done) j.done(ok);
  if (idle()) idle_ev_.notify(sc_core::SC_ZERO_TIME);
}

DmaCore::Result DmaCore::wait_until(Flow& f, sc_time t, Phase then) {
  f.phase = then;
  f.waited = false;
  sc_time now = sc_core::sc_time_stamp();
  if (t <= now) return Result::kOk;
  f.timer.notify(t - now);
  f.waited = true;
  sc_core::next_trigger(f.timer_or_reset);
  return Result::kParked;
}

void DmaCore::error(uint32_t cause, uint64_t addr) {
  err_cause_ |= cause;
  last_error_addr_ = addr;
  uint32_t cfg = regs_.value(GAUDI_DMA_CORE_ERR_CFG);
  if (cfg & GAUDI_DMA_CORE_ERR_CFG_STOP_ON_ERR_MASK) {
    regs_.set(GAUDI_DMA_CORE_CFG_1,
              regs_.value(GAUDI_DMA_CORE_CFG_1) | GAUDI_DMA_CORE_CFG_1_HALT_MASK);
  }
  if ((cfg & GAUDI_DMA_CORE_ERR_CFG_ERR_MSG_EN_MASK) && on_error) on_error(channel_, cause);
}

}  // namespace gs
