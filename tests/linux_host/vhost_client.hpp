// A minimal vhost-user virt-pci master for tests: plays the part of the UML kernel against
// gaudisim-linux-host (memfd-backed "guest memory", the two virtqueues, config and BAR
// messages, MSI messages back). Test code only.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "linux_host/vhost_user_proto.hpp"

namespace gs::test {

class VhostClient {
 public:
  static constexpr uint64_t kGuestBase = 0x1000000;  // guest-physical address of the memory
  static constexpr uint64_t kGuestSize = 16 << 20;

  // Connects (retrying for up to 10 s while the server starts) and sets the device up.
  explicit VhostClient(const std::string& socket_path);
  ~VhostClient();

  uint32_t cfg_read(uint32_t off, uint32_t size = 4);
  void cfg_write(uint32_t off, uint32_t value, uint32_t size = 4);
  std::vector<uint8_t> mmio_read(unsigned bar, uint64_t off, uint32_t size);
  void mmio_write(unsigned bar, uint64_t off, const void* data, uint32_t size);
  uint32_t mmio_read32(unsigned bar, uint64_t off);
  void mmio_write32(unsigned bar, uint64_t off, uint32_t v) { mmio_write(bar, off, &v, 4); }
  // Next MSI message data from the interrupt queue, or -1 after timeout_ms.
  int64_t wait_msi(int timeout_ms);
  uint8_t* guest(uint64_t guest_addr) { return mem_ + (guest_addr - kGuestBase); }

 private:
  struct Queue {
    uint64_t desc, avail, used;  // guest addresses
    uint16_t next_avail = 0, last_used = 0;
    int kick = -1, call_rd = -1;
  };
  void send(uint32_t request, const void* payload, uint32_t size, const int* fds = nullptr, unsigned nfds = 0);
  uint64_t recv_u64();
  bool wait_used(Queue& q, int timeout_ms);  // the device used a buffer of q in time?
  // Adds a chain (readable bytes, then writable length) and kicks; returns the used length.
  uint32_t transact(unsigned q, const std::vector<uint8_t>& out, uint32_t in_len, std::vector<uint8_t>* in);
  void post_irq_buffers();

  int sock_ = -1, memfd_ = -1;
  uint8_t* mem_ = nullptr;
  Queue q_[2];
  uint64_t scratch_ = 0;
  bool acks_ = false;  // bump allocator for buffers in guest memory
};

}  // namespace gs::test
