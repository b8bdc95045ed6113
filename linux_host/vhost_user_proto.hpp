// The wire formats between a User Mode Linux kernel and a PCI device process: vhost-user
// (the control socket, public vhost-user specification) and virtio-pcidev (the messages on
// the device's two virtqueues, Linux uAPI include/uapi/linux/virtio_pcidev.h). Declared here
// from the public layouts; all fields are little-endian, as on the x86-64 host.
#pragma once
#include <cstdint>

namespace gs::vhost {

// Message header: request, flags (version 1 in bits 0-1, reply bit 2, need-reply bit 3), size
// of the payload that follows.
struct Header {
  uint32_t request;
  uint32_t flags;
  uint32_t size;
} __attribute__((packed));

constexpr uint32_t kVersion = 1;
constexpr uint32_t kFlagReply = 1u << 2;
constexpr uint32_t kFlagNeedReply = 1u << 3;

enum Request : uint32_t {
  kGetFeatures = 1,
  kSetFeatures = 2,
  kSetOwner = 3,
  kResetOwner = 4,
  kSetMemTable = 5,
  kSetLogBase = 6,
  kSetLogFd = 7,
  kSetVringNum = 8,
  kSetVringAddr = 9,
  kSetVringBase = 10,
  kGetVringBase = 11,
  kSetVringKick = 12,
  kSetVringCall = 13,
  kSetVringErr = 14,
  kGetProtocolFeatures = 15,
  kSetProtocolFeatures = 16,
  kGetQueueNum = 17,
  kSetVringEnable = 18,
  kSetSlaveReqFd = 21,
  kGetConfig = 24,
  kSetConfig = 25,
  kVringKick = 35,
};

// Feature bits.
constexpr uint64_t kFProtocolFeatures = 1ull << 30;  // vhost-user: protocol features exist
constexpr uint64_t kFVersion1 = 1ull << 32;          // virtio 1.0 device
constexpr uint64_t kPfReplyAck = 1ull << 3;
constexpr uint64_t kPfSlaveReq = 1ull << 5;  // UML gives the device its own IRQ only with it
// Kicks and calls as messages (VRING_KICK on the socket, SLAVE_VRING_CALL on the slave
// channel) instead of eventfds: synchronous, what UML's time-travel mode needs.
constexpr uint64_t kPfInbandNotifications = 1ull << 14;

// Requests the device sends on the slave channel (SET_SLAVE_REQ_FD).
constexpr uint32_t kSlaveVringCall = 4;

struct VringState {
  uint32_t index, num;
} __attribute__((packed));

struct VringAddr {
  uint32_t index, flags;
  uint64_t desc, used, avail, log;
} __attribute__((packed));

struct MemRegion {
  uint64_t guest_addr, size, user_addr, mmap_offset;
} __attribute__((packed));

constexpr unsigned kMaxMemRegions = 8;
struct MemTable {
  uint32_t num, padding;
  MemRegion regions[kMaxMemRegions];
} __attribute__((packed));

// Split virtqueue layout (virtio 1.0, section 2.6).
struct VringDesc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags, next;
} __attribute__((packed));
constexpr uint16_t kDescNext = 1, kDescWrite = 2, kDescIndirect = 4;
struct VringUsedElem {
  uint32_t id, len;
} __attribute__((packed));

}  // namespace gs::vhost

namespace gs::pcidev {

enum Op : uint8_t {
  kCfgRead = 1,
  kCfgWrite = 2,
  kMmioRead = 3,
  kMmioWrite = 4,
  kMmioMemset = 5,
  kInt = 6,
  kMsi = 7,
  kPme = 8,
};

// One message on the command or interrupt queue; `size` data bytes follow (one byte for a
// memset).
struct Msg {
  uint8_t op, bar;
  uint16_t reserved;
  uint32_t size;
  uint64_t addr;
} __attribute__((packed));

constexpr unsigned kCmdQueue = 0, kIrqQueue = 1;

}  // namespace gs::pcidev
