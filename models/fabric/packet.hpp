// A frame on the Ethernet fabric: RoCE v2 headers as fields, the payload as a slice of a
// shared buffer (never copied per hop), and the frame's size on the wire computed from the
// real header sizes. PFC pause frames travel as packets too.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

namespace gs {

// InfiniBand BTH opcodes of the reliable-connection transport used by RoCE v2.
enum class RoceOp : uint8_t {
  write_first = 0x06,
  write_middle = 0x07,
  write_last = 0x08,
  write_last_imm = 0x09,
  write_only = 0x0A,
  write_only_imm = 0x0B,
  ack = 0x11,   // AETH carries ACK or NAK (syndrome)
  cnp = 0x81,   // congestion notification
  none = 0xFF,  // not RoCE (PFC frame)
};

namespace wire {
constexpr uint32_t kPreambleSfd = 8, kIfg = 12, kEth = 14, kFcs = 4;
constexpr uint32_t kIpv4 = 20, kUdp = 8, kBth = 12, kReth = 16, kImm = 4, kAeth = 4, kIcrc = 4;
constexpr uint16_t kRoceUdpPort = 4791;
constexpr uint32_t kMinFrame = 64;   // Ethernet minimum frame (header to FCS)
constexpr uint32_t kPauseFrame = 64;
}  // namespace wire

// AETH syndromes (upper 3 bits: 0 ACK, 3 NAK; NAK code 0 = PSN sequence error).
constexpr uint8_t kAethAck = 0x00;
constexpr uint8_t kAethNakPsnSeqErr = 0x60;
constexpr uint8_t kAethNakInvalidRequest = 0x61;
constexpr uint8_t kAethNakRemoteAccess = 0x62;
inline bool aeth_is_nak(uint8_t syndrome) { return (syndrome & 0xE0) == 0x60; }

struct Packet {
  // What every hop reads (egress queue, link, receiver) comes first: behind the 16 bytes of
  // the shared_ptr's control block it fills the rest of the frame's first cache line
  // (packet_pool.hpp aligns frames to lines).
  RoceOp op = RoceOp::none;
  uint8_t priority = 0;  // traffic class: PFC priority 0..7
  // PFC (802.1Qbb) pause frame: per-priority pause (true) or resume (false).
  bool is_pause = false;
  // Bit errors on the way: the receiver's FCS/ICRC check fails and drops the frame.
  bool corrupted = false;
  uint8_t syndrome = kAethAck;  // AETH (acknowledgements)
  uint8_t ecn = 2;              // IP ECN field: 2 = ECT(0), 3 = CE
  bool ack_req = false;
  uint8_t pause_mask = 0;
  bool pause_on = false;
  uint16_t udp_sport = 0, udp_dport = wire::kRoceUdpPort;
  uint32_t payload_len = 0;
  // BTH
  uint32_t dest_qp = 0;
  uint32_t psn = 0;      // 24-bit
  // Ethernet / IP / UDP
  uint32_t src_ip = 0, dst_ip = 0;
  uint64_t dst_mac = 0;  // 48-bit addresses
  // Payload: payload_len bytes from data.get() + data_offset (a reference to the buffer
  // that holds them: a requester's payload chunk, never a copy per frame).
  std::shared_ptr<const uint8_t> data;
  uint64_t data_offset = 0;
  // RETH (first / only packet of a write)
  uint64_t va = 0;
  uint32_t rkey = 0;
  uint32_t dma_len = 0;
  // Immediate data (last / only with immediate)
  uint32_t imm = 0;
  uint32_t msn = 0;  // AETH
  uint64_t src_mac = 0;
  uint64_t uid = 0;

  bool has_reth() const { return op == RoceOp::write_first || op == RoceOp::write_only || op == RoceOp::write_only_imm; }
  bool has_imm() const { return op == RoceOp::write_last_imm || op == RoceOp::write_only_imm; }
  // Ethernet frame, header to FCS, padded to the 64-byte minimum.
  uint32_t frame_bytes() const {
    if (is_pause) return wire::kPauseFrame;
    uint32_t n = wire::kEth + wire::kIpv4 + wire::kUdp + wire::kBth + payload_len + wire::kIcrc + wire::kFcs;
    if (has_reth()) n += wire::kReth;
    if (has_imm()) n += wire::kImm;
    if (op == RoceOp::ack) n += wire::kAeth;
    return n < wire::kMinFrame ? wire::kMinFrame : n;
  }
  // Bytes of line time: frame plus preamble/SFD and the inter-frame gap.
  uint32_t wire_bytes() const { return frame_bytes() + wire::kPreambleSfd + wire::kIfg; }
};

using PacketPtr = std::shared_ptr<Packet>;

// Anything a link delivers frames to: a NIC port, a switch port, a third-party NIC.
class NetReceiver {
 public:
  virtual ~NetReceiver() = default;
  // The whole frame has arrived (the last bit is in).
  virtual void receive(const PacketPtr& p) = 0;
};

}  // namespace gs
