// The device side of one split virtqueue in shared guest memory: take the next descriptor
// chain the driver made available, hand back the chain with the bytes written, and signal
// the driver through the call fd.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "linux_host/guest_memory.hpp"

namespace gs {

class Virtqueue {
 public:
  struct Chain {
    uint16_t head = 0;
    std::vector<uint8_t> readable;                        // driver -> device bytes, gathered
    std::vector<std::pair<uint8_t*, uint32_t>> writable;  // device -> driver segments
    uint32_t writable_bytes() const;
    // Scatter `len` bytes into the writable segments; returns how many fit.
    uint32_t write(const void* data, uint32_t len);
  };

  ~Virtqueue() { close_fds(); }
  void set_num(uint32_t n) { num_ = n; }
  void set_base(uint16_t b) { last_avail_ = b; }
  uint16_t base() const { return last_avail_; }
  void set_addr(const vhost::VringAddr& a) { addr_ = a; ready_ = false; }
  void set_kick_fd(int fd);
  void set_call_fd(int fd);
  void set_enabled(bool e) { enabled_ = e; }
  int kick_fd() const { return kick_fd_; }
  void close_fds();

  // Resolves the ring addresses once memory is known. False while not usable.
  bool ready(const GuestMemory& mem);
  // Next available chain, or false if none (or if the chain is malformed: the queue stops).
  bool pop(const GuestMemory& mem, Chain& c);
  void push(const Chain& c, uint32_t written);
  void notify();
  void drain_kick();  // consume the kick eventfd's counter
  bool broken() const { return broken_; }

 private:
  uint32_t num_ = 0;
  vhost::VringAddr addr_{};
  bool ready_ = false, enabled_ = true, broken_ = false;
  vhost::VringDesc* desc_ = nullptr;
  uint16_t* avail_ = nullptr;  // flags, idx, ring[num]
  uint16_t* used_ = nullptr;   // flags, idx, then used elements
  uint16_t last_avail_ = 0, used_idx_ = 0;
  int kick_fd_ = -1, call_fd_ = -1;
};

}  // namespace gs
