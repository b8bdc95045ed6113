// Packet execution: decode each packet of a fetched CB and carry it out, in order.
// Predication (the pred field) is ignored: every packet runs. ARB_POINT is a NOP with its
// cycle cost (one CP per stream, so there is no arbiter to take or release).
#include <cstdio>

#include "models/qman/qman.hpp"

#include "models/common/trace.hpp"

namespace gs {

namespace {
std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}
uint32_t le32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
// Trace track names of the four streams (kept by pointer in the trace).
const char* const kStreamLanes[] = {"s0", "s1", "s2", "s3"};
static_assert(sizeof kStreamLanes / sizeof kStreamLanes[0] == GAUDI_QMAN_STREAMS);

}  // namespace

// Runs the packets of one CB. Returns false if the stream must drop the rest of its work
// (an error was raised, or a reset/flush dropped it).
bool Qman::run_cb(unsigned s, uint64_t epoch, uint64_t cb_addr, const std::vector<uint8_t>& cb,
                  bool nested) {
  std::map<uint32_t, uint32_t> repeat_left;  // REPEAT offset -> jumps still to make
  const uint32_t len = uint32_t(cb.size());
  const sc_core::sc_time start = sc_core::sc_time_stamp();
  uint32_t off = 0;
  while (off < len) {
    if (!wait_runnable(s, epoch)) return false;
    DecodedPacket k;
    if (!decode(s, cb, cb_addr, off, k)) return false;
    st_[s].cur_inst = k.addr();
    if (k.eb() && !wait_engine_idle(s, epoch)) return false;
    if (!wait_cycles(s, epoch, p_.cycles_per_packet)) return false;
    ++packets_;
    uint32_t next = off + k.size;
    if (!execute(s, epoch, k, nested, repeat_left, next)) return false;
    off = next;
  }
  if (!nested) trace::span(*this, kStreamLanes[s], "CB", start, sc_core::sc_time_stamp());
  return true;
}

bool Qman::decode(unsigned s, const std::vector<uint8_t>& cb, uint64_t cb_addr, uint32_t off,
                  DecodedPacket& k) {
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
    packet_error(s, k, QmanErrorKind::undefined_opcode, "undefined opcode " + hex(k.opcode));
    return false;
  }
  if (k.size > len - off) {
    packet_error(s, k, QmanErrorKind::truncated_packet,
                 "packet of " + std::to_string(k.size) + " bytes runs past the end of the CB");
    return false;
  }
  return true;
}

bool Qman::execute(unsigned s, uint64_t epoch, const DecodedPacket& k, bool nested,
                   std::map<uint32_t, uint32_t>& repeat_left, uint32_t& next) {
  switch (k.opcode) {
    case PACKET_WREG_32: {
      uint32_t reg = GAUDI_FIELD_GET(GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK, GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT, k.ctl);
      uint64_t addr = GAUDI_CFG_BASE + (block_offset_ & ~0xFFFFu) + reg;
      return write32(s, epoch, k, addr, k.word0, QmanErrorKind::wreg_write);
    }
    case PACKET_WREG_BULK:
      return exec_wreg_bulk(s, epoch, k);
    case PACKET_MSG_LONG:
    case PACKET_MSG_PROT: {  // MSG_PROT: a MSG_LONG that a trusted CP sends as a trusted write
      auto m = k.as<packet_msg_long>();
      uint32_t op = GAUDI_FIELD_GET(GAUDI_PKT_LONG_CTL_OP_MASK, GAUDI_PKT_LONG_CTL_OP_SHIFT, m.ctl);
      uint32_t v = op == GAUDI_PKT_MSG_OP_WRITE_TIMESTAMP ? now_ns() : m.value;
      return write32(s, epoch, k, m.addr, v, QmanErrorKind::msg_write, k.opcode == PACKET_MSG_PROT && cp_trusted(s));
    }
    case PACKET_MSG_SHORT: {
      auto m = k.as<packet_msg_short>();
      uint32_t base = GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_BASE_MASK, GAUDI_PKT_SHORT_CTL_BASE_SHIFT, m.ctl);
      uint32_t op = GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_OP_MASK, GAUDI_PKT_SHORT_CTL_OP_SHIFT, m.ctl);
      uint64_t addr = (uint64_t(regs_.value(GAUDI_QM_CP_MSG_BASE_ADDR_HI(base, s))) << 32 |
                       regs_.value(GAUDI_QM_CP_MSG_BASE_ADDR_LO(base, s))) +
                      GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_ADDR_MASK, GAUDI_PKT_SHORT_CTL_ADDR_SHIFT, m.ctl);
      uint32_t v = op == GAUDI_PKT_MSG_OP_WRITE_TIMESTAMP ? now_ns() : m.value;
      return write32(s, epoch, k, addr, v, QmanErrorKind::msg_write);
    }
    case PACKET_FENCE:
      return exec_fence(s, epoch, k);
    case PACKET_LIN_DMA:
      return exec_lin_dma(s, epoch, k);
    case PACKET_CP_DMA:
      return exec_cp_dma(s, epoch, k, nested);
    case PACKET_REPEAT:
      return exec_repeat(s, k, repeat_left, next);
    case PACKET_WAIT: {
      auto w = k.as<packet_wait>();
      uint32_t cycles = GAUDI_FIELD_GET(GAUDI_PKT_WAIT_CFG_NUM_CYCLES_MASK, GAUDI_PKT_WAIT_CFG_NUM_CYCLES_SHIFT, w.cfg);
      if (!wait_cycles(s, epoch, cycles)) return false;
      add_fence(s, GAUDI_FIELD_GET(GAUDI_PKT_WAIT_CFG_ID_MASK, GAUDI_PKT_WAIT_CFG_ID_SHIFT, w.cfg),
                GAUDI_FIELD_GET(GAUDI_PKT_WAIT_CFG_INC_VAL_MASK, GAUDI_PKT_WAIT_CFG_INC_VAL_SHIFT, w.cfg));
      return true;
    }
    case PACKET_STOP:  // halts before the next packet; re-enable resumes after the STOP.
      st_[s].stopped = true;  // shown in GLBL_STS0 only: STS1 bits mean errors to the driver
      return true;
    case PACKET_NOP:
    case PACKET_ARB_POINT:
      return true;
    case PACKET_LOAD_AND_EXE:
      packet_error(s, k, QmanErrorKind::not_supported, "LOAD_AND_EXE is not modelled");
      return false;
    default:
      packet_error(s, k, QmanErrorKind::undefined_opcode, "undefined opcode " + hex(k.opcode));
      return false;
  }
}

// One 32-bit write through the NoC; the packet completes when the write has.
bool Qman::write32(unsigned s, uint64_t epoch, const DecodedPacket& k, uint64_t addr, uint32_t v,
                   QmanErrorKind kind, bool trusted) {
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  auto rsp = bus_access_as(trusted ? nullptr : &who_, noc_, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d);
  if (rsp != tlm::TLM_OK_RESPONSE) {
    packet_error(s, k, kind, "write of " + hex(v) + " to " + hex(addr) +
                                 (rsp == tlm::TLM_GENERIC_ERROR_RESPONSE ? " refused (RAZWI: protected)" : " failed"));
    return false;
  }
  if (d > sc_core::SC_ZERO_TIME) wait(d);
  return !stale(s, epoch);
}

// WREG_BULK: value i goes to reg_offset + 8i (low word) and + 8i + 4 (high word). The
// writes are issued back to back (loosely timed) and waited for together.
bool Qman::exec_wreg_bulk(unsigned s, uint64_t epoch, const DecodedPacket& k) {
  uint32_t n = GAUDI_FIELD_GET(GAUDI_PKT_WREG_BULK_SIZE64_MASK, GAUDI_PKT_WREG_BULK_SIZE64_SHIFT, k.word0);
  uint32_t reg = GAUDI_FIELD_GET(GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK, GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT, k.ctl);
  uint64_t base = GAUDI_CFG_BASE + (block_offset_ & ~0xFFFFu) + reg;
  sc_core::sc_time d = sc_core::SC_ZERO_TIME;
  for (uint32_t i = 0; i < 2 * n; ++i) {
    uint32_t v = le32(k.bytes + 8 + 4 * i);
    uint64_t addr = base + 4ull * i;
    if (bus_access_as(&who_, noc_, tlm::TLM_WRITE_COMMAND, addr, &v, 4, d) != tlm::TLM_OK_RESPONSE) {
      packet_error(s, k, QmanErrorKind::wreg_write, "WREG_BULK write to " + hex(addr) + " failed");
      return false;
    }
  }
  if (d > sc_core::SC_ZERO_TIME) wait(d);
  return !stale(s, epoch);
}

// FENCE: wait, event driven, until fence counter `id` of this stream reaches target_val,
// then take dec_val off it (never below zero).
bool Qman::exec_fence(unsigned s, uint64_t epoch, const DecodedPacket& k) {
  auto f = k.as<packet_fence>();
  unsigned id = GAUDI_FIELD_GET(GAUDI_PKT_FENCE_CFG_ID_MASK, GAUDI_PKT_FENCE_CFG_ID_SHIFT, f.cfg);
  uint32_t target = GAUDI_FIELD_GET(GAUDI_PKT_FENCE_CFG_TARGET_VAL_MASK, GAUDI_PKT_FENCE_CFG_TARGET_VAL_SHIFT, f.cfg);
  uint32_t dec = GAUDI_FIELD_GET(GAUDI_PKT_FENCE_CFG_DEC_VAL_MASK, GAUDI_PKT_FENCE_CFG_DEC_VAL_SHIFT, f.cfg);
  Stream& st = st_[s];
  st.fence_wait = true;
  st.fence_id = id;
  const sc_core::sc_time start = sc_core::sc_time_stamp();
  while (fence_[s][id] < target) {
    wait(waits(s).wake);
    if (stale(s, epoch)) return false;
    if (st.error) return st.fence_wait = false;
  }
  st.fence_wait = false;
  if (start != sc_core::sc_time_stamp()) {
    trace::span(*this, kStreamLanes[s], "FENCE wait", start, sc_core::sc_time_stamp());
  }
  fence_[s][id] -= dec < fence_[s][id] ? dec : fence_[s][id];
  return true;
}

bool Qman::exec_lin_dma(unsigned s, uint64_t epoch, const DecodedPacket& k) {
  auto pkt = k.as<packet_lin_dma>();
  if (!(pkt.ctl & GAUDI_PKT_LIN_DMA_CTL_LIN_MASK)) {
    packet_error(s, k, QmanErrorKind::bad_packet, "LIN_DMA without the LIN bit");
    return false;
  }
  if (!engine_) {
    packet_error(s, k, QmanErrorKind::engine, "LIN_DMA on a QMAN without a DMA engine");
    return false;
  }
  // The engine runs on its own; a failure it reports later stops the stream then.
  DecodedPacket where = k;
  where.bytes = nullptr;
  bool accepted = engine_->start_lin_dma(pkt, [this, s, epoch, where](bool ok) {
    if (!ok && !stale(s, epoch) && !st_[s].error)
      packet_error(s, where, QmanErrorKind::engine, "engine reported the LIN_DMA failed");
  });
  if (!accepted && !st_[s].error) packet_error(s, k, QmanErrorKind::engine, "engine refused the LIN_DMA");
  return accepted && !st_[s].error;
}

// CP_DMA: fetch tsize bytes and run them as a nested CB (the lower CP's job on GAUDI).
bool Qman::exec_cp_dma(unsigned s, uint64_t epoch, const DecodedPacket& k, bool nested) {
  if (nested) {
    packet_error(s, k, QmanErrorKind::bad_packet, "CP_DMA inside a CP_DMA CB");
    return false;
  }
  auto c = k.as<packet_cp_dma>();
  if (c.tsize > kMaxCbBytes) {
    packet_error(s, k, QmanErrorKind::cb_read, "CP_DMA of " + std::to_string(c.tsize) + " bytes exceeds the model's limit");
    return false;
  }
  std::vector<uint8_t> cb;
  bool ok = true;
  if (!fetch(s, epoch, c.src_addr, c.tsize, cb, ok)) return false;
  if (!ok) {
    packet_error(s, k, QmanErrorKind::cb_read, "CP_DMA cannot read " + hex(c.src_addr));
    return false;
  }
  st_[s].nested = true;
  bool done = run_cb(s, epoch, c.src_addr, cb, true);
  if (!stale(s, epoch)) st_[s].nested = false;
  return done;
}

// REPEAT, gaudisim's definition: see models/qman/qman_packets.hpp.
bool Qman::exec_repeat(unsigned s, const DecodedPacket& k, std::map<uint32_t, uint32_t>& left, uint32_t& next) {
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

// Packet boundary: hold while the stream is stopped or disabled; drop the work on error,
// reset or flush.
bool Qman::wait_runnable(unsigned s, uint64_t epoch) {
  while (!stale(s, epoch) && !st_[s].error && !can_execute(s)) wait(waits(s).wake);
  return !stale(s, epoch) && !st_[s].error;
}

bool Qman::wait_engine_idle(unsigned s, uint64_t epoch) {
  if (!engine_) return true;
  while (!engine_->idle()) {
    wait(engine_->idle_event() | waits(s).wake);
    if (stale(s, epoch) || st_[s].error) return false;
  }
  return true;
}

// Idle `cycles` QMAN cycles; a reset cuts the wait short.
bool Qman::wait_cycles(unsigned s, uint64_t epoch, uint64_t cycles) {
  if (cycles == 0) return !stale(s, epoch);
  const sc_core::sc_time end = sc_core::sc_time_stamp() + cycle_ * double(cycles);
  while (sc_core::sc_time_stamp() < end) {
    Stream::Waits& w = waits(s);
    w.timer.notify(end - sc_core::sc_time_stamp());
    wait(w.timer.event() | w.wake);
    w.timer.cancel();
    if (stale(s, epoch)) return false;
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
