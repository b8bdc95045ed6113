#include "fake_os.hpp"

#include <cstring>

#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include "specs/gaudi/packets.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/pcie_core.h"
#include "specs/gaudi/sim_blocks.h"

namespace hl::test {

namespace {

constexpr uint64_t kBarWindowBase = 0x4000000000ull;
constexpr uint64_t kDeviceStride = 1ull << 30;  // each device's BARs within its own GiB

class FakeWaitQueue : public os::WaitQueue {
 public:
  explicit FakeWaitQueue(FakeOs& os) : os_(os) {}
  void notify_all() override { pending_ = true; }
  // Nobody else runs while we wait: a pending notification wakes at once, otherwise the
  // whole timeout passes.
  bool wait(uint64_t timeout_ns) override {
    if (pending_) {
      pending_ = false;
      return true;
    }
    os_.advance(timeout_ns);
    return false;
  }

 private:
  FakeOs& os_;
  bool pending_ = false;
};

// With one thread of control, taking a lock that is held can only be a deadlock.
class FakeMutex : public os::Mutex {
 public:
  void lock() override {
    if (locked_) throw std::logic_error("FakeMutex: lock taken twice (deadlock on a kernel mutex)");
    locked_ = true;
  }
  void unlock() override {
    if (!locked_) throw std::logic_error("FakeMutex: unlock of a free lock");
    locked_ = false;
  }

 private:
  bool locked_ = false;
};

const char* level_name(os::LogLevel l) {
  switch (l) {
    case os::LogLevel::debug: return "debug";
    case os::LogLevel::info: return "info";
    case os::LogLevel::warn: return "warn";
    case os::LogLevel::error: return "error";
  }
  return "?";
}

}  // namespace

uint32_t FakeDevice::reg(uint32_t offset) const {
  auto it = regs.find(offset);
  return it == regs.end() ? 0 : it->second;
}

FakeOs::FakeOs() = default;
FakeOs::~FakeOs() = default;

FakeDevice& FakeOs::add_device(uint16_t vendor, uint16_t device) {
  auto d = std::make_unique<FakeDevice>();
  unsigned n = unsigned(devs_.size());
  d->cfg[0] = uint32_t(device) << 16 | vendor;
  d->cfg[1] = 0x0010u << 16;  // status: capability list; decoding off
  d->cfg[2] = 0x120000u << 8 | 1;
  for (unsigned i = 0; i < 3; ++i) {
    // BAR 0 at +0, BAR 2 at +128 MiB, BAR 4 at +256 MiB: each naturally aligned.
    d->bar[i] = kBarWindowBase + n * kDeviceStride + (i ? (128ull << 20) * i : 0);
    d->cfg[4 + 2 * i] = uint32_t(d->bar[i]) | 0xC;  // 64-bit prefetchable memory
    d->cfg[5 + 2 * i] = uint32_t(d->bar[i] >> 32);
  }
  d->stuck_status = GAUDI_CPU_BOOT_STATUS_IN_PREBOOT;
  devs_.push_back(std::move(d));
  return *devs_.back();
}

FakeDevice& FakeOs::add_gaudi(const FakeCard& c) {
  FakeDevice& d = add_device(0x1da3, 0x1000);
  d.card = c;
  return d;
}

bool FakeOs::raise_irq(unsigned dev, unsigned vector) {
  FakeDevice& d = this->dev(dev);
  if (!d.irq) return false;
  d.irq(vector);
  return true;
}

bool FakeOs::log_contains(const std::string& needle) const {
  for (const auto& l : log_)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

std::string FakeOs::log_text() const {
  std::string s;
  for (const auto& l : log_) s += l + "\n";
  return s;
}

std::string FakeOs::pci_name(unsigned dev) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0000:%02x:00.0", dev + 1);
  return buf;
}

uint32_t FakeOs::pci_cfg_read32(unsigned dev, uint32_t offset) {
  if (dev < devs_.size() && offset == GAUDI_PCI_CONFIG_ELBI_STS) return ++devs_[dev]->cfg_reads, devs_[dev]->elbi_sts;
  if (dev >= devs_.size() || offset % 4 || offset >= 256) return 0xFFFFFFFFu;
  ++devs_[dev]->cfg_reads;
  return devs_[dev]->cfg[offset / 4];
}

void FakeOs::pci_cfg_write32(unsigned dev, uint32_t offset, uint32_t value) {
  if (dev < devs_.size() && offset >= GAUDI_PCI_CONFIG_ELBI_ADDR && offset <= GAUDI_PCI_CONFIG_ELBI_STS) {
    FakeDevice& d = *devs_[dev];
    ++d.cfg_writes;
    if (offset == GAUDI_PCI_CONFIG_ELBI_ADDR) d.elbi_addr = value;
    if (offset == GAUDI_PCI_CONFIG_ELBI_DATA) d.elbi_data = value;
    if (offset == GAUDI_PCI_CONFIG_ELBI_STS) d.elbi_sts = 0;
    if (offset == GAUDI_PCI_CONFIG_ELBI_CTRL && (value & GAUDI_PCI_CONFIG_ELBI_CTRL_WRITE)) {
      const uint32_t reg = d.elbi_addr - uint32_t(GAUDI_CFG_BASE);  // ELBI addresses are 32-bit
      d.regs[reg] = d.elbi_data;
      d.reg_writes.emplace_back(reg, d.elbi_data);
      d.elbi_sts = GAUDI_PCI_CONFIG_ELBI_STS_DONE;
    }
    return;
  }
  if (dev >= devs_.size() || offset % 4 || offset >= 256) return;
  FakeDevice& d = *devs_[dev];
  ++d.cfg_writes;
  if (offset == 0x04) {  // command: memory, bus master, interrupt disable are writable
    const uint32_t m = (1u << 1) | (1u << 2) | (1u << 10);
    d.cfg[1] = (d.cfg[1] & ~m) | (value & m);
  }
  // Everything else (IDs, the fixed BARs) is read-only in the fake.
}

int FakeOs::pci_alloc_msi(unsigned dev, unsigned min_vec, unsigned max_vec, os::IrqHandler handler) {
  FakeDevice& d = this->dev(dev);
  d.msi_min = min_vec;
  d.msi_max = max_vec;
  if (d.msi_alloc_error) return d.msi_alloc_error;
  unsigned n = 1;
  while (n * 2 <= max_vec && n * 2 <= d.msi_capable) n *= 2;
  if (n < min_vec) return -ENOSPC;
  d.msi_granted = int(n);
  d.irq = std::move(handler);
  return int(n);
}

void FakeOs::pci_free_msi(unsigned dev) {
  FakeDevice& d = this->dev(dev);
  ++d.msi_frees;
  d.msi_granted = 0;
  d.irq = nullptr;
}

bool FakeOs::decode(uint64_t addr, FakeDevice** out, int* bar, uint64_t* off) {
  for (auto& d : devs_) {
    if (!d->memory_enabled()) continue;
    for (int i = 0; i < 3; ++i) {
      if (addr >= d->bar[i] && addr - d->bar[i] < FakeDevice::kBarSize[i]) {
        *out = d.get();
        *bar = i;
        *off = addr - d->bar[i];
        return true;
      }
    }
  }
  return false;
}

uint32_t FakeOs::read_no_clock(uint64_t addr) {
  FakeDevice* d;
  int bar;
  uint64_t off;
  if (!decode(addr, &d, &bar, &off)) {
    ++unclaimed_reads;
    return 0xFFFFFFFFu;
  }
  ++d->mmio_reads;
  if (bar != 1) {
    auto it = bar_mem_.find(addr);
    return it == bar_mem_.end() ? 0 : it->second;
  }
  if (off < GAUDI_CFG_BAR_CFG_OFFSET) return 0;  // SPI flash window
  uint32_t reg = uint32_t(off - GAUDI_CFG_BAR_CFG_OFFSET);
  if (d->read_hook)
    if (auto v = d->read_hook(reg)) return *v;
  if (reg == mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS) {
    ++d->boot_status_reads;
    if (!d->booted(now_)) return d->stuck_status;
    if (!d->first_ready_read_ns) d->first_ready_read_ns = now_;
    return GAUDI_CPU_BOOT_STATUS_SRAM_AVAIL;
  }
  return d->reg(reg);
}

void FakeOs::write_no_clock(uint64_t addr, uint32_t value) {
  FakeDevice* d;
  int bar;
  uint64_t off;
  if (!decode(addr, &d, &bar, &off)) return;  // dropped, as an unclaimed posted write is
  if (bar != 1) {
    bar_mem_[addr] = value;
    return;
  }
  if (off < GAUDI_CFG_BAR_CFG_OFFSET) return;
  uint32_t reg = uint32_t(off - GAUDI_CFG_BAR_CFG_OFFSET);
  d->regs[reg] = value;
  d->reg_writes.emplace_back(reg, value);
  if (d->write_hook) d->write_hook(reg, value);
  firmware(*d, reg, value);
}

// The little the device CPU's firmware does that probe depends on.
void FakeOs::firmware(FakeDevice& d, uint32_t reg, uint32_t value) {
  if (reg == mmCPU_IF_QUEUE_INIT && d.firmware_answers && d.booted(now_) &&
      (value == GAUDI_PQ_INIT_STATUS_READY_FOR_CP || value == GAUDI_PQ_INIT_STATUS_READY_FOR_CP_SINGLE_MSI))
    d.regs[reg] = GAUDI_PQ_INIT_STATUS_READY_FOR_HOST;
  if (reg == mmCPU_IF_PF_PQ_PI && d.firmware_answers && d.booted(now_)) answer_cpu_message(d, value);
  if (reg == mmPSOC_GLOBAL_CONF_SW_ALL_RST && (value & GAUDI_PSOC_SW_ALL_RST_IND)) {
    ++d.hard_resets;
    d.regs[reg] = 0;
    d.regs[mmCPU_IF_QUEUE_INIT] = GAUDI_PQ_INIT_STATUS_NA;
    d.ready_at_ns = now_ + d.reboot_ns;
  }
}

// Host memory the fake device reaches at device address `dev` (GAUDI_HOST_PHYS_BASE + bus).
uint8_t* FakeOs::host_bytes(uint64_t dev, size_t len) {
  uint64_t bus = dev - GAUDI_HOST_PHYS_BASE;
  auto it = dma_.upper_bound(bus);
  if (it == dma_.begin()) return nullptr;
  --it;
  if (bus - it->first + len > it->second.size()) return nullptr;
  return it->second.data() + (bus - it->first);
}

// The firmware's side of the CPU queue: answer the message of the entry before PI.
void FakeOs::answer_cpu_message(FakeDevice& d, uint32_t pi) {
  uint64_t base = uint64_t(d.regs[mmCPU_IF_PQ_BASE_ADDR_HIGH]) << 32 | d.regs[mmCPU_IF_PQ_BASE_ADDR_LOW];
  uint32_t entries = d.regs[mmCPU_IF_PQ_LENGTH] / GAUDI_PQ_ENTRY_SIZE;
  if (!entries) return;
  uint8_t* e = host_bytes(base + uint64_t((pi + 2 * entries - 1) % entries) * GAUDI_PQ_ENTRY_SIZE, GAUDI_PQ_ENTRY_SIZE);
  if (!e) return;
  gaudi_qman_pq_entry pq;
  std::memcpy(&pq, e, sizeof pq);
  uint8_t* msg = host_bytes(pq.ptr, GSIM_CPU_MSG_SIZE);
  if (!msg) return;
  uint32_t ctl;
  std::memcpy(&ctl, msg + GSIM_CPU_MSG_CTL, 4);
  uint32_t opcode = ctl >> GSIM_CPU_MSG_OPCODE_SHIFT;
  d.cpu_opcodes.push_back(opcode);
  if (opcode == d.silent_opcode) return;
  ++d.cpu_messages;
  uint32_t rc = opcode == d.refused_opcode ? 2u : execute_cpucp(d, msg);
  ctl = (ctl & ~GSIM_CPU_MSG_RC_MASK) | rc << GSIM_CPU_MSG_RC_SHIFT;
  std::memcpy(msg + GSIM_CPU_MSG_CTL, &ctl, 4);
  uint32_t fence = GSIM_CPU_FENCE_DONE;
  std::memcpy(msg + GSIM_CPU_MSG_FENCE, &fence, 4);
}

uint32_t FakeOs::mmio_read32(uint64_t addr) {
  uint32_t v = read_no_clock(addr);
  now_ += mmio_read_ns;
  return v;
}

void FakeOs::mmio_write32(uint64_t addr, uint32_t value) { write_no_clock(addr, value); }

uint64_t FakeOs::mmio_read64(uint64_t addr) {
  uint64_t lo = read_no_clock(addr);
  uint64_t hi = read_no_clock(addr + 4);
  now_ += mmio_read_ns;
  return hi << 32 | lo;
}

void FakeOs::mmio_write64(uint64_t addr, uint64_t value) {
  write_no_clock(addr, uint32_t(value));
  write_no_clock(addr + 4, uint32_t(value >> 32));
}

void* FakeOs::dma_alloc_coherent(size_t size, uint64_t* bus_addr) {
  if (!size) return nullptr;
  uint64_t a = next_bus_;
  next_bus_ += (size + 4095) / 4096 * 4096 + 4096;
  auto& buf = dma_[a];
  buf.assign(size, 0);
  *bus_addr = a;
  return buf.data();
}

void FakeOs::dma_free_coherent(void* cpu, size_t, uint64_t bus_addr) {
  auto it = dma_.find(bus_addr);
  if (it == dma_.end() || it->second.data() != cpu)
    throw std::logic_error("FakeOs: dma_free_coherent of memory that was not allocated");
  dma_.erase(it);
}

uint64_t FakeOs::dma_map_user(void*, size_t size) {
  uint64_t a = next_bus_;
  next_bus_ += (size + 4095) / 4096 * 4096 + 4096;
  return a;
}

void FakeOs::dma_unmap_user(uint64_t, size_t) {}

std::unique_ptr<os::WaitQueue> FakeOs::make_wait_queue() { return std::make_unique<FakeWaitQueue>(*this); }

std::unique_ptr<os::Mutex> FakeOs::make_mutex() { return std::make_unique<FakeMutex>(); }

void FakeOs::spawn_thread(const std::string& name, std::function<void()> fn) {
  thread_names_.push_back(name);
  threads_.push_back(std::move(fn));
}

void FakeOs::log(os::LogLevel level, const std::string& msg) {
  log_.push_back(std::string(level_name(level)) + ": " + msg);
}

}  // namespace hl::test
