#include "driver/lib/nic_thunk.hpp"

#include <cstring>

#include "specs/gaudi/nic.h"

namespace hlthunk {

namespace {

int nic_op(Thunk& t, int fd, uint32_t op, const void* in, uint32_t in_size, void* out, uint32_t out_size) {
  hl_nic_args a{};
  a.op = op;
  a.input_ptr = uint64_t(uintptr_t(in));
  a.input_size = in_size;
  a.output_ptr = uint64_t(uintptr_t(out));
  a.output_size = out_size;
  return int(t.ioctl(fd, HL_IOCTL_NIC, &a));
}

void put_mac(uint8_t* dst, uint64_t mac) {
  for (int i = HL_NIC_ETH_ALEN - 1; i >= 0; --i, mac >>= 8) dst[i] = uint8_t(mac);
}

}  // namespace

int nic_alloc_conn(Thunk& t, int fd, uint32_t port, uint32_t* conn_id) {
  hl_nic_alloc_conn_in in{};
  hl_nic_alloc_conn_out out{};
  in.port = port;
  int rc = nic_op(t, fd, HL_NIC_OP_ALLOC_CONN, &in, sizeof in, &out, sizeof out);
  if (!rc) *conn_id = out.conn_id;
  return rc;
}

int nic_set_requester(Thunk& t, int fd, uint32_t port, uint32_t conn_id, uint32_t src_ip, const NicPeer& peer,
                      bool enable_sob, uint8_t priority) {
  hl_nic_req_conn_ctx_in in{};
  in.src_ip_addr = src_ip;
  in.dst_ip_addr = peer.ip;
  in.dst_conn_id = peer.conn_id;
  in.port = port;
  in.conn_id = conn_id;
  in.priority = priority;
  in.enable_sob = enable_sob;
  in.last_index = (1u << 22) - 1;
  in.timer_granularity = 1;
  in.wq_type = 1;
  put_mac(in.dst_mac_addr, peer.mac);
  return nic_op(t, fd, HL_NIC_OP_SET_REQ_CONN_CTX, &in, sizeof in, nullptr, 0);
}

int nic_set_responder(Thunk& t, int fd, uint32_t port, uint32_t conn_id, uint32_t src_ip, const NicPeer& peer,
                      bool enable_sob, uint8_t priority) {
  hl_nic_res_conn_ctx_in in{};
  in.src_ip_addr = src_ip;
  in.dst_ip_addr = peer.ip;
  in.dst_conn_id = peer.conn_id;
  in.port = port;
  in.conn_id = conn_id;
  in.priority = priority;
  in.enable_sob = enable_sob;
  put_mac(in.dst_mac_addr, peer.mac);
  return nic_op(t, fd, HL_NIC_OP_SET_RES_CONN_CTX, &in, sizeof in, nullptr, 0);
}

int nic_destroy_conn(Thunk& t, int fd, uint32_t port, uint32_t conn_id) {
  hl_nic_destroy_conn_in in{port, conn_id};
  return nic_op(t, fd, HL_NIC_OP_DESTROY_CONN, &in, sizeof in, nullptr, 0);
}

int nic_cq_create(Thunk& t, int fd, uint32_t entries, uint64_t* handle) {
  hl_nic_cq_create_in in{};
  hl_nic_cq_create_out out{};
  in.cq_num_of_entries = entries;
  int rc = nic_op(t, fd, HL_NIC_OP_CQ_CREATE, &in, sizeof in, &out, sizeof out);
  if (!rc) *handle = out.handle;
  return rc;
}

int nic_cq_destroy(Thunk& t, int fd, uint64_t handle) {
  hl_nic_cq_destroy_in in{handle};
  return nic_op(t, fd, HL_NIC_OP_CQ_DESTROY, &in, sizeof in, nullptr, 0);
}

int nic_cq_wait(Thunk& t, int fd, uint64_t handle, uint64_t timeout_us, uint32_t* first, uint32_t* count,
                uint32_t* status) {
  hl_nic_cq_poll_wait_in in{handle, timeout_us};
  hl_nic_cq_poll_wait_out out{};
  int rc = nic_op(t, fd, timeout_us ? HL_NIC_OP_CQ_WAIT : HL_NIC_OP_CQ_POLL, &in, sizeof in, &out, sizeof out);
  if (!rc) {
    *first = out.pi;
    *count = out.num_of_cqes;
    *status = out.status;
  }
  return rc;
}

int nic_cq_consumed(Thunk& t, int fd, uint64_t handle, uint32_t n) {
  hl_nic_cq_update_consumed_cqes_in in{};
  in.handle = handle;
  in.cq_num_of_consumed_entries = n;
  return nic_op(t, fd, HL_NIC_OP_CQ_UPDATE_CONSUMED_CQES, &in, sizeof in, nullptr, 0);
}

void rdma_write(CbBuilder& b, unsigned port, uint32_t conn_id, uint64_t local_addr, uint64_t remote_addr,
                uint32_t length, int remote_sob, int local_sob, bool eb) {
  gsim_nic_send_wqe w = gsim_nic_rdma_write(conn_id, local_addr, remote_addr, length, remote_sob >= 0,
                                            remote_sob >= 0 ? uint32_t(remote_sob) : 0, local_sob >= 0,
                                            local_sob >= 0 ? uint32_t(local_sob) : 0);
  uint64_t q[4];
  static_assert(sizeof w == sizeof q, "a send WQE is four qwords");
  std::memcpy(q, &w, sizeof q);
  b.wreg_bulk(GSIM_NIC_WQE_WINDOW_OFFSET(port), q, 4, eb);
}

}  // namespace hlthunk
