#include "driver/core/cs_parser.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "driver/core/cs_parser_launch.hpp"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/tpc_mme.h"

namespace hl {

const char* packet_name(uint32_t opcode) {
  switch (opcode) {
    case PACKET_WREG_32: return "WREG_32";
    case PACKET_WREG_BULK: return "WREG_BULK";
    case PACKET_MSG_LONG: return "MSG_LONG";
    case PACKET_MSG_SHORT: return "MSG_SHORT";
    case PACKET_CP_DMA: return "CP_DMA";
    case PACKET_REPEAT: return "REPEAT";
    case PACKET_MSG_PROT: return "MSG_PROT";
    case PACKET_FENCE: return "FENCE";
    case PACKET_LIN_DMA: return "LIN_DMA";
    case PACKET_NOP: return "NOP";
    case PACKET_STOP: return "STOP";
    case PACKET_ARB_POINT: return "ARB_POINT";
    case PACKET_WAIT: return "WAIT";
    case PACKET_LOAD_AND_EXE: return "LOAD_AND_EXE";
  }
  return "unknown";
}

namespace {

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

// The external-queue rule for one packet type: 0 if user CBs may hold it, else the errno.
int external_rule(uint32_t op, const uint8_t* pkt, std::string* why) {
  switch (op) {
    case PACKET_WREG_32:
    case PACKET_MSG_LONG:
    case PACKET_MSG_SHORT:
    case PACKET_REPEAT:
    case PACKET_FENCE:
    case PACKET_NOP:
    case PACKET_ARB_POINT:
    case PACKET_LIN_DMA:
      return 0;
    case PACKET_LOAD_AND_EXE: {
      uint32_t cfg;
      std::memcpy(&cfg, pkt, 4);
      if (!(cfg & GAUDI_PKT_LOAD_AND_EXE_CFG_DST_MASK)) return 0;
      *why = "user CBs may not load into the CP (LOAD_AND_EXE with DST set)";
      return -EPERM;
    }
    case PACKET_MSG_PROT:
    case PACKET_CP_DMA:
    case PACKET_STOP:
    case PACKET_WREG_BULK:
      *why = "user CBs may not use it on an external queue";
      return -EPERM;
  }
  *why = "invalid packet for a user CB on an external queue";
  return -EINVAL;
}

}  // namespace

ParseResult parse_user_cb(const uint8_t* cb, uint32_t size, const QueueDesc& q, const MemoryManager& mem) {
  ParseResult r;
  uint32_t off = 0;
  unsigned index = 0;
  auto fail = [&](int err, uint32_t opcode, const std::string& why) {
    r.ok = false;
    r.err = err;
    r.error = "packet " + std::to_string(index) + " (" + packet_name(opcode) + ") at offset " + hex(off) + ": " + why;
    return r;
  };
  if (size == 0 || size % 8) {
    r.ok = false;
    r.err = -EINVAL;
    r.error = "CB size " + std::to_string(size) + " is not a positive multiple of 8";
    return r;
  }
  const bool external = q.type == QueueType::external;
  const bool compute = is_compute_queue(q);
  EngineRegs engine_regs;
  for (; off < size; ++index) {
    uint32_t word0, ctl;
    std::memcpy(&word0, cb + off, 4);
    std::memcpy(&ctl, cb + off + 4, 4);
    uint32_t op = GAUDI_FIELD_GET(GAUDI_PKT_CTL_OPCODE_MASK, GAUDI_PKT_CTL_OPCODE_SHIFT, ctl);
    uint32_t psize = gaudi_pkt_size(op, word0);
    if (!psize) return fail(-EINVAL, op, "unknown opcode " + std::to_string(op));
    if (psize > size - off) return fail(-EINVAL, op, "packet runs past the end of the CB");
    std::string why;
    if (external) {
      if (int err = external_rule(op, cb + off, &why)) return fail(err, op, why);
    }
    switch (op) {
      case PACKET_WREG_32:
      case PACKET_WREG_BULK: {
        if (!compute) break;
        // A TPC/MME launch names a descriptor the engine reads: one in host memory must be
        // the context's (MMU stand-in), and so must every tensor it names there.
        uint32_t reg = GAUDI_FIELD_GET(GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK, GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT, ctl);
        uint32_t count = op == PACKET_WREG_32 ? 1 : 2 * GAUDI_FIELD_GET(GAUDI_PKT_WREG_BULK_SIZE64_MASK,
                                                                         GAUDI_PKT_WREG_BULK_SIZE64_SHIFT, word0);
        for (uint32_t i = 0; i < count; ++i) {
          uint32_t v = word0;
          if (op == PACKET_WREG_BULK) std::memcpy(&v, cb + off + 8 + 4 * i, 4);
          if (reg + 4 * i < q.user_reg_lo) continue;
          uint32_t e = reg + 4 * i - q.user_reg_lo;
          engine_regs[e] = v;
          if (e == GSIM_ENG_LAUNCH) {
            why = check_engine_launch(q, mem, engine_regs, v);
            if (!why.empty()) return fail(-EFAULT, op, "engine launch refused: " + why);
          }
        }
        break;
      }
      case PACKET_LIN_DMA: {
        packet_lin_dma p;
        std::memcpy(&p, cb + off, sizeof p);
        uint64_t dst = p.dst_addr & GAUDI_PKT_LIN_DMA_DST_ADDR_MASK;
        bool memset = p.ctl & GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK;
        if (p.tsize && !mem.may_access(dst, p.tsize))
          return fail(-EFAULT, op, "destination " + hex(dst) + " + " + std::to_string(p.tsize) +
                                       " is host memory the context has not mapped");
        if (p.tsize && !memset && !mem.may_access(p.src_addr, p.tsize))
          return fail(-EFAULT, op, "source " + hex(p.src_addr) + " + " + std::to_string(p.tsize) +
                                       " is host memory the context has not mapped");
        r.has_dma = true;
        break;
      }
      default:
        break;
    }
    off += psize;
  }
  return r;
}

}  // namespace hl
