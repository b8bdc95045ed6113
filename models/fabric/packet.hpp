// A frame on the Ethernet fabric: RoCE v2 headers as fields, the payload as a slice of a
// shared buffer (never copied per hop), and the frame's size on the wire computed from the
// real header sizes. PFC pause frames travel as packets too.
#pragma once
#include <cstddef>
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

// PacketPtrs holding a frame: a copy of the frame starts unreferenced, an assignment keeps
// the count of the frame assigned to.
struct PacketRefs {
  uint32_t n = 0;
  PacketRefs() = default;
  PacketRefs(const PacketRefs&) {}
  PacketRefs& operator=(const PacketRefs&) { return *this; }
};

// A frame is held by PacketPtr (below): its reference count is its first field, not a
// shared_ptr's separate control block, and not atomic (the simulation is single-threaded).
// Frames come from make_packet() (packet_pool.hpp), in blocks of two cache lines: the first
// holds the count and every field a hop reads (egress queue, link, switch, receiving NIC,
// the payload's reference included), the second what only a frame's maker and a message's
// first, last or acknowledging packet read.
struct alignas(64) Packet {
  PacketRefs refs;  // PacketPtr's only
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
  // (Second line.)
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
static_assert(sizeof(Packet) == 128, "a frame is two cache lines (tests/models/packet_pool_test.cpp pins the first)");

namespace detail {
// Blocks of frames no longer referenced, reused by make_packet (packet_pool.hpp). Never
// destroyed: frames held by objects that outlive main's scope may still come back.
inline std::vector<Packet*>& free_packets() {
  static auto* list = new std::vector<Packet*>;
  return *list;
}
}  // namespace detail

// A counted reference to a frame, one pointer wide (a queue slot, an arrival entry): copies
// count in the frame's first line, moves touch nothing, the last reference returns the
// frame's block to make_packet's free list.
class PacketPtr {
 public:
  PacketPtr() = default;
  PacketPtr(std::nullptr_t) {}
  explicit PacketPtr(Packet* p) : p_(p) {
    if (p_) ++p_->refs.n;
  }
  PacketPtr(const PacketPtr& o) : PacketPtr(o.p_) {}
  PacketPtr(PacketPtr&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  PacketPtr& operator=(const PacketPtr& o) {
    PacketPtr(o).swap(*this);
    return *this;
  }
  PacketPtr& operator=(PacketPtr&& o) noexcept {
    PacketPtr(std::move(o)).swap(*this);
    return *this;
  }
  ~PacketPtr() { release(); }

  Packet* get() const { return p_; }
  Packet* operator->() const { return p_; }
  Packet& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }
  long use_count() const { return p_ ? long(p_->refs.n) : 0; }  // the references to the frame
  void reset() { PacketPtr().swap(*this); }
  void swap(PacketPtr& o) noexcept { std::swap(p_, o.p_); }
  friend bool operator==(const PacketPtr& a, const PacketPtr& b) { return a.p_ == b.p_; }
  friend bool operator!=(const PacketPtr& a, const PacketPtr& b) { return a.p_ != b.p_; }
  friend bool operator==(const PacketPtr& a, std::nullptr_t) { return !a.p_; }
  friend bool operator!=(const PacketPtr& a, std::nullptr_t) { return a.p_ != nullptr; }

 private:
  void release() {
    if (p_ && --p_->refs.n == 0) {
      p_->~Packet();
      detail::free_packets().push_back(p_);
    }
  }
  Packet* p_ = nullptr;
};

// Anything a link delivers frames to: a NIC port, a switch port, a third-party NIC.
class NetReceiver {
 public:
  virtual ~NetReceiver() = default;
  // The whole frame has arrived (the last bit is in).
  virtual void receive(const PacketPtr& p) = 0;
};

}  // namespace gs
