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
  long ioctl(int fd, unsigned long request, void* arg);
  // mmap of a CB handle (the offset the CB ioctl returned): the CB's host memory, or null
  // with *err set (-EINVAL unknown handle, -ENOMEM length beyond the CB).
  void* mmap(int fd, uint64_t offset, size_t length, int* err);
  HlFile* file(int fd);
  size_t open_files() const { return files_.size(); }

 private:
  os::Os& os_;
  DriverParams params_;
  std::vector<std::unique_ptr<HlDevice>> devices_;
  std::map<int, HlFile> files_;
  int next_fd_ = 3;
  std::unique_ptr<os::Mutex> lock_;
};

}  // namespace hl
