// The driver's NIC state of one device: which connection ids are in use on which port,
// which ports are up, and the compute user's NIC completion queue. QP contexts live in the
// NIC's privileged registers; only this code writes them, on the user's connect request.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/os/os.hpp"

struct hl_nic_req_conn_ctx_in;
struct hl_nic_res_conn_ctx_in;
struct hl_nic_cqe;

namespace hl {

class HlDevice;

struct NicConnection {
  bool req_set = false, res_set = false;
};

struct NicPortState {
  bool enabled = false;
  bool link_up = false;
  uint64_t mac = 0;
  uint32_t ip = 0;
  std::map<uint32_t, NicConnection> conns;  // by connection (QP) id
  uint32_t hw_cq_ci = 0;                    // driver's consumer index of the port's hardware CQ
};

class NicManager {
 public:
  static constexpr unsigned kHwCqEntries = 256;

  explicit NicManager(HlDevice& d);
  ~NicManager();

  // Probe: hardware CQ per port, protection, addresses read back, ports enabled through the
  // firmware. Returns 0 or -errno. Also called after a hard reset.
  int init_ports();
  unsigned ports() const { return unsigned(ports_.size()); }
  NicPortState* port(unsigned p) { return p < ports_.size() ? &ports_[p] : nullptr; }

  // The NIC ioctl's operations (the caller has checked ownership). 0 or -errno.
  int alloc_conn(uint32_t port, uint32_t* conn_id);
  int set_req(const hl_nic_req_conn_ctx_in& in);
  int set_res(const hl_nic_res_conn_ctx_in& in);
  int destroy_conn(uint32_t port, uint32_t conn_id);
  int cq_create(uint32_t entries, uint64_t* handle);
  int cq_destroy(uint64_t handle);
  // Entries ready from *pi; waits up to timeout_us (0: poll). Returns 0 or -errno.
  int cq_poll(uint64_t handle, uint64_t timeout_us, uint32_t* pi, uint32_t* count, uint32_t* status);
  int cq_consumed(uint64_t handle, uint32_t n);
  void* cq_mmap(uint64_t handle, size_t length);
  void release_all();  // the compute context went away

  // Interrupt side: move hardware CQ entries of every port to the user's CQ.
  void process_hw_cqs();
  // Event side: link changes and QP errors of port p.
  void link_event(unsigned p, bool up);
  void qp_error_event(unsigned p);

  // rkey of a connection as both sides compute it (the uAPI has no rkey field).
  static uint32_t rkey_of(uint32_t port, uint32_t conn_id);

 private:
  int check_port_conn(uint32_t port, uint32_t conn_id, NicConnection** c);
  int check_peer(uint32_t port, uint32_t conn_id, uint32_t priority, uint32_t peer_conn, uint32_t peer_ip,
                 uint64_t peer_mac, NicConnection** c);
  void push_user_cqe(const hl_nic_cqe& e);

  HlDevice& d_;
  std::vector<NicPortState> ports_;
  std::vector<uint8_t*> hw_cq_;
  std::vector<uint64_t> hw_cq_bus_;
  // The user's CQ: hl_nic_cqe entries in host memory the user maps.
  uint8_t* user_cq_ = nullptr;
  uint64_t user_cq_bus_ = 0;
  uint32_t user_cq_len_ = 0, user_cq_pi_ = 0, user_cq_ci_ = 0;
  bool user_cq_overflow_ = false;
  std::unique_ptr<os::WaitQueue> cq_wq_;
};

}  // namespace hl
