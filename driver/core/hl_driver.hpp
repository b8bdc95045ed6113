// The driver as user space meets it: module init (scan the bus, probe every GAUDI), the
// device nodes, and the file operations open / close / ioctl / mmap. The ioctl entry takes
// the real request code (_IOWR('H', nr, struct)) and a user pointer, and copies the
// argument in and out as the kernel does, so that a preload shim can forward unmodified
// programs' calls here.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/core/driver_params.hpp"
#include "driver/core/hl_device.hpp"
#include "driver/os/os.hpp"

namespace hl {

struct HlFile {
  HlDevice* dev = nullptr;
  bool control = false;  // control node: INFO only, no compute context
  int pid = 0;
  int fd = -1;
  bool debug_mode = false;
};

class HlDriver {
 public:
  HlDriver(os::Os& os, const DriverParams& params);
  ~HlDriver();

  // Probe every GAUDI on the bus; returns how many came up. Failures are logged and kept
  // (device status malfunction, no node) while the others come up.
  unsigned init();
  void shutdown();

  const std::vector<std::unique_ptr<HlDevice>>& devices() const { return devices_; }
  HlDevice* device(unsigned id);

  // Node paths: /dev/hl<N> (compute), /dev/hl_controlD<N> (control), and the accel names
  // /dev/accel/accel<N>, /dev/accel/accel_controlD<N>. Returns fd >= 0 or -errno.
  int open(const std::string& path, int pid);
  int close(int fd);
  // Unknown requests and everything but INFO on a control node: -ENOTTY. The argument is
  // copied through copy_from_user/copy_to_user: a bad pointer gives -EFAULT.
  long ioctl(int fd, unsigned long request, void* arg);
  // mmap of a CB handle (the offset the CB ioctl returned): the CB's host memory, or null
  // with *err set: -EINVAL for an unknown handle, a length whose page-rounded size is not the
  // CB's, or a CB already mapped; -ENODEV on a control node (it has no mmap).
  void* mmap(int fd, uint64_t offset, size_t length, int* err);
  // Undo a mapping mmap() returned (it may outlive close(), as a VMA does). 0, or -EINVAL if
  // `addr` is not the start of one.
  int munmap(void* addr, size_t length);
  HlFile* file(int fd);
  size_t open_files() const { return files_.size(); }

  // What is still held, for leak checks and the exit summary.
  struct Usage {
    size_t open_files = 0, mappings = 0, cbs = 0, host_maps = 0, dram_allocs = 0;
  };
  Usage usage() const;

 private:
  os::Os& os_;
  DriverParams params_;
  std::vector<std::unique_ptr<HlDevice>> devices_;
  std::map<int, HlFile> files_;
  struct Mapping {
    HlDevice* dev;
    uint64_t cb_id;
    size_t length;
  };
  std::map<uintptr_t, Mapping> mappings_;  // user address -> CB
  int next_fd_ = 3;
  std::unique_ptr<os::Mutex> lock_;
};

}  // namespace hl
