// A fake os layer with fake GAUDI cards behind it, for driver unit tests without SystemC.
//
// Each fake device has a config space (IDs, command register, 64-bit BARs at fixed host
// addresses), and behind BAR 2 a map of registers at CFG_BASE offsets (regs.h and
// sim_blocks.h): the device CPU's boot status and queue-init handshake, its CPU queue (the
// CPU-CP packets that describe the card: fake_firmware.cpp), ELBI. Unknown registers read what was last written (0 at first). Time is a counter:
// sleep_ns advances it, and so does every MMIO read (mmio_read_ns, 1 us by default), which
// is what makes boot-status polling and timeouts testable without a simulator.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/os/os.hpp"

namespace hl::test {

// What the fake firmware says about its card (CPU-CP INFO_GET and friends).
struct FakeCard {
  std::string name = "HL205";
  uint64_t hbm_bytes = 32ull << 30;
  uint32_t sram_bytes = 20u << 20;
  uint32_t tpc = 8, mme = 2, dma = 8, nic_ports = 10;
  uint64_t serial = 0x4741554449000000ull;
  uint32_t index = 0;
  uint32_t tpc_mhz = 1650, mme_mhz = 1650, cpu_mhz = 1000;
  uint32_t max_power_mw = 350000;
  uint32_t power_mw = 0;
  uint64_t energy_mj = 0;
};

struct FakeDevice {
  static constexpr uint64_t kNever = ~0ull;
  static constexpr uint64_t kBarSize[3] = {64ull << 20, 128ull << 20, 256ull << 20};

  uint32_t cfg[64] = {};  // config dwords 0x00..0xFC
  uint64_t bar[3] = {};   // host addresses of BAR 0, 2, 4
  // Registers by offset from CFG_BASE (reads of unknown offsets give 0).
  std::map<uint32_t, uint32_t> regs;
  // Boot: the status register reads `stuck_status` until the clock reaches ready_at_ns.
  uint64_t ready_at_ns = 0;
  uint32_t stuck_status = 0;
  std::optional<uint64_t> first_ready_read_ns;  // when the driver first saw "ready"
  unsigned boot_status_reads = 0;
  // Firmware: answers the driver's queue-init handshake (READY_FOR_CP -> READY_FOR_HOST)
  // once booted; a hard-reset key write reboots it, ready reboot_ns later.
  bool firmware_answers = true;
  unsigned cpu_messages = 0;  // messages the firmware answered on the CPU queue
  FakeCard card;
  std::vector<uint32_t> cpu_opcodes;   // every message's opcode, in order
  uint32_t silent_opcode = ~0u;        // a packet the firmware never answers
  uint32_t refused_opcode = ~0u;       // a packet the firmware answers with an error
  uint64_t reboot_ns = 0;
  unsigned hard_resets = 0;
  // Per-test overrides: answer a register read instead of the map; see every write.
  std::function<std::optional<uint32_t>(uint32_t offset)> read_hook;
  std::function<void(uint32_t offset, uint32_t value)> write_hook;

  // What the driver did to this device.
  unsigned cfg_reads = 0, cfg_writes = 0;
  // ELBI in configuration space: an access reaches the register map (CFG_BASE offsets).
  uint32_t elbi_addr = 0, elbi_data = 0, elbi_sts = 0;
  unsigned mmio_reads = 0;        // reads this device answered
  std::vector<std::pair<uint32_t, uint32_t>> reg_writes;  // (CFG_BASE offset, value)

  // MSI: how many vectors the device offers; an error to return instead, if any.
  unsigned msi_capable = 32;
  int msi_alloc_error = 0;
  unsigned msi_min = 0, msi_max = 0;  // what the driver asked for
  int msi_granted = 0;                // 0: not allocated
  unsigned msi_frees = 0;
  os::IrqHandler irq;

  uint16_t vendor() const { return uint16_t(cfg[0]); }
  uint16_t command() const { return uint16_t(cfg[1]); }
  bool memory_enabled() const { return command() & 2; }
  bool bus_master() const { return command() & 4; }
  // Stored value of a register, without side effects.
  uint32_t reg(uint32_t offset) const;
  bool booted(uint64_t now) const { return ready_at_ns != kNever && now >= ready_at_ns; }
};

class FakeOs : public os::Os {
 public:
  FakeOs();
  ~FakeOs() override;

  // Adds a GAUDI (vendor 0x1da3, device 0x1000) whose description registers say `card`.
  FakeDevice& add_gaudi(const FakeCard& card = {});
  // Adds some other PCI function with no registers behind its BARs.
  FakeDevice& add_device(uint16_t vendor, uint16_t device);
  FakeDevice& dev(unsigned i) { return *devs_.at(i); }

  // Interrupt: run the handler the driver registered for (dev, vector). False if none.
  bool raise_irq(unsigned dev, unsigned vector);
  void advance(uint64_t ns) { now_ += ns; }

  uint64_t mmio_read_ns = 1000;  // clock cost of one MMIO read
  uint64_t unclaimed_reads = 0;  // MMIO reads no device answered (they read all-ones)
  uint64_t sleeps = 0;
  const std::vector<std::string>& log_lines() const { return log_; }
  bool log_contains(const std::string& needle) const;
  std::string log_text() const;
  size_t live_dma_allocations() const { return dma_.size(); }
  const std::vector<std::string>& threads() const { return thread_names_; }

  // --- os::Os ---
  unsigned pci_device_count() override { return unsigned(devs_.size()); }
  std::string pci_name(unsigned dev) override;
  uint32_t pci_cfg_read32(unsigned dev, uint32_t offset) override;
  void pci_cfg_write32(unsigned dev, uint32_t offset, uint32_t value) override;
  int pci_alloc_msi(unsigned dev, unsigned min_vec, unsigned max_vec, os::IrqHandler handler) override;
  void pci_free_msi(unsigned dev) override;

  uint32_t mmio_read32(uint64_t addr) override;
  void mmio_write32(uint64_t addr, uint32_t value) override;
  uint64_t mmio_read64(uint64_t addr) override;
  void mmio_write64(uint64_t addr, uint64_t value) override;

  void* dma_alloc_coherent(size_t size, uint64_t* bus_addr) override;
  void dma_free_coherent(void* cpu, size_t size, uint64_t bus_addr) override;
  uint64_t dma_map_user(void* ptr, size_t size) override;
  void dma_unmap_user(uint64_t bus_addr, size_t size) override;

  uint64_t now_ns() override { return now_; }
  void sleep_ns(uint64_t ns) override {
    now_ += ns;
    ++sleeps;
  }
  std::unique_ptr<os::WaitQueue> make_wait_queue() override;
  std::unique_ptr<os::Mutex> make_mutex() override;
  // Kernel threads are recorded, not run: the fake has one thread of control.
  void spawn_thread(const std::string& name, std::function<void()> fn) override;

  void log(os::LogLevel level, const std::string& msg) override;

 private:
  // Finds the device and CFG_BASE offset behind a host address; false if none claims it.
  bool decode(uint64_t addr, FakeDevice** d, int* bar, uint64_t* off);
  uint32_t read_no_clock(uint64_t addr);
  void write_no_clock(uint64_t addr, uint32_t value);
  void firmware(FakeDevice& d, uint32_t reg, uint32_t value);
  void answer_cpu_message(FakeDevice& d, uint32_t pi);
  // fake_firmware.cpp: executes one message in place; returns its rc (0 = done).
  uint32_t execute_cpucp(FakeDevice& d, uint8_t* msg);
  uint8_t* host_bytes(uint64_t device_addr, size_t len);

  uint64_t now_ = 0;
  std::vector<std::unique_ptr<FakeDevice>> devs_;
  std::map<uint64_t, uint32_t> bar_mem_;  // BAR 0 / BAR 4 words the driver wrote
  std::map<uint64_t, std::vector<uint8_t>> dma_;
  uint64_t next_bus_ = 0x100000000ull;
  std::vector<std::string> log_;
  std::vector<std::string> thread_names_;
  std::vector<std::function<void()>> threads_;
};

}  // namespace hl::test
