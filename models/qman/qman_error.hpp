// What a queue manager reports when a command processor meets something it cannot execute.
// The QMAN never aborts the simulator: the stream stops, GLBL_STS1 of its CP gets a cause
// bit and this report goes to the card (which turns it into a device-CPU event later).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <systemc>

namespace gs {

enum class QmanErrorKind {
  pq_read,           // the primary-queue entry could not be read
  cb_read,           // the CB (or a CP_DMA source) could not be read, or is too large
  undefined_opcode,  // opcode 0x0, 0xE or >= 0x10
  truncated_packet,  // a packet runs past the end of its CB
  bad_packet,        // a known packet used illegally (REPEAT jump, nested CP_DMA, LIN bit...)
  not_supported,     // a packet gaudisim does not model (LOAD_AND_EXE)
  engine,            // the engine refused a LIN_DMA or reported it failed
  msg_write,         // MSG_LONG / MSG_SHORT / MSG_PROT target answered with an error
  wreg_write,        // WREG_32 / WREG_BULK target answered with an error
};

const char* to_string(QmanErrorKind k);

struct QmanError {
  std::string qman;      // module name, e.g. "card0.dma_qm0"
  unsigned qman_id = 0;  // the card's id: the uAPI queue id of the QMAN's stream 0
  unsigned stream = 0;   // 0..3
  uint64_t cb_addr = 0;  // device address of the CB holding the packet (the nested CB for
                         // errors inside a CP_DMA; the PQ entry's address for pq_read)
  uint32_t offset = 0;   // byte offset of the offending packet in that CB
  uint32_t opcode = 0;   // its opcode (0 when no packet was decoded)
  QmanErrorKind kind = QmanErrorKind::bad_packet;
  std::string reason;    // human-readable, for logs
  sc_core::sc_time time;

  uint64_t packet_addr() const { return cb_addr + offset; }
  unsigned queue_id() const { return qman_id + stream; }
};

using QmanErrorSink = std::function<void(const QmanError&)>;

// GLBL_STS1(c) cause bits (public GAUDI layout; bit 7 is gaudisim's own).
namespace qm_sts1 {
constexpr uint32_t kPqfRdErr = 1u << 0;
constexpr uint32_t kCqfRdErr = 1u << 1;
constexpr uint32_t kCpRdErr = 1u << 2;
constexpr uint32_t kCpUndefCmdErr = 1u << 3;
constexpr uint32_t kCpStopOp = 1u << 4;  // not set by gaudisim: STOP shows in GLBL_STS0 only
constexpr uint32_t kCpMsgWrErr = 1u << 5;
constexpr uint32_t kCpWregErr = 1u << 6;
constexpr uint32_t kEngineErr = 1u << 7;  // not public: gaudisim value (LIN_DMA refused/failed)
}  // namespace qm_sts1

uint32_t sts1_bit(QmanErrorKind k);

std::string qman_hex(uint64_t v);  // "0x..." for the reasons of reports

}  // namespace gs
