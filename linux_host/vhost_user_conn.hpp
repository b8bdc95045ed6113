// One vhost-user connection from the guest kernel, device side: answers the control
// messages (features, memory table, ring set-up, kick and call fds) and owns the device's
// two virtqueues and the guest memory mapping.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "linux_host/guest_memory.hpp"
#include "linux_host/virtqueue.hpp"

namespace gs {

class VhostUserConn {
 public:
  // fd: the accepted socket (owned). name: for log lines.
  VhostUserConn(int fd, std::string name);
  ~VhostUserConn();
  VhostUserConn(const VhostUserConn&) = delete;
  VhostUserConn& operator=(const VhostUserConn&) = delete;

  int fd() const { return fd_; }
  // Handles one control message. False when the peer closed or broke the protocol.
  bool service();
  Virtqueue& queue(unsigned i) { return q_[i]; }
  GuestMemory& memory() { return mem_; }
  bool inband_kick_pending(unsigned i) { bool k = inband_kick_[i]; inband_kick_[i] = false; return k; }

 private:
  bool reply_u64(uint32_t request, uint64_t value);

  int fd_;
  std::string name_;
  GuestMemory mem_;
  std::array<Virtqueue, 2> q_;
  std::array<bool, 2> inband_kick_{};
  uint64_t protocol_features_ = 0;
  int slave_fd_ = -1;  // the master's request channel: kept open, never written to
};

}  // namespace gs
