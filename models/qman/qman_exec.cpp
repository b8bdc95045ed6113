// Packet execution: decode each packet of a fetched CB and carry it out, in order.
// Predication (the pred field) is ignored: every packet runs. ARB_POINT is a NOP with its
// cycle cost (one CP per stream, so there is no arbiter to take or release).
#include <cstring>

#include "models/qman/qman.hpp"

#include "models/common/trace.hpp"

namespace gs {

namespace {
uint32_t le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
// Trace track names of the four streams (kept by pointer in the trace).
const char* const kStreamLanes[] = {"s0", "s1", "s2", "s3"};
static_assert(sizeof kStreamLanes / sizeof kStreamLanes[0] == GAUDI_QMAN_STREAMS);

}  // namespace

// Packet boundary of the top frame: its next packet, or its end (a nested CB's end resumes
// the outer CB after its CP_DMA; the entry's CB's end ends the entry).
Qman::Step Qman::packet_boundary(unsigned s, Flow& f) {
  Frame& fr = f.top();
  if (fr.off < uint32_t(fr.bytes.size())) {
    f.phase = Phase::runnable;
    return Step::go;
  }
  if (f.depth == 1) {
    trace::span(*this, kStreamLanes[s], "CB", fr.start, sc_core::sc_time_stamp());
    return Step::end;
  }
  --f.depth;
  if (!stale(s, f.epoch)) st_[s].nested = false;
  return packet_done(f);
}

// Hold while the stream is stopped or disabled; drop the work on error, reset or flush.
// Then decode the packet, wait for the engine if it asks for a barrier, and idle its cycles.
Qman::Step Qman::runnable(unsigned s, Flow& f) {
  if (!stale(s, f.epoch) && !st_[s].error && !can_execute(s)) return park_on(f.wake);
  if (stale(s, f.epoch) || st_[s].error) return Step::end;
  Frame& fr = f.top();
  if (!decode(s, fr, fr.k)) return Step::end;
  st_[s].cur_inst = fr.k.addr();
  if (fr.k.eb() && engine_ && !engine_->idle()) {
    f.phase = Phase::engine_idle;
    sc_core::next_trigger(engine_->idle_event() | f.wake);
    return Step::park;
  }
  return wait_cycles(s, f, p_.cycles_per_packet, Phase::execute);
}

Qman::Step Qman::engine_idle(unsigned s, Flow& f) {
  if (stale(s, f.epoch) || st_[s].error) return Step::end;
  if (!engine_->idle()) {
    sc_core::next_trigger(engine_->idle_event() | f.wake);
    return Step::park;
  }
  return wait_cycles(s, f, p_.cycles_per_packet, Phase::execute);
}

Qman::Step Qman::packet_done(Flow& f) {
  Frame& fr = f.top();
  fr.off = fr.next;
  f.phase = Phase::packet;
  return Step::go;
}

bool Qman::decode(unsigned s, const Frame& fr, DecodedPacket& k) {
  const std::vector<uint8_t>& cb = fr.bytes;
  const uint64_t cb_addr = fr.addr;
  const uint32_t off = fr.off;
  const uint32_t len = uint32_t(cb.size());
  k.cb_addr = cb_addr;
  k.offset = off;
  if (len - off < 8) {
    raise_error(s, cb_addr, off, 0, 0, QmanErrorKind::truncated_packet,
                "packet header runs past the end of the CB (" + std::to_string(len) + " bytes)");
    return false;
  }
  k.bytes = cb.data() + off;
  k.word0 = le32(k.bytes);
  k.ctl = le32(k.bytes + 4);
  k.opcode = GAUDI_FIELD_GET(GAUDI_PKT_CTL_OPCODE_MASK, GAUDI_PKT_CTL_OPCODE_SHIFT, k.ctl);
  k.size = gaudi_pkt_size(k.opcode, k.word0);
  if (k.size == 0) {
    packet_error(s, k, QmanErrorKind::undefined_opcode, "undefined opcode " + qman_hex(k.opcode));
    return false;
  }
  if (k.size > len - off) {
    packet_error(s, k, QmanErrorKind::truncated_packet,
                 "packet of " + std::to_string(k.size) + " bytes runs past the end of the CB");
    return false;
  }
  return true;
}

// The packet's cycles are done: it counts as executed and takes effect. Each packet either
// completes (packet_done), parks the flow in its own wait, or ends the entry.
Qman::Step Qman::execute(unsigned s, Flow& f) {
  ++packets_;
  Frame& fr = f.top();
  const DecodedPacket& k = fr.k;
  fr.next = fr.off + k.size;
  switch (k.opcode) {
    case PACKET_WREG_32: {
      uint32_t reg = GAUDI_FIELD_GET(GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK, GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT, k.ctl);
      uint64_t addr = GAUDI_CFG_BASE + (block_offset_ & ~0xFFFFu) + reg;
      return write32(s, f, k, addr, k.word0, QmanErrorKind::wreg_write);
    }
    case PACKET_WREG_BULK:
      return exec_wreg_bulk(s, f, k);
    case PACKET_MSG_LONG:
    case PACKET_MSG_PROT: {  // MSG_PROT: a MSG_LONG that a trusted CP sends as a trusted write
      auto m = k.as<packet_msg_long>();
      uint32_t op = GAUDI_FIELD_GET(GAUDI_PKT_LONG_CTL_OP_MASK, GAUDI_PKT_LONG_CTL_OP_SHIFT, m.ctl);
      uint32_t v = op == GAUDI_PKT_MSG_OP_WRITE_TIMESTAMP ? now_ns() : m.value;
      return write32(s, f, k, m.addr, v, QmanErrorKind::msg_write, k.opcode == PACKET_MSG_PROT && cp_trusted(s));
    }
    case PACKET_MSG_SHORT: {
      auto m = k.as<packet_msg_short>();
      uint32_t base = GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_BASE_MASK, GAUDI_PKT_SHORT_CTL_BASE_SHIFT, m.ctl);
      uint32_t op = GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_OP_MASK, GAUDI_PKT_SHORT_CTL_OP_SHIFT, m.ctl);
      uint64_t addr = (uint64_t(regs_.value(GAUDI_QM_CP_MSG_BASE_ADDR_HI(base, s))) << 32 |
                       regs_.value(GAUDI_QM_CP_MSG_BASE_ADDR_LO(base, s))) +
                      GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_ADDR_MASK, GAUDI_PKT_SHORT_CTL_ADDR_SHIFT, m.ctl);
      uint32_t v = op == GAUDI_PKT_MSG_OP_WRITE_TIMESTAMP ? now_ns() : m.value;
      return write32(s, f, k, addr, v, QmanErrorKind::msg_write);
    }
    case PACKET_FENCE:
      return exec_fence(s, f, k);
    case PACKET_LIN_DMA:
      return exec_lin_dma(s, f, k);
    case PACKET_CP_DMA:
      return exec_cp_dma(s, f, k);
    case PACKET_REPEAT:
      return exec_repeat(s, fr, k) ? packet_done(f) : Step::end;
    case PACKET_WAIT:
      return exec_wait(s, f, k);
    case PACKET_STOP:  // halts before the next packet; re-enable resumes after the STOP.
      st_[s].stopped = true;  // shown in GLBL_STS0 only: STS1 bits mean errors to the driver
      return packet_done(f);
    case PACKET_NOP:
    case PACKET_ARB_POINT:
      return packet_done(f);
    case PACKET_LOAD_AND_EXE:
      packet_error(s, k, QmanErrorKind::not_supported, "LOAD_AND_EXE is not modelled");
      return Step::end;
    default:
      packet_error(s, k, QmanErrorKind::undefined_opcode, "undefined opcode " + qman_hex(k.opcode));
      return Step::end;
  }
}

// One 32-bit write through the NoC; the packet completes when the write has.
Qman::Step Qman::write32(unsigned s, Flow& f, const DecodedPacket& k, uint64_t addr, uint32_t v,
                         QmanErrorKind kind, bool trusted) {
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  auto rsp = bus_access_as(trusted ? nullptr : &who_, noc_, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d);
  if (rsp != tlm::TLM_OK_RESPONSE) {
    packet_error(s, k, kind, "write of " + qman_hex(v) + " to " + qman_hex(addr) +
                                 (rsp == tlm::TLM_GENERIC_ERROR_RESPONSE ? " refused (RAZWI: protected)" : " failed"));
    return Step::end;
  }
  return writes_done(s, f, d);
}

// The packet completes when its writes have: a plain timed trigger of the method (as the
// thread's wait(d) was: the kernel's own timed notification, not the stream's TimedWake).
Qman::Step Qman::writes_done(unsigned s, Flow& f, sc_core::sc_time d) {
  if (d > sc_core::SC_ZERO_TIME) {
    f.phase = Phase::write_done;
    sc_core::next_trigger(d);
    return Step::park;
  }
  return stale(s, f.epoch) ? Step::end : packet_done(f);
}

// WREG_BULK: value i goes to reg_offset + 8i (low word) and + 8i + 4 (high word). The
// writes are issued back to back (loosely timed) and waited for together.
Qman::Step Qman::exec_wreg_bulk(unsigned s, Flow& f, const DecodedPacket& k) {
  uint32_t n = GAUDI_FIELD_GET(GAUDI_PKT_WREG_BULK_SIZE64_MASK, GAUDI_PKT_WREG_BULK_SIZE64_SHIFT, k.word0);
  uint32_t reg = GAUDI_FIELD_GET(GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK, GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT, k.ctl);
  uint64_t base = GAUDI_CFG_BASE + (block_offset_ & ~0xFFFFu) + reg;
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  for (uint32_t i = 0; i < 2 * n; ++i) {
    uint32_t v = le32(k.bytes + 8 + 4 * i);
    uint64_t addr = base + 4ull * i;
    if (bus_access_as(&who_, noc_, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d) != tlm::TLM_OK_RESPONSE) {
      packet_error(s, k, QmanErrorKind::wreg_write, "WREG_BULK write to " + qman_hex(addr) + " failed");
      return Step::end;
    }
  }
  return writes_done(s, f, d);
}

// FENCE: wait, event driven, until fence counter `id` of this stream reaches target_val,
// then take dec_val off it (never below zero).
Qman::Step Qman::exec_fence(unsigned s, Flow& f, const DecodedPacket& k) {
  Stream& st = st_[s];
  st.fence_wait = true;
  st.fence_id = GAUDI_FIELD_GET(GAUDI_PKT_FENCE_CFG_ID_MASK, GAUDI_PKT_FENCE_CFG_ID_SHIFT, k.as<packet_fence>().cfg);
  f.fence_start = sc_core::sc_time_stamp();
  f.phase = Phase::fence;
  return fence_released(s, f, k);
}

// Woken while parked in a FENCE: a reset, flush or error drops the CB.
Qman::Step Qman::fence_check(unsigned s, Flow& f) {
  if (stale(s, f.epoch)) return Step::end;
  if (st_[s].error) {
    st_[s].fence_wait = false;
    return Step::end;
  }
  return fence_released(s, f, f.top().k);
}

Qman::Step Qman::fence_released(unsigned s, Flow& f, const DecodedPacket& k) {
  auto c = k.as<packet_fence>();
  unsigned id = GAUDI_FIELD_GET(GAUDI_PKT_FENCE_CFG_ID_MASK, GAUDI_PKT_FENCE_CFG_ID_SHIFT, c.cfg);
  uint32_t target = GAUDI_FIELD_GET(GAUDI_PKT_FENCE_CFG_TARGET_VAL_MASK, GAUDI_PKT_FENCE_CFG_TARGET_VAL_SHIFT, c.cfg);
  uint32_t dec = GAUDI_FIELD_GET(GAUDI_PKT_FENCE_CFG_DEC_VAL_MASK, GAUDI_PKT_FENCE_CFG_DEC_VAL_SHIFT, c.cfg);
  if (fence_[s][id] < target) return park_on(f.wake);
  st_[s].fence_wait = false;
  if (f.fence_start != sc_core::sc_time_stamp()) {
    trace::span(*this, kStreamLanes[s], "FENCE wait", f.fence_start, sc_core::sc_time_stamp());
  }
  fence_[s][id] -= dec < fence_[s][id] ? dec : fence_[s][id];
  return packet_done(f);
}

// WAIT: idle its cycles, then add its value to one of the stream's fence counters.
Qman::Step Qman::exec_wait(unsigned s, Flow& f, const DecodedPacket& k) {
  auto w = k.as<packet_wait>();
  uint32_t cycles = GAUDI_FIELD_GET(GAUDI_PKT_WAIT_CFG_NUM_CYCLES_MASK, GAUDI_PKT_WAIT_CFG_NUM_CYCLES_SHIFT, w.cfg);
  return wait_cycles(s, f, cycles, Phase::wait_done);
}

Qman::Step Qman::wait_done(unsigned s, Flow& f) {
  auto w = f.top().k.as<packet_wait>();
  add_fence(s, GAUDI_FIELD_GET(GAUDI_PKT_WAIT_CFG_ID_MASK, GAUDI_PKT_WAIT_CFG_ID_SHIFT, w.cfg),
            GAUDI_FIELD_GET(GAUDI_PKT_WAIT_CFG_INC_VAL_MASK, GAUDI_PKT_WAIT_CFG_INC_VAL_SHIFT, w.cfg));
  return packet_done(f);
}

Qman::Step Qman::exec_lin_dma(unsigned s, Flow& f, const DecodedPacket& k) {
  auto pkt = k.as<packet_lin_dma>();
  if (!(pkt.ctl & GAUDI_PKT_LIN_DMA_CTL_LIN_MASK)) {
    packet_error(s, k, QmanErrorKind::bad_packet, "LIN_DMA without the LIN bit");
    return Step::end;
  }
  if (!engine_) {
    packet_error(s, k, QmanErrorKind::engine, "LIN_DMA on a QMAN without a DMA engine");
    return Step::end;
  }
  // The engine runs on its own; a failure it reports later stops the stream then.
  DecodedPacket where = k;
  where.bytes = nullptr;
  bool accepted = engine_->start_lin_dma(pkt, [this, s, epoch = f.epoch, where](bool ok) {
    if (!ok && !stale(s, epoch) && !st_[s].error)
      packet_error(s, where, QmanErrorKind::engine, "engine reported the LIN_DMA failed");
  });
  if (!accepted && !st_[s].error) packet_error(s, k, QmanErrorKind::engine, "engine refused the LIN_DMA");
  return accepted && !st_[s].error ? packet_done(f) : Step::end;
}

// CP_DMA: fetch tsize bytes and run them as a nested CB (the lower CP's job on GAUDI).
Qman::Step Qman::exec_cp_dma(unsigned s, Flow& f, const DecodedPacket& k) {
  if (f.depth > 1) {
    packet_error(s, k, QmanErrorKind::bad_packet, "CP_DMA inside a CP_DMA CB");
    return Step::end;
  }
  auto c = k.as<packet_cp_dma>();
  if (c.tsize > kMaxCbBytes) {
    packet_error(s, k, QmanErrorKind::cb_read, "CP_DMA of " + std::to_string(c.tsize) + " bytes exceeds the model's limit");
    return Step::end;
  }
  f.frames[1].addr = c.src_addr;
  return fetch(s, f, c.src_addr, c.tsize, f.frames[1].bytes, Phase::cp_dma_read);
}

Qman::Step Qman::cp_dma_read(unsigned s, Flow& f) {
  Frame& cb = f.frames[1];
  if (!f.read_ok) {
    packet_error(s, f.frames[0].k, QmanErrorKind::cb_read, "CP_DMA cannot read " + qman_hex(cb.addr));
    return Step::end;
  }
  st_[s].nested = true;
  f.begin_frame(2);
  return Step::go;
}

// REPEAT, gaudisim's definition: see models/qman/qman_packets.hpp.
bool Qman::exec_repeat(unsigned s, Frame& fr, const DecodedPacket& k) {
  std::map<uint32_t, uint32_t>& left = fr.repeat_left;
  uint32_t& next = fr.next;
  auto r = k.as<packet_repeat>();
  uint32_t target = repeat_jump_offset(r);
  if (target > k.offset) {
    packet_error(s, k, QmanErrorKind::bad_packet,
                 "REPEAT jumps forward to offset " + std::to_string(target));
    return false;
  }
  auto it = left.find(k.offset);
  if (it == left.end()) {
    uint32_t n = repeat_count(r);
    if (n == 0) return true;
    left[k.offset] = n - 1;
    next = target;
  } else if (it->second == 0) {
    left.erase(it);  // loop done: fall through, an enclosing loop starts it afresh
  } else {
    --it->second;
    next = target;
  }
  return true;
}

// GLBL_PROT: a set CP bit makes that CP trusted (the driver sets them for the PCI DMA
// QMANs, whose CBs it has checked and closes with its MSG_PROT completions).
bool Qman::cp_trusted(unsigned s) const { return regs_.value(GAUDI_QM_GLBL_PROT) >> (GAUDI_QM_GLBL_CP_SHIFT + s) & 1u; }

uint32_t Qman::now_ns() const {
  return uint32_t(sc_core::sc_time_stamp().value() / sc_core::sc_time(1, sc_core::SC_NS).value());
}

}  // namespace gs
