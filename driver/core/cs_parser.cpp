#include "driver/core/cs_parser.hpp"

#include <cstdio>
#include <cstring>

#include "driver/core/cs_parser_launch.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"
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
constexpr uint64_t kWsObjs = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_W_S);
}  // namespace

bool user_sync_register(uint64_t addr) {
  if (addr < kWsObjs || addr >= kWsObjs + 0x6000 || addr % 4) return false;
  uint32_t off = uint32_t(addr - kWsObjs);
  if (off >= GAUDI_SM_SOB_OBJ(0) && off < GAUDI_SM_SOB_OBJ(GAUDI_SM_NUM_SOBS))
    return (off - GAUDI_SM_SOB_OBJ(0)) / 4 >= GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT;
  if (off >= GAUDI_SM_MON_PAY_ADDRL(0) && off < GAUDI_SM_MON_STATUS(GAUDI_SM_NUM_MONITORS))
    return ((off - GAUDI_SM_MON_PAY_ADDRL(0)) % 0x800) / 4 >= GAUDI_FIRST_AVAILABLE_W_S_MONITOR;
  return false;
}

namespace {

// MSG_SHORT bases as the driver programs them: 0/1 E_N monitors/objects (driver's own),
// 2/3 W_S monitors/objects.
bool msg_short_target(uint32_t base, uint32_t offset, uint64_t* addr) {
  uint64_t en = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(GAUDI_BLK_SYNC_MNGR_GLBL_E_N);
  switch (base) {
    case GAUDI_MSG_SHORT_BASE_EN_MON: *addr = en + GAUDI_SM_MON_PAY_ADDRL(0) + offset; return true;
    case GAUDI_MSG_SHORT_BASE_EN_SOB: *addr = en + GAUDI_SM_SOB_OBJ(0) + offset; return true;
    case GAUDI_MSG_SHORT_BASE_WS_MON: *addr = kWsObjs + GAUDI_SM_MON_PAY_ADDRL(0) + offset; return true;
    case GAUDI_MSG_SHORT_BASE_WS_SOB: *addr = kWsObjs + GAUDI_SM_SOB_OBJ(0) + offset; return true;
  }
  return false;
}

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

}  // namespace

ParseResult parse_user_cb(const uint8_t* cb, uint32_t size, const QueueDesc& q, const MemoryManager& mem) {
  ParseResult r;
  uint32_t off = 0;
  unsigned index = 0;
  auto fail = [&](uint32_t opcode, const std::string& why) {
    r.ok = false;
    r.error = "packet " + std::to_string(index) + " (" + packet_name(opcode) + ") at offset " + hex(off) + ": " + why;
    return r;
  };
  if (size == 0 || size % 8) {
    r.ok = false;
    r.error = "CB size " + std::to_string(size) + " is not a positive multiple of 8";
    return r;
  }
  const bool compute = is_compute_queue(q);
  EngineRegs engine_regs;
  for (; off < size; ++index) {
    uint32_t word0, ctl;
    std::memcpy(&word0, cb + off, 4);
    std::memcpy(&ctl, cb + off + 4, 4);
    uint32_t op = GAUDI_FIELD_GET(GAUDI_PKT_CTL_OPCODE_MASK, GAUDI_PKT_CTL_OPCODE_SHIFT, ctl);
    uint32_t psize = gaudi_pkt_size(op, word0);
    if (!psize) return fail(op, "unknown opcode " + std::to_string(op));
    if (psize > size - off) return fail(op, "packet runs past the end of the CB");
    switch (op) {
      case PACKET_MSG_PROT: return fail(op, "protected packet: only the driver may emit it");
      case PACKET_CP_DMA: return fail(op, "CP_DMA would fetch a CB the driver cannot check");
      case PACKET_LOAD_AND_EXE: return fail(op, "not allowed on external queues");
      case PACKET_STOP: return fail(op, "STOP would halt the queue before the job completes");
      case PACKET_WREG_32:
      case PACKET_WREG_BULK: {
        uint32_t reg = GAUDI_FIELD_GET(GAUDI_PKT_WREG_CTL_REG_OFFSET_MASK, GAUDI_PKT_WREG_CTL_REG_OFFSET_SHIFT, ctl);
        uint32_t count = op == PACKET_WREG_32 ? 1 : 2 * GAUDI_FIELD_GET(GAUDI_PKT_WREG_BULK_SIZE64_MASK,
                                                                         GAUDI_PKT_WREG_BULK_SIZE64_SHIFT, word0);
        // Only the engine core of this queue; the QMAN (queue bases, protection) and every
        // other block of the window are privileged.
        if (reg < q.user_reg_lo || reg + 4ull * count > q.user_reg_hi)
          return fail(op, "register offset " + hex(reg) + " is outside the engine's user registers (" + hex(q.user_reg_lo) +
                              ".." + hex(q.user_reg_hi) + "): privileged");
        if (compute) {
          // Remember what the engine block will hold; a LAUNCH write is checked on the spot.
          for (uint32_t i = 0; i < count; ++i) {
            uint32_t v = word0;
            if (op == PACKET_WREG_BULK) std::memcpy(&v, cb + off + 8 + 4 * i, 4);
            uint32_t r = reg + 4 * i - q.user_reg_lo;
            engine_regs[r] = v;
            if (r == GSIM_ENG_LAUNCH) {
              std::string why = check_engine_launch(q, mem, engine_regs, v);
              if (!why.empty()) return fail(op, "engine launch refused: " + why);
            }
          }
        }
        break;
      }
      case PACKET_MSG_LONG: {
        uint64_t addr;
        std::memcpy(&addr, cb + off + 8, 8);
        if (!user_sync_register(addr) && !mem.owns(addr, 4))
          return fail(op, "address " + hex(addr) + " is neither memory of the context nor a user sync object/monitor");
        break;
      }
      case PACKET_MSG_SHORT: {
        uint32_t base = GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_BASE_MASK, GAUDI_PKT_SHORT_CTL_BASE_SHIFT, ctl);
        uint32_t a = GAUDI_FIELD_GET(GAUDI_PKT_SHORT_CTL_ADDR_MASK, GAUDI_PKT_SHORT_CTL_ADDR_SHIFT, ctl);
        uint64_t addr = 0;
        if (!msg_short_target(base, a, &addr) || !user_sync_register(addr))
          return fail(op, "base " + std::to_string(base) + " offset " + hex(a) +
                              " is not a sync object or monitor the user owns (W_S objects >= 144, monitors >= 72)");
        break;
      }
      case PACKET_LIN_DMA: {
        packet_lin_dma p;
        std::memcpy(&p, cb + off, sizeof p);
        if (!(p.ctl & GAUDI_PKT_LIN_DMA_CTL_LIN_MASK)) return fail(op, "LIN bit is clear");
        uint64_t dst = p.dst_addr & GAUDI_PKT_LIN_DMA_DST_ADDR_MASK;
        bool memset = p.ctl & GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK;
        if (p.tsize && !mem.owns(dst, p.tsize))
          return fail(op, "destination " + hex(dst) + " + " + std::to_string(p.tsize) + " is outside the context's memory");
        if (p.tsize && !memset && !mem.owns(p.src_addr, p.tsize))
          return fail(op, "source " + hex(p.src_addr) + " + " + std::to_string(p.tsize) + " is outside the context's memory");
        r.has_dma = true;
        break;
      }
      default:
        break;  // NOP, FENCE, WAIT, REPEAT, ARB_POINT touch nothing outside the queue
    }
    off += psize;
  }
  return r;
}

}  // namespace hl
