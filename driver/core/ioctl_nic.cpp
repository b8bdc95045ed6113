// HL_IOCTL_NIC: the one NIC control the user has. It connects a QP of a local port to a
// GAUDI peer (and manages the NIC completion queue); sending and receiving happen only
// through command submissions on the NIC queues. Only the compute context's owner may call it.
#include <cerrno>
#include <cstring>

#include "driver/core/hl_device.hpp"
#include "driver/core/hl_driver.hpp"
#include "driver/core/ioctl_table.hpp"
#include "driver/core/user_access.hpp"
#include "driver/uapi/habanalabs.h"

namespace hl {

namespace {

// copy_from_user of an op's input: the user must pass at least the struct's size.
template <class T> bool copy_in(const hl_nic_args& a, T* out) {
  if (!a.input_ptr || a.input_size < sizeof(T)) return false;
  return copy_from_user(out, reinterpret_cast<const void*>(uintptr_t(a.input_ptr)), sizeof(T)) == 0;
}

template <class T> bool copy_out(const hl_nic_args& a, const T& v) {
  if (!a.output_ptr || a.output_size < sizeof(T)) return false;
  return copy_to_user(reinterpret_cast<void*>(uintptr_t(a.output_ptr)), &v, sizeof(T)) == 0;
}

}  // namespace

long ioctl_nic(HlFile& f, void* karg) {
  auto& a = *static_cast<hl_nic_args*>(karg);
  HlDevice& d = *f.dev;
  if (d.compute_owner() != f.fd || d.compute_pid() != f.pid) return -EPERM;
  if (d.status() != DeviceStatus::operational) return -EBUSY;
  NicManager& nic = d.nic();
  switch (a.op) {
    case HL_NIC_OP_ALLOC_CONN: {
      hl_nic_alloc_conn_in in;
      hl_nic_alloc_conn_out out{};
      if (!copy_in(a, &in)) return -EFAULT;
      DeviceLock g(d.lock());
      int rc = nic.alloc_conn(in.port, &out.conn_id);
      if (rc) return rc;
      return copy_out(a, out) ? 0 : -EFAULT;
    }
    case HL_NIC_OP_SET_REQ_CONN_CTX: {
      hl_nic_req_conn_ctx_in in;
      if (!copy_in(a, &in)) return -EFAULT;
      DeviceLock g(d.lock());
      return nic.set_req(in);
    }
    case HL_NIC_OP_SET_RES_CONN_CTX: {
      hl_nic_res_conn_ctx_in in;
      if (!copy_in(a, &in)) return -EFAULT;
      DeviceLock g(d.lock());
      return nic.set_res(in);
    }
    case HL_NIC_OP_DESTROY_CONN: {
      hl_nic_destroy_conn_in in;
      if (!copy_in(a, &in)) return -EFAULT;
      DeviceLock g(d.lock());
      return nic.destroy_conn(in.port, in.conn_id);
    }
    case HL_NIC_OP_CQ_CREATE: {
      hl_nic_cq_create_in in;
      hl_nic_cq_create_out out{};
      if (!copy_in(a, &in)) return -EFAULT;
      int rc = nic.cq_create(in.cq_num_of_entries, &out.handle);
      if (rc) return rc;
      return copy_out(a, out) ? 0 : -EFAULT;
    }
    case HL_NIC_OP_CQ_DESTROY: {
      hl_nic_cq_destroy_in in;
      if (!copy_in(a, &in)) return -EFAULT;
      return nic.cq_destroy(in.handle);
    }
    case HL_NIC_OP_CQ_WAIT:
    case HL_NIC_OP_CQ_POLL: {
      hl_nic_cq_poll_wait_in in;
      hl_nic_cq_poll_wait_out out{};
      if (!copy_in(a, &in)) return -EFAULT;
      int rc = nic.cq_poll(in.handle, a.op == HL_NIC_OP_CQ_WAIT ? in.timeout_us : 0, &out.pi, &out.num_of_cqes, &out.status);
      if (rc) return rc;
      return copy_out(a, out) ? 0 : -EFAULT;
    }
    case HL_NIC_OP_CQ_UPDATE_CONSUMED_CQES: {
      hl_nic_cq_update_consumed_cqes_in in;
      if (!copy_in(a, &in)) return -EFAULT;
      return nic.cq_consumed(in.handle, in.cq_num_of_consumed_entries);
    }
  }
  return -EINVAL;
}

}  // namespace hl
