// gaudisim's reading of the packet fields that GAUDI's public headers leave open, shared by
// the command processors and by whoever builds CBs in tests (the driver has its own copy of
// these numbers: it may not include models/).
#pragma once
#include <cstdint>
#include <cstring>

#include "specs/gaudi/packets.h"

namespace gs {

// REPEAT (not public, gaudisim definition). cfg bits 15..2 hold a repeat count N; bits 31..16
// (jmp_ptr) give the loop start as byte offset 8 * jmp_ptr from the start of the CB that holds
// the REPEAT. The loop body (from the loop start up to and including the REPEAT) runs N + 1
// times: each time the REPEAT is reached the CP jumps back while its counter is not used up,
// then falls through and forgets the counter, so an enclosing loop restarts it. Counters
// belong to one REPEAT packet of one CB run (nested loops work). A loop start after the
// REPEAT itself is an error. sore (bit 0) and o (bit 1) are ignored.
constexpr uint32_t kRepeatCountShift = 2;
constexpr uint32_t kRepeatCountMask = 0x0000FFFCu;
constexpr uint32_t kRepeatMaxCount = kRepeatCountMask >> kRepeatCountShift;

inline uint32_t repeat_count(const packet_repeat& p) {
  return GAUDI_FIELD_GET(kRepeatCountMask, kRepeatCountShift, p.cfg);
}
inline uint32_t repeat_jump_offset(const packet_repeat& p) {
  return 8u * GAUDI_FIELD_GET(GAUDI_PKT_REPEAT_CFG_JMP_PTR_MASK, GAUDI_PKT_REPEAT_CFG_JMP_PTR_SHIFT, p.cfg);
}
// A REPEAT that runs the body starting at byte offset 8 * jmp_ptr `count` + 1 times.
inline packet_repeat make_repeat(uint32_t jmp_ptr, uint32_t count) {
  packet_repeat p = gaudi_pkt_repeat(jmp_ptr, 0, 0);
  p.cfg |= GAUDI_FIELD_PREP(kRepeatCountMask, kRepeatCountShift, count);
  return p;
}

// A packet as the lower CP decodes it from a fetched CB.
struct DecodedPacket {
  const uint8_t* bytes = nullptr;  // first byte of the packet inside the CB copy
  uint32_t word0 = 0, ctl = 0;
  uint32_t opcode = 0, size = 0;
  uint64_t cb_addr = 0;            // device address of the CB
  uint32_t offset = 0;             // byte offset in the CB
  uint64_t addr() const { return cb_addr + offset; }
  bool eb() const { return ctl & GAUDI_PKT_CTL_EB_MASK; }
  template <class P> P as() const {
    P p;
    std::memcpy(&p, bytes, sizeof p);
    return p;
  }
};

}  // namespace gs
