#include "driver/lib/thunk.hpp"

namespace hlthunk {

std::string Thunk::node_path(unsigned card, bool control) {
  return (control ? "/dev/hl_controlD" : "/dev/hl") + std::to_string(card);
}

int Thunk::open(unsigned card, bool control) { return drv_.open(node_path(card, control), pid_); }

int Thunk::close(int fd) { return drv_.close(fd); }

int Thunk::info(int fd, uint32_t op, void* out, uint32_t size) {
  hl_info_args a{};
  a.op = op;
  a.return_pointer = uint64_t(uintptr_t(out));
  a.return_size = size;
  return int(drv_.ioctl(fd, HL_IOCTL_INFO, &a));
}

int Thunk::device_status(int fd, uint32_t* status) {
  hl_info_device_status s{};
  int rc = info(fd, HL_INFO_DEVICE_STATUS, &s, sizeof s);
  if (!rc) *status = s.status;
  return rc;
}

int Thunk::cb_create(int fd, uint32_t size, uint64_t* handle) {
  hl_cb_args a{};
  a.in.op = HL_CB_OP_CREATE;
  a.in.cb_size = size;
  int rc = int(drv_.ioctl(fd, HL_IOCTL_CB, &a));
  if (!rc) *handle = a.out.cb_handle;
  return rc;
}

int Thunk::cb_destroy(int fd, uint64_t handle) {
  hl_cb_args a{};
  a.in.op = HL_CB_OP_DESTROY;
  a.in.cb_handle = handle;
  return int(drv_.ioctl(fd, HL_IOCTL_CB, &a));
}

void* Thunk::cb_map(int fd, uint64_t handle, uint32_t size) {
  int err = 0;
  return drv_.mmap(fd, handle, size, &err);
}

int Thunk::submit(int fd, const std::vector<Job>& jobs, uint64_t* seq, uint32_t flags) {
  std::vector<hl_cs_chunk> chunks(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    chunks[i] = hl_cs_chunk{};
    chunks[i].cb_handle = jobs[i].cb;
    chunks[i].queue_index = jobs[i].queue;
    chunks[i].cb_size = jobs[i].size;
  }
  hl_cs_args a{};
  a.in.chunks_execute = uint64_t(uintptr_t(chunks.data()));
  a.in.num_chunks_execute = uint32_t(chunks.size());
  a.in.cs_flags = flags;
  int rc = int(drv_.ioctl(fd, HL_IOCTL_CS, &a));
  if (!rc) *seq = a.out.seq;
  return rc;
}

int Thunk::wait_cs(int fd, uint64_t seq, uint64_t timeout_us, uint32_t* status, int64_t* timestamp_ns) {
  hl_wait_cs_args a{};
  a.in.seq = seq;
  a.in.timeout_us = timeout_us;
  int rc = int(drv_.ioctl(fd, HL_IOCTL_WAIT_CS, &a));
  if (status) *status = a.out.status;
  if (timestamp_ns) *timestamp_ns = a.out.timestamp_nsec;
  return rc;
}

int Thunk::run(int fd, const std::vector<Job>& jobs, uint64_t timeout_us, uint32_t* status) {
  uint64_t seq = 0;
  *status = kNotSubmitted;
  int rc = submit(fd, jobs, &seq);
  return rc ? rc : wait_cs(fd, seq, timeout_us, status);
}

int Thunk::mem_alloc(int fd, uint64_t size, uint64_t* device_addr) {
  hl_mem_args a{};
  a.in.op = HL_MEM_OP_ALLOC;
  a.in.alloc.mem_size = size;
  int rc = int(drv_.ioctl(fd, HL_IOCTL_MEMORY, &a));
  if (!rc) *device_addr = a.out.handle;
  return rc;
}

int Thunk::mem_free(int fd, uint64_t device_addr) {
  hl_mem_args a{};
  a.in.op = HL_MEM_OP_FREE;
  a.in.free.handle = device_addr;
  return int(drv_.ioctl(fd, HL_IOCTL_MEMORY, &a));
}

int Thunk::map_host(int fd, void* ptr, uint64_t size, uint64_t* device_addr) {
  hl_mem_args a{};
  a.in.op = HL_MEM_OP_MAP;
  a.in.flags = HL_MEM_USERPTR;
  a.in.map_host.host_virt_addr = uint64_t(uintptr_t(ptr));
  a.in.map_host.mem_size = size;
  int rc = int(drv_.ioctl(fd, HL_IOCTL_MEMORY, &a));
  if (!rc) *device_addr = a.out.device_virt_addr;
  return rc;
}

int Thunk::unmap_host(int fd, uint64_t device_addr) {
  hl_mem_args a{};
  a.in.op = HL_MEM_OP_UNMAP;
  a.in.unmap.device_virt_addr = device_addr;
  return int(drv_.ioctl(fd, HL_IOCTL_MEMORY, &a));
}

}  // namespace hlthunk
