// The os layer: everything the driver may call outside itself. On a real machine this is
// the Linux kernel (PCI core, ioremap'd MMIO, dma_alloc_coherent, MSI, wait queues, mutexes,
// dev_info); in gaudisim it is implemented by the simulated host on the PCI bus
// (testbench/host/sim_os), and by fakes in unit tests. No SystemC type crosses it.
#pragma once
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace hl::os {

enum class LogLevel { debug, info, warn, error };

constexpr uint64_t kWaitForever = UINT64_MAX;  // WaitQueue::wait without a timeout

enum class WaitResult { woken, timed_out, interrupted };

// A wait queue: threads sleep on it until notified or until a timeout.
class WaitQueue {
 public:
  virtual ~WaitQueue() = default;
  virtual void notify_all() = 0;
  // Sleeps until notify_all() or timeout_ns. Returns false on timeout. Callers re-check
  // their condition (wakeups may be shared), as with Linux wait_event_timeout.
  virtual bool wait(uint64_t timeout_ns) = 0;
  // The same, also ended by a signal sent to the calling user thread (Linux's
  // wait_event_interruptible_timeout). Hosts without signals never report `interrupted`.
  virtual WaitResult wait_interruptible(uint64_t timeout_ns) {
    return wait(timeout_ns) ? WaitResult::woken : WaitResult::timed_out;
  }
};

class Mutex {
 public:
  virtual ~Mutex() = default;
  virtual void lock() = 0;
  virtual void unlock() = 0;
};

class LockGuard {
 public:
  explicit LockGuard(Mutex& m) : m_(m) { m_.lock(); }
  ~LockGuard() { m_.unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Mutex& m_;
};

using IrqHandler = std::function<void(unsigned vector)>;

struct MmioWrite32 {
  uint64_t addr;
  uint32_t value;
};

class Os {
 public:
  virtual ~Os() = default;

  // --- PCI ---
  virtual unsigned pci_device_count() = 0;
  virtual std::string pci_name(unsigned dev) = 0;  // "0000:01:00.0"
  virtual uint32_t pci_cfg_read32(unsigned dev, uint32_t offset) = 0;
  virtual void pci_cfg_write32(unsigned dev, uint32_t offset, uint32_t value) = 0;
  // Allocate between min and max MSI vectors (powers of two) and program the device's MSI
  // capability; returns the count granted or a negative errno. The handler then runs in
  // interrupt context for each vector raised.
  virtual int pci_alloc_msi(unsigned dev, unsigned min_vec, unsigned max_vec, IrqHandler handler) = 0;
  virtual void pci_free_msi(unsigned dev) = 0;

  // --- MMIO on host physical addresses (BAR addresses read from config space) ---
  // Reads of an address nobody claims return all-ones, as on PCIe.
  virtual uint32_t mmio_read32(uint64_t addr) = 0;
  virtual void mmio_write32(uint64_t addr, uint32_t value) = 0;
  virtual uint64_t mmio_read64(uint64_t addr) = 0;
  virtual void mmio_write64(uint64_t addr, uint64_t value) = 0;
  // Posted writes issued back to back, in order, with nothing read in between (bring-up
  // tables): each reaches the device when it would as its own mmio_write32 and the call
  // takes as long as they all would; a host may issue them without a context switch each.
  virtual void mmio_write32_posted(const MmioWrite32* writes, size_t n) {
    for (size_t i = 0; i < n; ++i) mmio_write32(writes[i].addr, writes[i].value);
  }

  // --- DMA ---
  // Zeroed host memory the device can reach at *bus_addr. Null on failure.
  virtual void* dma_alloc_coherent(size_t size, uint64_t* bus_addr) = 0;
  virtual void dma_free_coherent(void* cpu, size_t size, uint64_t bus_addr) = 0;
  // Make a buffer the user owns reachable by DMA (pinning on Linux); 0 on failure.
  virtual uint64_t dma_map_user(void* ptr, size_t size) = 0;
  virtual void dma_unmap_user(uint64_t bus_addr, size_t size) = 0;
  // Before reading what devices wrote to DMA memory (completion and event entries): Linux's
  // dma_rmb(). A simulated host also lets the current instant end there, so that a device
  // write of the same instant is seen whatever order the simulator ran the two in.
  virtual void dma_rmb() {}

  // --- time and threads ---
  virtual uint64_t now_ns() = 0;
  virtual void sleep_ns(uint64_t ns) = 0;
  // Until the clock reads t_ns exactly (now_ns() rounds down: a relative sleep from a
  // fractional instant would overshoot by the fraction).
  virtual void sleep_until_ns(uint64_t t_ns) {
    const uint64_t now = now_ns();
    if (t_ns > now) sleep_ns(t_ns - now);
  }
  virtual std::unique_ptr<WaitQueue> make_wait_queue() = 0;
  virtual std::unique_ptr<Mutex> make_mutex() = 0;
  // A kernel thread (workqueue / watchdog work): runs fn in its own thread context.
  virtual void spawn_thread(const std::string& name, std::function<void()> fn) = 0;

  // --- eventfds (Linux: eventfd_ctx_fdget, eventfd_signal, eventfd_ctx_put) ---
  // A reference to the calling program's eventfd `fd` that stays valid after the program
  // closes it: a handle >= 0, -EBADF (not open) or -EINVAL (not an eventfd). Hosts without
  // program file descriptors answer -EOPNOTSUPP.
  virtual int eventfd_get(int fd) {
    (void)fd;
    return -EOPNOTSUPP;
  }
  virtual void eventfd_signal(int handle) { (void)handle; }  // adds 1 to its counter
  virtual void eventfd_put(int handle) { (void)handle; }

  // --- log and trace events ---
  virtual void log(LogLevel level, const std::string& msg) = 0;
  // Linux's trace events: the driver did `what` (a string literal) on `track` from begin_ns
  // to end_ns. Hosts that record no timeline keep the defaults; callers check tracing()
  // first so that an untraced run builds no track names.
  virtual bool tracing() { return false; }
  virtual void trace_span(const std::string& track, const char* what, uint64_t begin_ns, uint64_t end_ns) {
    (void)track, (void)what, (void)begin_ns, (void)end_ns;
  }
};

}  // namespace hl::os
