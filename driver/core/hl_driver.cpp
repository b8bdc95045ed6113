#include "driver/core/hl_driver.hpp"

#include <cerrno>
#include <cstring>

#include "driver/core/ioctl_table.hpp"
#include "driver/core/user_access.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "driver/os/pci_regs.hpp"
#include "driver/uapi/habanalabs.h"

namespace hl {

HlDriver::HlDriver(os::Os& os, const DriverParams& params)
    : os_(os), params_(params), lock_(os.make_mutex()) {}

// Removal touches the hardware, so it is an explicit step of the simulated host
// (shutdown()), never a side effect of destroying the object after the simulation.
HlDriver::~HlDriver() = default;

unsigned HlDriver::init() {
  unsigned up = 0;
  for (unsigned dev = 0; dev < os_.pci_device_count(); ++dev) {
    uint32_t ids = os_.pci_cfg_read32(dev, pci::kVendorId);
    if (uint16_t(ids) != pci::kVendorHabana || uint16_t(ids >> 16) != pci::kDeviceGaudi) continue;
    auto d = std::make_unique<HlDevice>(os_, params_, dev, unsigned(devices_.size()),
                                        std::make_unique<GaudiAsic>());
    if (d->probe() == 0) ++up;
    devices_.push_back(std::move(d));
  }
  os_.log(os::LogLevel::info, "habanalabs: " + std::to_string(up) + " of " +
                                  std::to_string(devices_.size()) + " devices up");
  return up;
}

void HlDriver::shutdown() {
  files_.clear();
  for (auto& d : devices_) d->remove();
}

HlDevice* HlDriver::device(unsigned id) { return id < devices_.size() ? devices_[id].get() : nullptr; }

// Parses a node path into (device id, control?). False if the path is not one of ours.
static bool parse_node(const std::string& path, unsigned* id, bool* control) {
  static const struct { const char* prefix; bool control; } kinds[] = {
      {"/dev/hl_controlD", true}, {"/dev/hl", false},
      {"/dev/accel/accel_controlD", true}, {"/dev/accel/accel", false}};
  for (const auto& k : kinds) {
    size_t n = std::strlen(k.prefix);
    if (path.compare(0, n, k.prefix) != 0 || path.size() == n) continue;
    unsigned v = 0;
    for (size_t i = n; i < path.size(); ++i) {
      if (path[i] < '0' || path[i] > '9') return false;
      v = v * 10 + unsigned(path[i] - '0');
    }
    *id = v;
    *control = k.control;
    return true;
  }
  return false;
}

int HlDriver::open(const std::string& path, int pid) {
  os::LockGuard g(*lock_);
  unsigned id;
  bool control;
  if (!parse_node(path, &id, &control)) return -ENOENT;
  HlDevice* d = device(id);
  if (!d) return -ENOENT;
  if (d->status() == DeviceStatus::malfunction || d->status() == DeviceStatus::in_creation) return -ENODEV;
  int fd = next_fd_++;
  if (!control && !d->claim_compute(fd, pid)) {
    if (d->releasing())
      d->log(os::LogLevel::warn, "device busy: the previous user's context is still being released");
    else
      d->log(os::LogLevel::warn, "device already has a compute user (pid " + std::to_string(d->compute_pid()) + ")");
    --next_fd_;
    return -EBUSY;
  }
  files_[fd] = HlFile{d, control, pid, fd, false};
  return fd;
}

int HlDriver::close(int fd) {
  os::LockGuard g(*lock_);
  auto it = files_.find(fd);
  if (it == files_.end()) return -EBADF;
  if (!it->second.control) it->second.dev->release_compute(fd);
  files_.erase(it);
  return 0;
}

HlFile* HlDriver::file(int fd) {
  auto it = files_.find(fd);
  return it == files_.end() ? nullptr : &it->second;
}

long HlDriver::ioctl(int fd, unsigned long request, void* arg) {
  HlFile* f = file(fd);
  if (!f) return -EBADF;
  const IoctlDesc* desc = find_ioctl(request);
  // The control node serves INFO only; like an unknown request, anything else is not a
  // request of this file at all.
  // The NIC ioctl belongs to the compute user only (the 2020 series): anyone else, whose
  // only way in is the control node, is told so with EPERM rather than "no such ioctl".
  if (desc && f->control && desc->nr == 0x07) return -EPERM;
  if (!desc || (f->control && !desc->control_allowed)) {
    f->dev->log(os::LogLevel::debug, "invalid ioctl request " + std::to_string(request) +
                                         (f->control ? " on a control node" : ""));
    return -ENOTTY;
  }
  f->dev->catch_up_heartbeat();  // what Linux's periodic heartbeat would have found by now
  // Copy in, act on the kernel copy, copy out: the user's buffer is only touched here.
  // A caller built against an older, shorter struct gets the rest zero-filled.
  uint32_t usize = uint32_t((request >> 16) & 0x3FFF);
  std::vector<uint8_t> karg(usize > desc->size ? usize : desc->size, 0);
  if (copy_from_user(karg.data(), arg, usize)) return -EFAULT;
  const uint64_t begin_ns = f->dev->os().now_ns();
  long rc = desc->handler(*f, karg.data());
  if (f->dev->os().tracing())  // one track per open file: calls of one file never overlap
    f->dev->trace_span("fd " + std::to_string(fd) + " ioctl", desc->name, begin_ns);
  // Like the kernel, copy the answer out whatever the result (WAIT_CS reports a status
  // alongside -ETIMEDOUT / -EIO).
  if (copy_to_user(arg, karg.data(), usize) && rc == 0) rc = -EFAULT;
  return rc;
}

void* HlDriver::mmap(int fd, uint64_t offset, size_t length, int* err) {
  HlFile* f = file(fd);
  *err = !f ? -EBADF : f->control ? -ENODEV : 0;
  if (*err) return nullptr;
  if ((offset & HL_MMAP_TYPE_MASK) == HL_MMAP_TYPE_NIC_CQ) {  // the owner's NIC completion queue
    void* p = f->dev->compute_owner() == fd ? f->dev->nic().cq_mmap(offset, length) : nullptr;
    *err = p ? 0 : -EINVAL;
    return p;
  }
  CommandBuffer* cb = f->dev->cbs().find(offset, fd);
  // The kernel hands the driver a page-rounded VMA: it must cover the CB exactly.
  size_t vma = (length + 4095) & ~size_t(4095);
  if (!cb || length == 0 || vma != cb->size || cb->maps) {
    *err = -EINVAL;
    return nullptr;
  }
  f->dev->cbs().map(*cb);
  mappings_[uintptr_t(cb->cpu)] = Mapping{f->dev, cb->id, length};
  return cb->cpu;
}

int HlDriver::munmap(void* addr, size_t length) {
  auto it = mappings_.find(uintptr_t(addr));
  if (it == mappings_.end()) return -EINVAL;
  it->second.dev->cbs().unmap(it->second.cb_id);
  mappings_.erase(it);
  return 0;
}

HlDriver::Usage HlDriver::usage() const {
  Usage u;
  u.open_files = files_.size();
  u.mappings = mappings_.size();
  for (const auto& d : devices_) {
    u.cbs += d->cbs().live();
    if (const MemoryManager* m = d->context_memory()) {
      u.host_maps += m->host_maps().size();
      u.dram_allocs += m->dram_allocations().size();
    }
  }
  return u;
}

}  // namespace hl
