// One vhost-user connection from the guest kernel, device side: answers the control
// messages (features, memory table, ring set-up, kick and call fds) and owns the device's
// two virtqueues and the guest memory mapping.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "linux_host/guest_memory.hpp"
#include "linux_host/virtqueue.hpp"

namespace gs {

class VhostUserConn {
 public:
  // fd: the accepted socket (owned). name: for log lines. inband: offer in-band
  // notifications (time-travel mode: kicks arrive as VRING_KICK messages and interrupts go
  // out as SLAVE_VRING_CALL messages, both answered before either side goes on).
  VhostUserConn(int fd, std::string name, bool inband = false);
  ~VhostUserConn();
  VhostUserConn(const VhostUserConn&) = delete;
  VhostUserConn& operator=(const VhostUserConn&) = delete;

  int fd() const { return fd_; }
  // Handles one control message. False when the peer closed or broke the protocol.
  bool service();
  Virtqueue& queue(unsigned i) { return q_[i]; }
  GuestMemory& memory() { return mem_; }
  bool inband_kick_pending(unsigned i) { bool k = inband_kick_[i]; inband_kick_[i] = false; return k; }
  // Called for an in-band VRING_KICK before it is acknowledged: the guest waits for the ack,
  // so what the kick asked for is done at the guest's time of the kick.
  void on_inband_kick(std::function<void(unsigned)> f) { on_kick_ = std::move(f); }
  // In-band interrupt: SLAVE_VRING_CALL for queue i, asking for a reply. False if the slave
  // channel is missing or broken. The reply is read with read_slave_reply().
  bool send_vring_call(unsigned i);
  int slave_fd() const { return slave_fd_; }
  bool read_slave_reply();

 private:
  bool reply_u64(uint32_t request, uint64_t value);

  int fd_;
  std::string name_;
  GuestMemory mem_;
  std::array<Virtqueue, 2> q_;
  std::array<bool, 2> inband_kick_{};
  uint64_t protocol_features_ = 0;
  bool inband_;
  std::function<void(unsigned)> on_kick_;
  int slave_fd_ = -1;  // the master's request channel (in-band calls in time-travel mode)
};

}  // namespace gs
