// Queue manager: construction, register effects at their annotated time, stream enables,
// reset.
#include "models/qman/qman.hpp"

#include <algorithm>

#include "models/common/time.hpp"

namespace gs {

namespace {
constexpr uint32_t kCfg1PqfStopShift = 0;        // GLBL_CFG1 stop bits, same layout as CFG0
constexpr uint32_t kCfg1CpStopShift = GAUDI_QM_GLBL_CP_SHIFT;

}  // namespace

Qman::Qman(sc_core::sc_module_name name, const QmanParams& p, BusTarget& noc, QmanEngine* engine,
           uint32_t block_offset, unsigned qman_id, QmanErrorSink on_error,
           sc_core::sc_time reg_latency)
    : sc_module(name),
      p_(p),
      noc_(noc),
      engine_(engine),
      block_offset_(block_offset),
      id_(qman_id),
      on_error_(std::move(on_error)),
      cycle_(sc_core::sc_time(1e6 / p.clock_mhz, sc_core::SC_PS)),
      regs_(std::string(this->name()) + ".regs", reg_layout(), this, reg_latency) {}

// Whatever may let a stream go on: a method parked in it wakes, an idle stream that can
// fetch gets its method running (an idle stream's waits on its start event).
void Qman::wake(unsigned s) {
  if (flow_[s]) flow_[s]->wake.notify(sc_core::SC_ZERO_TIME);  // nothing waits before the flow exists
  if (can_fetch(s)) kick(s);
}

void Qman::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  regs_.b_transport(gp, delay);
}

// A register write takes effect at now + delay. Effects run in write order, so a doorbell
// never overtakes the enable written before it.
void Qman::at_effect_time(sc_core::sc_time delay, std::function<void()> fn) {
  if (delay == sc_core::SC_ZERO_TIME && pending_.empty()) {
    fn();
    return;
  }
  pending_.emplace_back(sc_core::sc_time_stamp() + delay, std::move(fn));
  due_.notify(delay);
}

void Qman::apply_due_effects() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  while (!pending_.empty() && pending_.front().first <= now) {
    auto fn = std::move(pending_.front().second);
    pending_.pop_front();
    fn();
  }
  if (!pending_.empty()) due_.notify(std::max(pending_.front().first, now) - now);
}

bool Qman::stream_enabled(unsigned s) const {
  return (cfg0_ >> (GAUDI_QM_GLBL_PQF_SHIFT + s) & 1) && (cfg0_ >> (GAUDI_QM_GLBL_CP_SHIFT + s) & 1);
}

// Enabling a stream (its PQF and CP bits going from not both set to both set) clears a
// STOP or an error: that is how software restarts a stream.
void Qman::apply_cfg0(uint32_t v) {
  std::array<bool, kStreams> was{};
  for (unsigned s = 0; s < kStreams; ++s) was[s] = stream_enabled(s);
  cfg0_ = v;
  for (unsigned s = 0; s < kStreams; ++s) {
    if (!was[s] && stream_enabled(s)) clear_error_state(s);
    wake(s);
  }
}

// GLBL_CFG1: stop bits hold a stream at its next entry (PQF) or packet (CP) boundary while
// set; a PQF flush bit drops the entries not yet taken (CI = PI); a CP flush bit drops the
// CB being executed.
void Qman::apply_cfg1(uint32_t v) {
  cfg1_ = v;
  for (unsigned s = 0; s < kStreams; ++s) {
    Stream& st = st_[s];
    if (v >> (GAUDI_QM_GLBL_CFG1_PQF_FLUSH_SHIFT + s) & 1) st.ci = st.pi & (2 * entries(s) - 1);
    if (v >> (GAUDI_QM_GLBL_CFG1_CP_FLUSH_SHIFT + s) & 1) {
      ++st.epoch;
      st.busy = st.nested = st.fence_wait = false;
    }
    wake(s);
  }
}

void Qman::apply_doorbell(unsigned s, uint32_t v) {
  st_[s].pi = v & (2 * entries(s) - 1);
  wake(s);
}

// CP_FENCE_RDATA: what sync-manager monitors (and WAIT packets) use to release a FENCE.
void Qman::add_fence(unsigned cp, unsigned f, uint32_t v) {
  fence_[cp][f] += v;
  if (cp < kStreams) wake(cp);
}

void Qman::reset() {
  pending_.clear();
  due_.cancel();
  undelivered_.clear();
  if (error_ev_) error_ev_->cancel();
  cfg0_ = cfg1_ = 0;
  for (auto& cp : fence_) cp.fill(0);
  sts1_.fill(0);
  for (unsigned s = 0; s < kStreams; ++s) {
    Stream& st = st_[s];
    st.pi = st.ci = 0;
    st.stopped = st.error = st.busy = st.nested = st.fence_wait = false;
    st.cur_inst = 0;
    ++st.epoch;
    wake(s);
  }
  regs_.reset_all();
  if (engine_) engine_->reset();
}

uint32_t Qman::entries(unsigned s) const {
  uint32_t log2 = regs_.value(GAUDI_QM_PQ_SIZE(s));
  return 1u << (log2 > kMaxPqLog2 ? kMaxPqLog2 : log2);
}

uint64_t Qman::pq_base(unsigned s) const {
  return uint64_t(regs_.value(GAUDI_QM_PQ_BASE_HI(s))) << 32 | regs_.value(GAUDI_QM_PQ_BASE_LO(s));
}

bool Qman::can_execute(unsigned s) const {
  const Stream& st = st_[s];
  return (cfg0_ >> (GAUDI_QM_GLBL_CP_SHIFT + s) & 1) && !(cfg1_ >> (kCfg1CpStopShift + s) & 1) &&
         !st.stopped && !st.error;
}

bool Qman::can_fetch(unsigned s) const {
  const Stream& st = st_[s];
  uint32_t mask = 2 * entries(s) - 1;
  return stream_enabled(s) && can_execute(s) && !(cfg1_ >> (kCfg1PqfStopShift + s) & 1) &&
         ((st.pi - st.ci) & mask) != 0;
}

}  // namespace gs
