// User-space wrappers of the NIC connection ioctl, and the packet that makes a NIC queue
// send: a WREG_BULK of one send WQE into the NIC engine's work-request registers
// (specs/gaudi/nic.h). The user never posts sends itself: a CS on the NIC queue does.
#pragma once
#include <cstdint>

#include "driver/lib/cb_builder.hpp"
#include "driver/lib/thunk.hpp"

namespace hlthunk {

struct NicPeer {
  uint32_t ip = 0;
  uint64_t mac = 0;
  uint32_t conn_id = 0;  // the peer's connection id
};

int nic_alloc_conn(Thunk& t, int fd, uint32_t port, uint32_t* conn_id);
// Requester and responder halves of one connection; enable_sob lets completions signal
// sync objects (locally on the requester, on this card for the responder).
int nic_set_requester(Thunk& t, int fd, uint32_t port, uint32_t conn_id, uint32_t src_ip, const NicPeer& peer,
                      bool enable_sob = true, uint8_t priority = 0);
int nic_set_responder(Thunk& t, int fd, uint32_t port, uint32_t conn_id, uint32_t src_ip, const NicPeer& peer,
                      bool enable_sob = true, uint8_t priority = 0);
int nic_destroy_conn(Thunk& t, int fd, uint32_t port, uint32_t conn_id);

int nic_cq_create(Thunk& t, int fd, uint32_t entries, uint64_t* handle);
int nic_cq_destroy(Thunk& t, int fd, uint64_t handle);
// Waits up to timeout_us (0: poll) for entries; *first is the slot of the first one.
int nic_cq_wait(Thunk& t, int fd, uint64_t handle, uint64_t timeout_us, uint32_t* first, uint32_t* count,
                uint32_t* status);
int nic_cq_consumed(Thunk& t, int fd, uint64_t handle, uint32_t n);

// Appends the packet that posts one RDMA WRITE on NIC engine `port` (the CB must run on one
// of that port's queues). remote_sob/local_sob: W_S sync objects to signal, or -1 for none.
void rdma_write(CbBuilder& b, unsigned port, uint32_t conn_id, uint64_t local_addr, uint64_t remote_addr,
                uint32_t length, int remote_sob, int local_sob, bool eb = false);

}  // namespace hlthunk
