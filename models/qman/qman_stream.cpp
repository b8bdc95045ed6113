// A stream's method and its upper CP: take a PQ entry, fetch its CB, hand it to packet
// execution (qman_exec.cpp). The method runs the stream's flow from the phase it parked in
// until the flow must wait again (next_trigger) or has no entry to take; each wait a thread
// made with wait() is a phase here, woken by the same event or timed trigger.
#include "models/common/spawn_method.hpp"
#include "models/qman/qman.hpp"

namespace gs {

// Starts the stream's method in the next delta cycle (where a parked thread kicked by a delta
// notification would have run) unless it runs or is about to. The first kick makes the flow
// and the method, as the QMAN's child.
void Qman::kick(unsigned s) {
  if (!flow_[s]) {
    flow_[s] = std::make_unique<Flow>(std::string(name()) + ".s" + std::to_string(s));
    spawn_method_on(this, flow_[s]->start, [this, s] { stream_method(s); }, ("cp" + std::to_string(s)).c_str());
  }
  Flow& f = *flow_[s];
  if (f.running) return;
  f.running = true;
  f.start.notify(sc_core::SC_ZERO_TIME);
}

// Upper CP: take one entry at a time while the stream may fetch and PI != CI, then go idle
// (kick() starts it again). An entry ends when its CB is done, an error stopped the stream,
// or a reset or flush dropped it (its epoch is stale).
void Qman::stream_method(unsigned s) {
  Flow& f = *flow_[s];
  Stream& st = st_[s];
  if (f.phase != Phase::idle) {
    if (advance(s, f) == Step::park) return;
    if (!stale(s, f.epoch)) st.busy = st.nested = false;
  }
  while (can_fetch(s)) {
    f.epoch = st.epoch;
    st.busy = true;
    f.phase = Phase::entry;
    if (advance(s, f) == Step::park) return;
    if (!stale(s, f.epoch)) st.busy = st.nested = false;
  }
  f.phase = Phase::idle;
  f.depth = 0;
  f.running = false;
}

// Runs phases until the flow parks (its trigger is set) or the entry is over.
Qman::Step Qman::advance(unsigned s, Flow& f) {
  for (;;) {
    Step r = Step::end;
    switch (f.phase) {
      case Phase::idle: return Step::end;
      case Phase::entry: r = wait_cycles(s, f, p_.fetch_cycles, Phase::read_entry); break;
      case Phase::cycles: r = cycles_elapsed(s, f); break;
      case Phase::fetch:
        if (stale(s, f.epoch)) return Step::end;
        f.phase = f.after;
        r = Step::go;
        break;
      case Phase::read_entry: r = read_entry(s, f); break;
      case Phase::entry_read: r = entry_read(s, f); break;
      case Phase::cb_read: r = cb_read(s, f); break;
      case Phase::packet: r = packet_boundary(s, f); break;
      case Phase::runnable: r = runnable(s, f); break;
      case Phase::engine_idle: r = engine_idle(s, f); break;
      case Phase::execute: r = execute(s, f); break;
      case Phase::write_done: r = stale(s, f.epoch) ? Step::end : packet_done(f); break;
      case Phase::fence: r = fence_check(s, f); break;
      case Phase::wait_done: r = wait_done(s, f); break;
      case Phase::cp_dma_read: r = cp_dma_read(s, f); break;
    }
    if (r != Step::go) return r;
  }
}

Qman::Step Qman::read_entry(unsigned s, Flow& f) {
  if (!can_fetch(s)) return Step::end;  // disabled or flushed while the fetcher was busy
  Stream& st = st_[s];
  uint32_t n = entries(s);
  f.entry_addr = pq_base(s) + uint64_t(st.ci & (n - 1)) * GAUDI_PQ_ENTRY_SIZE;
  f.entry = gaudi_qman_pq_entry{};
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  f.read_ok = bus_access(noc_, tlm::TLM_READ_COMMAND, f.entry_addr, &f.entry, sizeof f.entry, d) == tlm::TLM_OK_RESPONSE;
  f.phase = Phase::entry_read;
  if (d == sc_core::SC_ZERO_TIME) return Step::go;
  f.after = Phase::entry_read;
  f.phase = Phase::fetch;
  f.timer.notify(d);
  return park_on(f.timer.event());
}

Qman::Step Qman::entry_read(unsigned s, Flow& f) {
  if (stale(s, f.epoch)) return Step::end;
  Stream& st = st_[s];
  st.ci = (st.ci + 1) & (2 * entries(s) - 1);  // the entry is consumed even if it turns out bad
  if (!f.read_ok) {
    raise_error(s, f.entry_addr, 0, 0, 0, QmanErrorKind::pq_read, "cannot read PQ entry at " + qman_hex(f.entry_addr));
    return Step::end;
  }
  if (f.entry.len > kMaxCbBytes) {
    raise_error(s, f.entry.ptr, 0, 0, 0, QmanErrorKind::cb_read,
                "CB of " + std::to_string(f.entry.len) + " bytes exceeds the model's limit");
    return Step::end;
  }
  f.depth = 0;
  return fetch(s, f, f.entry.ptr, f.entry.len, f.frames[0].bytes, Phase::cb_read);
}

Qman::Step Qman::cb_read(unsigned s, Flow& f) {
  if (!f.read_ok) {
    raise_error(s, f.entry.ptr, 0, 0, 0, QmanErrorKind::cb_read, "cannot read CB at " + qman_hex(f.entry.ptr));
    return Step::end;
  }
  ++cbs_;
  f.frames[0].addr = f.entry.ptr;
  f.begin_frame(1);
  return Step::go;
}

// Read len bytes through the NoC and wait for them, then go on at `then` unless the stream's
// work was dropped meanwhile; read_ok tells whether the bus answered without error.
Qman::Step Qman::fetch(unsigned s, Flow& f, uint64_t addr, uint32_t len, std::vector<uint8_t>& out, Phase then) {
  out.assign(len, 0);
  f.read_ok = true;
  f.phase = then;
  if (len == 0) return Step::go;
  f.after = then;
  f.phase = Phase::fetch;
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  f.read_ok = bus_access(noc_, tlm::TLM_READ_COMMAND, addr, out.data(), len, d) == tlm::TLM_OK_RESPONSE;
  if (d == sc_core::SC_ZERO_TIME) return Step::go;
  f.timer.notify(d);
  return park_on(f.timer.event());
}

// Idle `cycles` QMAN cycles, then go on at `then`; a reset cuts the wait short.
Qman::Step Qman::wait_cycles(unsigned s, Flow& f, uint64_t cycles, Phase then) {
  f.phase = then;
  if (cycles == 0) return stale(s, f.epoch) ? Step::end : Step::go;
  f.until = sc_core::sc_time_stamp() + cycle_ * double(cycles);
  f.after = then;
  f.phase = Phase::cycles;
  return park_on_wake_or_timer(f);
}

// Woken by the timer or by the stream's wake event: the wait goes on unless its work was
// dropped or its end has come.
Qman::Step Qman::cycles_elapsed(unsigned s, Flow& f) {
  f.timer.cancel();
  if (stale(s, f.epoch)) return Step::end;
  if (sc_core::sc_time_stamp() < f.until) return park_on_wake_or_timer(f);
  f.phase = f.after;
  return Step::go;
}

Qman::Step Qman::park_on_wake_or_timer(Flow& f) {
  f.timer.notify(f.until - sc_core::sc_time_stamp());
  sc_core::next_trigger(f.timer.event() | f.wake);
  return Step::park;
}

Qman::Step Qman::park_on(const sc_core::sc_event& e) {
  sc_core::next_trigger(e);
  return Step::park;
}

}  // namespace gs
