#include "testbench/host/sim_os.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

#include "models/common/instant_end.hpp"
#include "models/common/time.hpp"
#include "models/common/trace.hpp"
#include "models/pcie/config_space.hpp"
#include "testbench/host/logger.hpp"

namespace gs {

namespace {

class SimWaitQueue : public hl::os::WaitQueue {
 public:
  explicit SimWaitQueue(SimOs& os) : os_(os) {}
  void notify_all() override {
    ++generation_;
    ev_.notify(sc_core::SC_ZERO_TIME);
  }
  bool wait(uint64_t timeout_ns) override {
    uint64_t gen = generation_;
    if (timeout_ns == hl::os::kWaitForever)
      sc_core::wait(ev_);
    else
      sc_core::wait(ns(double(timeout_ns)), ev_);
    return generation_ != gen;
  }
  hl::os::WaitResult wait_interruptible(uint64_t timeout_ns) override {
    using hl::os::WaitResult;
    if (os_.signal_pending()) return WaitResult::interrupted;
    uint64_t gen = generation_;
    sc_core::sc_event& sig = os_.signal_event();
    if (timeout_ns == hl::os::kWaitForever)
      sc_core::wait(ev_ | sig);
    else
      sc_core::wait(ns(double(timeout_ns)), ev_ | sig);
    if (generation_ != gen) return WaitResult::woken;
    return os_.signal_pending() ? WaitResult::interrupted : WaitResult::timed_out;
  }

 private:
  SimOs& os_;
  sc_core::sc_event ev_;
  uint64_t generation_ = 0;
};

// A sleeping mutex for simulated threads (they only switch at waits, so a flag suffices).
class SimMutex : public hl::os::Mutex {
 public:
  void lock() override {
    while (locked_) sc_core::wait(released_);
    locked_ = true;
  }
  void unlock() override {
    locked_ = false;
    released_.notify(sc_core::SC_ZERO_TIME);
  }

 private:
  bool locked_ = false;
  sc_core::sc_event released_;
};

}  // namespace

SimOs::SimOs(sc_core::sc_module_name name, RootComplex& rc, Logger& log, std::string host_name)
    : sc_module(name), rc_(rc), log_(log), host_(std::move(host_name)) {
  rc_.set_msi_sink([this](uint32_t data) { on_msi(data); });
  SC_HAS_PROCESS(SimOs);
  sc_core::sc_spawn_options opt;
  opt.set_stack_size(1 << 20);  // interrupt handlers run driver code
  sc_core::sc_spawn([this] { irq_thread(); }, "irq", &opt);
}

unsigned SimOs::pci_device_count() { return rc_.device_count(); }

std::string SimOs::pci_name(unsigned dev) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0000:%02x:00.0", rc_.bus_of(dev));
  return buf;
}

uint32_t SimOs::pci_cfg_read32(unsigned dev, uint32_t offset) { return rc_.cfg_read32(dev, offset); }
void SimOs::pci_cfg_write32(unsigned dev, uint32_t offset, uint32_t value) { rc_.cfg_write32(dev, offset, value); }

int SimOs::pci_alloc_msi(unsigned dev, unsigned min_vec, unsigned max_vec, hl::os::IrqHandler h) {
  using namespace pcicfg;
  uint32_t ctl = pci_cfg_read32(dev, kMsiCap);
  if ((ctl & 0xFF) != 0x05) return -EINVAL;  // no MSI capability where expected
  unsigned capable = 1u << ((ctl >> 17) & 7);
  unsigned n = 1;
  while (n * 2 <= max_vec && n * 2 <= capable) n *= 2;
  if (n < min_vec) return -ENOSPC;
  unsigned mme = 0;
  while ((1u << mme) < n) ++mme;
  pci_cfg_write32(dev, kMsiCap + 4, uint32_t(RootComplex::kMsiWindow));
  pci_cfg_write32(dev, kMsiCap + 8, 0);
  pci_cfg_write32(dev, kMsiCap + 12, dev * kVectorsPerDevice);
  handlers_[dev] = std::move(h);
  pci_cfg_write32(dev, kMsiCap, (ctl & 0xFF8FFFFFu) | (mme << 20) | (1u << 16));
  return int(n);
}

void SimOs::pci_free_msi(unsigned dev) {
  using namespace pcicfg;
  uint32_t ctl = pci_cfg_read32(dev, kMsiCap);
  pci_cfg_write32(dev, kMsiCap, ctl & ~(1u << 16));
  handlers_.erase(dev);
}

void SimOs::on_msi(uint32_t data) {
  pending_irqs_.emplace_back(data / kVectorsPerDevice, data % kVectorsPerDevice);
  irq_event_.notify(sc_core::SC_ZERO_TIME);
}

void SimOs::irq_thread() {
  for (;;) {
    while (pending_irqs_.empty()) sc_core::wait(irq_event_);
    auto [dev, vec] = pending_irqs_.front();
    pending_irqs_.pop_front();
    ++irqs_;
    auto it = handlers_.find(dev);
    if (it != handlers_.end()) it->second(vec);
    else log(hl::os::LogLevel::warn, "spurious MSI from device " + std::to_string(dev));
  }
}

uint32_t SimOs::mmio_read32(uint64_t addr) {
  uint32_t v;
  rc_.mmio_read(addr, &v, 4);
  return v;
}
void SimOs::mmio_write32(uint64_t addr, uint32_t value) { rc_.mmio_write(addr, &value, 4); }
uint64_t SimOs::mmio_read64(uint64_t addr) {
  uint64_t v;
  rc_.mmio_read(addr, &v, 8);
  return v;
}
void SimOs::mmio_write64(uint64_t addr, uint64_t value) { rc_.mmio_write(addr, &value, 8); }

// Each write issued at its own time ahead of now, then one wait for the lot: a bring-up
// table of thousands of registers costs one context switch, not one per register.
void SimOs::mmio_write32_posted(const hl::os::MmioWrite32* writes, size_t n) {
  const sc_core::sc_time all = rc_.issue_posted_writes32(writes, n);
  if (n) sc_core::wait(all);
}

void* SimOs::dma_alloc_coherent(size_t size, uint64_t* bus_addr) {
  void* cpu = nullptr;
  *bus_addr = rc_.memory().alloc(size, &cpu);
  return cpu;
}
void SimOs::dma_free_coherent(void*, size_t, uint64_t bus_addr) { rc_.memory().release(bus_addr); }
uint64_t SimOs::dma_map_user(void* ptr, size_t size) { return rc_.memory().map_external(ptr, size); }
void SimOs::dma_unmap_user(uint64_t bus_addr, size_t) { rc_.memory().release(bus_addr); }
void SimOs::dma_rmb() { wait_instant_end(); }

uint64_t SimOs::now_ns() { return uint64_t(sc_core::sc_time_stamp().value() / 1000); }  // ps resolution
void SimOs::sleep_ns(uint64_t n) { sc_core::wait(ns(double(n))); }
void SimOs::sleep_until_ns(uint64_t t) {
  const sc_core::sc_time at(double(t), sc_core::SC_NS), now = sc_core::sc_time_stamp();
  if (at > now) sc_core::wait(at - now);
}
std::unique_ptr<hl::os::WaitQueue> SimOs::make_wait_queue() { return std::make_unique<SimWaitQueue>(*this); }
std::unique_ptr<hl::os::Mutex> SimOs::make_mutex() { return std::make_unique<SimMutex>(); }

void SimOs::spawn_thread(const std::string& name, std::function<void()> fn) {
  sc_core::sc_spawn_options opt;
  opt.set_stack_size(1 << 20);
  sc_core::sc_spawn(std::move(fn), name.c_str(), &opt);
}

void SimOs::send_signal(sc_core::sc_object* process) {
  Signal& s = signals_[process];
  s.pending = true;
  s.raised->notify(sc_core::SC_ZERO_TIME);
}

void SimOs::clear_signal(sc_core::sc_object* process) {
  auto it = signals_.find(process);
  if (it != signals_.end()) it->second.pending = false;
}

void SimOs::forget_process(sc_core::sc_object* process) { signals_.erase(process); }

bool SimOs::signal_pending() {
  auto it = signals_.find(sc_core::sc_get_current_process_handle().get_process_object());
  return it != signals_.end() && it->second.pending;
}

sc_core::sc_event& SimOs::signal_event() {
  return *signals_[sc_core::sc_get_current_process_handle().get_process_object()].raised;
}

void SimOs::log(hl::os::LogLevel level, const std::string& msg) { log_.write(level, host_, msg); }

namespace {
SimOs::FdDuplicator g_fd_duplicator;
}  // namespace

void SimOs::set_fd_duplicator(FdDuplicator d) { g_fd_duplicator = std::move(d); }

// The program runs in this process (the preload library; a forked child's requests are served
// here too), so its eventfd becomes one of ours: a private duplicate is the reference Linux's
// eventfd_ctx is, valid after the program's close.
int SimOs::eventfd_get(int fd) {
  if (fd < 0) return -EBADF;
  int dup = g_fd_duplicator ? g_fd_duplicator(fd) : ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return g_fd_duplicator ? dup : -errno;
  char link[64] = {0};
  const std::string path = "/proc/self/fd/" + std::to_string(dup);
  if (::readlink(path.c_str(), link, sizeof link - 1) < 0 || std::string(link) != "anon_inode:[eventfd]") {
    ::close(dup);
    return -EINVAL;
  }
  return dup;
}

void SimOs::eventfd_signal(int handle) {
  const uint64_t one = 1;
  if (::write(handle, &one, sizeof one) < 0) { /* counter full (EAGAIN): Linux saturates too */ }
}

void SimOs::eventfd_put(int handle) { ::close(handle); }

bool SimOs::tracing() { return trace::enabled(); }

// The driver's events go on the host's tracks ("host0" process, "os hl0 CS" thread).
void SimOs::trace_span(const std::string& track, const char* what, uint64_t begin_ns, uint64_t end_ns) {
  trace::span(*this, track.c_str(), what, sc_core::sc_time(double(begin_ns), sc_core::SC_NS),
              sc_core::sc_time(double(end_ns), sc_core::SC_NS));
}

}  // namespace gs
