// The driver's os layer implemented on the simulated PCI bus: config cycles and MMIO go
// through the root complex and cost bus time, DMA-coherent memory is host DRAM of the root
// complex, MSI writes become calls of the driver's handler on the host's interrupt thread,
// and sleeping / waiting are SystemC waits in simulated time.
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <systemc>

#include "driver/os/os.hpp"
#include "models/pcie/root_complex.hpp"

namespace gs {

class Logger;

class SimOs : public sc_core::sc_module, public hl::os::Os {
 public:
  SimOs(sc_core::sc_module_name name, RootComplex& rc, Logger& log, std::string host_name);

  unsigned pci_device_count() override;
  std::string pci_name(unsigned dev) override;
  uint32_t pci_cfg_read32(unsigned dev, uint32_t offset) override;
  void pci_cfg_write32(unsigned dev, uint32_t offset, uint32_t value) override;
  int pci_alloc_msi(unsigned dev, unsigned min_vec, unsigned max_vec, hl::os::IrqHandler h) override;
  void pci_free_msi(unsigned dev) override;

  uint32_t mmio_read32(uint64_t addr) override;
  void mmio_write32(uint64_t addr, uint32_t value) override;
  uint64_t mmio_read64(uint64_t addr) override;
  void mmio_write64(uint64_t addr, uint64_t value) override;
  void mmio_write32_posted(const hl::os::MmioWrite32* writes, size_t n) override;

  void* dma_alloc_coherent(size_t size, uint64_t* bus_addr) override;
  void dma_free_coherent(void* cpu, size_t size, uint64_t bus_addr) override;
  uint64_t dma_map_user(void* ptr, size_t size) override;
  void dma_unmap_user(uint64_t bus_addr, size_t size) override;
  void dma_rmb() override;

  uint64_t now_ns() override;
  void sleep_ns(uint64_t ns) override;
  void sleep_until_ns(uint64_t t) override;
  std::unique_ptr<hl::os::WaitQueue> make_wait_queue() override;
  std::unique_ptr<hl::os::Mutex> make_mutex() override;
  void spawn_thread(const std::string& name, std::function<void()> fn) override;
  void log(hl::os::LogLevel level, const std::string& msg) override;
  int eventfd_get(int fd) override;
  // How a program's descriptor number becomes one of ours (default: a duplicate in this
  // process; the preload library reaches a forked child's table too). -errno on failure.
  using FdDuplicator = std::function<int(int fd)>;
  static void set_fd_duplicator(FdDuplicator d);
  void eventfd_signal(int handle) override;
  void eventfd_put(int handle) override;
  bool tracing() override;
  void trace_span(const std::string& track, const char* what, uint64_t begin_ns, uint64_t end_ns) override;

  uint64_t interrupts_delivered() const { return irqs_; }

  // Signals to user threads (the preload library forwards the program's): a signal sent to
  // a simulated process ends its interruptible waits until clear_signal (its next call).
  void send_signal(sc_core::sc_object* process);
  void clear_signal(sc_core::sc_object* process);
  void forget_process(sc_core::sc_object* process);
  // Of the calling process: whether a signal is pending, and the event that announces one.
  bool signal_pending();
  sc_core::sc_event& signal_event();

 private:
  void on_msi(uint32_t data);
  void irq_thread();

  static constexpr unsigned kVectorsPerDevice = 32;  // MSI data = dev * 32 + vector
  RootComplex& rc_;
  Logger& log_;
  std::string host_;
  std::map<unsigned, hl::os::IrqHandler> handlers_;
  std::deque<std::pair<unsigned, unsigned>> pending_irqs_;
  sc_core::sc_event irq_event_;
  uint64_t irqs_ = 0;
  struct Signal {
    bool pending = false;
    std::unique_ptr<sc_core::sc_event> raised = std::make_unique<sc_core::sc_event>();
  };
  std::map<sc_core::sc_object*, Signal> signals_;
};

}  // namespace gs
