// HL_IOCTL_CB, HL_IOCTL_CS and HL_IOCTL_WAIT_CS.
#include <cerrno>
#include <cstring>
#include <vector>

#include "driver/core/hl_device.hpp"
#include "driver/core/hl_driver.hpp"
#include "driver/core/ioctl_table.hpp"
#include "driver/core/user_access.hpp"
#include "driver/uapi/habanalabs.h"

namespace hl {

long ioctl_cb(HlFile& f, void* karg) {
  auto& a = *static_cast<hl_cb_args*>(karg);
  HlDevice& d = *f.dev;
  DeviceLock g(d.lock());
  switch (a.in.op) {
    case HL_CB_OP_CREATE: {
      int64_t h = d.cbs().create(a.in.cb_size, f.fd);
      if (h < 0) return long(h);
      std::memset(&a, 0, sizeof a);
      a.out.cb_handle = uint64_t(h);
      return 0;
    }
    case HL_CB_OP_DESTROY:
      return d.cbs().destroy(a.in.cb_handle, f.fd);
    case HL_CB_OP_INFO: {
      CommandBuffer* cb = d.cbs().find(a.in.cb_handle, f.fd);
      if (!cb) return -EINVAL;
      std::memset(&a, 0, sizeof a);
      a.out.usage_cnt = cb->jobs;
      return 0;
    }
  }
  return -EINVAL;
}

long ioctl_cs(HlFile& f, void* karg) {
  auto& a = *static_cast<hl_cs_args*>(karg);
  HlDevice& d = *f.dev;
  const hl_cs_in in = a.in;
  const uint32_t type = in.cs_flags & (HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT | HL_CS_FLAGS_COLLECTIVE_WAIT |
                                       HL_CS_FLAGS_RESERVE_SIGNALS_ONLY | HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY);
  if (type & (type - 1)) return -EINVAL;  // the submission types exclude each other
  if (type & (HL_CS_FLAGS_RESERVE_SIGNALS_ONLY | HL_CS_FLAGS_UNRESERVE_SIGNALS_ONLY)) {
    DeviceLock g(d.lock());
    if (!d.context_memory()) return -EPERM;
    SignalInfo sig;
    uint32_t handle = in.encaps_sig_handle_id;
    int rc = type == HL_CS_FLAGS_RESERVE_SIGNALS_ONLY
                 ? d.cs().reserve_signals(f.fd, in.encaps_signals_q_idx, in.encaps_signals_count, &handle, &sig)
                 : d.cs().unreserve_signals(f.fd, handle);
    if (rc) return rc;
    std::memset(&a, 0, sizeof a);
    a.out.status = HL_CS_STATUS_SUCCESS;
    if (type == HL_CS_FLAGS_RESERVE_SIGNALS_ONLY) {
      a.out.handle_id = handle;
      a.out.count = in.encaps_signals_count;
      a.out.sob_base_addr_offset = sig.sob_offset;
      a.out.sob_count_before_submission = uint16_t(sig.before);
    }
    return 0;
  }
  if (in.num_chunks_execute > HL_MAX_JOBS_PER_CS || in.num_chunks_restore > HL_MAX_JOBS_PER_CS) return -EINVAL;
  if ((type & (HL_CS_FLAGS_SIGNAL | HL_CS_FLAGS_WAIT)) && in.num_chunks_execute != 1) return -EINVAL;
  // copy_from_user of the chunk arrays
  std::vector<hl_cs_chunk> exec(in.num_chunks_execute), restore(in.num_chunks_restore);
  if (copy_from_user(exec.data(), reinterpret_cast<const void*>(uintptr_t(in.chunks_execute)), exec.size() * sizeof(hl_cs_chunk)) ||
      copy_from_user(restore.data(), reinterpret_cast<const void*>(uintptr_t(in.chunks_restore)), restore.size() * sizeof(hl_cs_chunk)))
    return -EFAULT;
  DeviceLock g(d.lock());
  MemoryManager* mem = d.context_memory();
  if (!mem) return -EPERM;
  SignalInfo sig;
  int64_t seq;
  if (type == HL_CS_FLAGS_SIGNAL) {
    seq = d.cs().submit_signal(f.fd, exec[0], in.cs_flags, in.timeout, &sig);
  } else if (type == HL_CS_FLAGS_WAIT) {
    seq = d.cs().submit_wait(f.fd, exec[0], in.cs_flags, in.timeout);
  } else if (type == HL_CS_FLAGS_COLLECTIVE_WAIT) {
    seq = d.cs().submit_collective_wait(f.fd, exec.data(), uint32_t(exec.size()), in.cs_flags, in.timeout);
  } else {
    CsRequest r;
    r.restore = restore.data();
    r.n_restore = uint32_t(restore.size());
    r.exec = exec.data();
    r.n_exec = uint32_t(exec.size());
    r.flags = in.cs_flags;
    r.timeout_s = in.timeout;
    r.staged_seq = in.seq;
    r.encaps_handle = in.encaps_sig_handle_id;
    seq = d.cs().submit(f.fd, *mem, r, &sig);
  }
  if (seq < 0) return long(seq);
  std::memset(&a, 0, sizeof a);
  a.out.seq = uint64_t(seq);
  a.out.status = HL_CS_STATUS_SUCCESS;
  a.out.sob_base_addr_offset = sig.sob_offset;  // SIGNAL, staged ENCAP_SIGNALS: the sync object
  a.out.sob_count_before_submission = uint16_t(sig.before);
  return 0;
}

long ioctl_wait_cs(HlFile& f, void* karg) {
  auto& a = *static_cast<hl_wait_cs_args*>(karg);
  // GAUDI 1 has no user interrupts (Linux: "no user interrupts allowed").
  if (a.in.flags & (HL_WAIT_CS_FLAGS_INTERRUPT | HL_WAIT_CS_FLAGS_INTERRUPT_KERNEL_CQ | HL_WAIT_CS_FLAGS_REGISTER_INTERRUPT))
    return -EPERM;
  uint32_t status = 0, flags = 0, map = 0;
  int64_t ts = 0;
  int rc;
  if (a.in.flags & HL_WAIT_CS_FLAGS_MULTI_CS) {
    unsigned n = a.in.seq_arr_len;
    if (n == 0 || n > HL_WAIT_MULTI_CS_LIST_MAX_LEN) return -EINVAL;
    std::vector<uint64_t> seqs(n);
    if (copy_from_user(seqs.data(), reinterpret_cast<const void*>(uintptr_t(a.in.seq)), n * sizeof(uint64_t)))
      return -EFAULT;
    rc = f.dev->cs().wait_multi(seqs, a.in.timeout_us, &status, &flags, &ts, &map);
  } else {
    rc = f.dev->cs().wait(a.in.seq, a.in.timeout_us, &status, &flags, &ts);
  }
  std::memset(&a, 0, sizeof a);
  a.out.status = status;
  a.out.flags = flags;
  a.out.timestamp_nsec = ts;
  a.out.cs_completion_map = map;
  return rc;
}

}  // namespace hl
