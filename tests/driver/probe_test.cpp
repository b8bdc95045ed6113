// The driver against a fake os layer: probe (IDs, bus enable, boot wait and timeout, card
// description), device nodes and their ownership rules, and the INFO ioctl with its
// copy-in / copy-out. No SystemC here: test_driver links only gs_driver.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "driver/core/hl_device.hpp"
#include "driver/core/hl_driver.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "driver/lib/thunk.hpp"
#include "driver/uapi/habanalabs.h"
#include "fake_os.hpp"
#include "specs/gaudi/cpucp.h"
#include "specs/gaudi/nic.h"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/tpc_mme.h"

namespace hl::test {
namespace {

using ::testing::HasSubstr;

constexpr uint64_t kUs = 1000;

DriverParams fast_params() {
  DriverParams p;
  p.boot_timeout_us = 3000;
  p.boot_poll_us = 100;
  return p;
}

TEST(Probe, SucceedsAndReadsTheCardDescription) {
  FakeOs os;
  FakeCard c;
  c.hbm_bytes = 0x300001000ull;  // both halves matter
  c.sram_bytes = 0x1400000;
  c.tpc = 7, c.mme = 1, c.dma = 6, c.nic_ports = 4;
  c.name = "HL-TEST";
  c.serial = 0x0123456789ABCDEFull;
  c.index = 5;
  c.tpc_mhz = 1650, c.mme_mhz = 1700, c.cpu_mhz = 900;
  os.add_gaudi(c);
  DriverParams params;
  HlDriver drv(os, params);
  EXPECT_EQ(drv.init(), 1u);
  ASSERT_EQ(drv.devices().size(), 1u);
  HlDevice& d = *drv.devices()[0];
  EXPECT_EQ(d.status(), DeviceStatus::operational);
  EXPECT_EQ(d.probe_error(), "");
  EXPECT_EQ(d.pci_name(), "0000:01:00.0");
  const AsicProps& p = d.props();
  EXPECT_EQ(p.vendor_id, 0x1da3);
  EXPECT_EQ(p.device_id, 0x1000);
  EXPECT_EQ(p.hbm_bytes, 0x300001000ull);
  EXPECT_EQ(p.sram_bytes, 0x1400000u);
  EXPECT_EQ(p.tpc_cores, 7u);
  EXPECT_EQ(p.mme_engines, 1u);
  EXPECT_EQ(p.dma_channels, 6u);
  EXPECT_EQ(p.nic_ports, 4u);
  EXPECT_EQ(p.serial, 0x0123456789ABCDEFull);
  EXPECT_EQ(p.card_index, 5u);
  EXPECT_EQ(p.tpc_mhz, 1650u);
  EXPECT_EQ(p.mme_mhz, 1700u);
  EXPECT_EQ(p.cpu_mhz, 900u);
  EXPECT_EQ(p.max_power_mw, 350000u);
  EXPECT_EQ(p.card_name, "HL-TEST");
  EXPECT_EQ(p.cpucp_version, "fake-cpucp 2.0");
  // All of it came over the CPU queue, INFO_GET first, once the queue was up.
  const std::vector<uint32_t> asked = {14, 23, 22, 10, 10, 10, 20};  // INFO, NIC_INFO, EEPROM, 3 x FREQUENCY, MAX_POWER
  ASSERT_GE(os.dev(0).cpu_opcodes.size(), asked.size());
  EXPECT_EQ(std::vector<uint32_t>(os.dev(0).cpu_opcodes.begin(), os.dev(0).cpu_opcodes.begin() + 7), asked);
  EXPECT_EQ(p.sram_bar_addr, os.dev(0).bar[0]);
  EXPECT_EQ(p.cfg_bar_addr, os.dev(0).bar[1]);
  EXPECT_EQ(p.hbm_bar_addr, os.dev(0).bar[2]);
  EXPECT_EQ(p.msi_vectors, 32u);
  EXPECT_EQ(os.dev(0).msi_granted, 32);
  // Probe time is what the driver spent on the bus: at least its MMIO reads.
  EXPECT_GE(d.probe_ns(), os.dev(0).mmio_reads * os.mmio_read_ns);
  EXPECT_GT(os.dev(0).mmio_reads, 0u);
  EXPECT_EQ(os.unclaimed_reads, 0u);
  EXPECT_TRUE(os.log_contains("1 of 1 devices up")) << os.log_text();
}

TEST(Probe, EnablesMemoryDecodeAndBusMasteringKeepingOtherBits) {
  FakeOs os;
  FakeDevice& f = os.add_gaudi();
  f.cfg[1] |= 1u << 10;  // interrupt disable, set by firmware: must survive
  DriverParams params;
  HlDriver drv(os, params);
  ASSERT_EQ(drv.init(), 1u);
  EXPECT_TRUE(f.memory_enabled());
  EXPECT_TRUE(f.bus_master());
  EXPECT_TRUE(f.command() & (1u << 10));
  // Every MMIO read came after decoding was on: none read all-ones.
  EXPECT_EQ(os.unclaimed_reads, 0u);
}

TEST(Probe, DeviceCpuThatNeverBootsTimesOut) {
  FakeOs os;
  FakeDevice& f = os.add_gaudi();
  f.ready_at_ns = FakeDevice::kNever;
  DriverParams params = fast_params();
  HlDevice d(os, params, 0, 0, std::make_unique<GaudiAsic>());
  uint64_t t0 = os.now_ns();
  EXPECT_EQ(d.probe(), -ETIMEDOUT);
  uint64_t waited = os.now_ns() - t0;
  EXPECT_GE(waited, 3000 * kUs);
  // It gives up within one poll period (plus the read that found it still not ready).
  EXPECT_LE(waited, 3000 * kUs + 100 * kUs + 2 * os.mmio_read_ns);
  EXPECT_EQ(d.probe_ns(), waited);
  // It polled, sleeping between reads, rather than reading once or spinning.
  EXPECT_GE(f.boot_status_reads, 20u);
  EXPECT_LE(f.boot_status_reads, 40u);
  EXPECT_GE(os.sleeps, f.boot_status_reads - 1);
  EXPECT_EQ(d.status(), DeviceStatus::malfunction);
  EXPECT_THAT(d.probe_error(), HasSubstr("device CPU not ready"));
  EXPECT_THAT(d.probe_error(), HasSubstr("in preboot"));
  EXPECT_TRUE(os.log_contains("device CPU not ready")) << os.log_text();
  EXPECT_TRUE(os.log_contains("error: habanalabs hl0 0000:01:00.0")) << os.log_text();
  EXPECT_EQ(f.msi_granted, 0);  // never got as far as interrupts
}

TEST(Probe, DriverInitKeepsGoingAfterAFailedDevice) {
  FakeOs os;
  os.add_gaudi().ready_at_ns = FakeDevice::kNever;
  os.add_gaudi();
  DriverParams params = fast_params();
  HlDriver drv(os, params);
  EXPECT_EQ(drv.init(), 1u);
  ASSERT_EQ(drv.devices().size(), 2u);
  EXPECT_EQ(drv.devices()[0]->status(), DeviceStatus::malfunction);
  EXPECT_EQ(drv.devices()[1]->status(), DeviceStatus::operational);
  EXPECT_GE(drv.devices()[0]->probe_ns(), 3000 * kUs);
  EXPECT_TRUE(os.log_contains("device CPU not ready"));
  EXPECT_TRUE(os.log_contains("1 of 2 devices up")) << os.log_text();
}

TEST(Probe, DeviceThatBecomesReadyMidWaitSucceeds) {
  FakeOs os;
  FakeDevice& f = os.add_gaudi();
  f.ready_at_ns = 1234 * kUs;
  DriverParams params = fast_params();
  HlDevice d(os, params, 0, 0, std::make_unique<GaudiAsic>());
  EXPECT_EQ(d.probe(), 0) << os.log_text();
  EXPECT_EQ(d.status(), DeviceStatus::operational);
  ASSERT_TRUE(f.first_ready_read_ns.has_value());
  // Seen ready on the first poll after it became ready.
  EXPECT_GE(*f.first_ready_read_ns, 1234 * kUs);
  EXPECT_LT(*f.first_ready_read_ns, 1234 * kUs + 100 * kUs + os.mmio_read_ns);
  EXPECT_GE(d.probe_ns(), 1234 * kUs);
  EXPECT_LT(d.probe_ns(), params.boot_timeout_us * kUs);
  EXPECT_EQ(d.props().hbm_bytes, 32ull << 30);
}

// Linux: a refused packet is -EIO, an unanswered one -ETIMEDOUT ("Failed to handle CPU-CP info
// pkt"); late init fails with it. The device is left down, its MSI and buffers released.
TEST(Probe, InfoGetRefusedFailsWithEioAndLeavesTheDeviceDown) {
  FakeOs os;
  FakeDevice& f = os.add_gaudi();
  f.refused_opcode = GAUDI_CPUCP_INFO_GET;
  DriverParams params;
  size_t before = os.live_dma_allocations();
  {
    HlDevice d(os, params, 0, 0, std::make_unique<GaudiAsic>());
    EXPECT_EQ(d.probe(), -EIO);
    EXPECT_EQ(d.status(), DeviceStatus::malfunction);
    EXPECT_THAT(d.probe_error(), HasSubstr("INFO_GET"));
    EXPECT_EQ(d.props().hbm_bytes, 0u);  // nothing taken from a refused answer
    EXPECT_EQ(f.msi_granted, 0) << "MSI released";
  }
  EXPECT_EQ(os.live_dma_allocations(), before) << "queue and message buffers released";
  EXPECT_TRUE(os.log_contains("probe failed (-EIO)")) << os.log_text();
}

TEST(Probe, InfoGetUnansweredTimesOut) {
  FakeOs os;
  FakeDevice& f = os.add_gaudi();
  f.silent_opcode = GAUDI_CPUCP_INFO_GET;
  DriverParams params;
  HlDevice d(os, params, 0, 0, std::make_unique<GaudiAsic>());
  uint64_t t0 = os.now_ns();
  EXPECT_EQ(d.probe(), -ETIMEDOUT);
  EXPECT_EQ(d.status(), DeviceStatus::malfunction);
  EXPECT_GE(os.now_ns() - t0, 10'000'000u) << "the driver waited for the answer";
  EXPECT_EQ(f.msi_granted, 0);
  // Nothing else was sent after the lost packet.
  EXPECT_EQ(f.cpu_opcodes.back(), uint32_t(GAUDI_CPUCP_INFO_GET));
}

TEST(Probe, OtherVendorsAreSkippedNotProbed) {
  FakeOs os;
  FakeDevice& nic = os.add_device(0x8086, 0x1000);  // right device id, wrong vendor
  os.add_gaudi();
  DriverParams params;
  HlDriver drv(os, params);
  EXPECT_EQ(drv.init(), 1u);
  ASSERT_EQ(drv.devices().size(), 1u);
  EXPECT_EQ(drv.devices()[0]->pci_dev(), 1u);
  EXPECT_EQ(drv.devices()[0]->id(), 0u);  // node numbers count GAUDIs only
  EXPECT_EQ(nic.cfg_writes, 0u);          // never enabled
  EXPECT_EQ(nic.mmio_reads, 0u);
  EXPECT_EQ(nic.msi_min, 0u);
  EXPECT_FALSE(nic.memory_enabled());
}

TEST(Probe, MsiFallsBackToWhatTheDeviceOffers) {
  FakeOs os;
  os.add_gaudi().msi_capable = 4;
  DriverParams params;
  HlDriver drv(os, params);
  ASSERT_EQ(drv.init(), 1u);
  EXPECT_EQ(os.dev(0).msi_max, 32u);
  EXPECT_EQ(drv.devices()[0]->props().msi_vectors, 4u);
}

TEST(Probe, SingleVectorParameterAsksForOne) {
  FakeOs os;
  os.add_gaudi();
  DriverParams params;
  params.msi_single_vector = true;
  HlDriver drv(os, params);
  ASSERT_EQ(drv.init(), 1u);
  EXPECT_EQ(os.dev(0).msi_max, 1u);
  EXPECT_EQ(drv.devices()[0]->props().msi_vectors, 1u);
}

TEST(Probe, MsiAllocationFailureFailsProbe) {
  FakeOs os;
  os.add_gaudi().msi_alloc_error = -ENOSPC;
  DriverParams params;
  HlDevice d(os, params, 0, 0, std::make_unique<GaudiAsic>());
  EXPECT_EQ(d.probe(), -ENOSPC);
  EXPECT_EQ(d.status(), DeviceStatus::malfunction);
  EXPECT_THAT(d.probe_error(), HasSubstr("MSI"));
}

TEST(Probe, InterruptsReachTheDriverAndShutdownFreesThem) {
  FakeOs os;
  os.add_gaudi();
  DriverParams params;
  auto drv = std::make_unique<HlDriver>(os, params);
  ASSERT_EQ(drv->init(), 1u);
  uint64_t before = drv->devices()[0]->irq_count();
  EXPECT_TRUE(os.raise_irq(0, 3));
  EXPECT_EQ(drv->devices()[0]->irq_count(), before + 1);
  drv->shutdown();
  EXPECT_EQ(os.dev(0).msi_frees, 1u);
  EXPECT_FALSE(os.raise_irq(0, 3));  // handler gone
  drv.reset();
  EXPECT_EQ(os.live_dma_allocations(), 0u);  // every coherent buffer was given back
}

// --- device nodes ---

struct DriverWithCards : ::testing::Test {
  FakeOs os;
  DriverParams params = fast_params();
  std::unique_ptr<HlDriver> drv;
  void start(unsigned cards) {
    for (unsigned i = 0; i < cards; ++i) {
      FakeCard c;
      c.index = i;
      os.add_gaudi(c);
    }
    drv = std::make_unique<HlDriver>(os, params);
    drv->init();
  }
};

TEST_F(DriverWithCards, OneComputeOpenerAtATimeControlNodeAlongside) {
  start(2);
  int a = drv->open("/dev/hl0", 100);
  ASSERT_GE(a, 0);
  EXPECT_EQ(drv->open("/dev/hl0", 200), -EBUSY);
  EXPECT_TRUE(os.log_contains("pid 100")) << os.log_text();
  int ctl = drv->open("/dev/hl_controlD0", 200);
  EXPECT_GE(ctl, 0);
  int other = drv->open("/dev/hl1", 200);  // another card is free
  EXPECT_GE(other, 0);
  EXPECT_EQ(drv->close(a), 0);
  int b = drv->open("/dev/accel/accel0", 200);
  EXPECT_GE(b, 0);
  EXPECT_EQ(drv->devices()[0]->compute_owner(), b);
  EXPECT_EQ(drv->open("/dev/hl0", 100), -EBUSY);
  EXPECT_EQ(drv->close(a), -EBADF);  // already closed
  EXPECT_EQ(drv->close(ctl), 0);
  EXPECT_EQ(drv->devices()[0]->compute_owner(), b);  // closing control leaves compute alone
  // Every open fd is distinct.
  EXPECT_NE(b, ctl);
  EXPECT_NE(b, other);
}

TEST_F(DriverWithCards, UnknownPathsAreEnoent) {
  start(1);
  for (const char* p : {"/dev/hl1", "/dev/hl", "/dev/hlx", "/dev/hl0x", "/dev/hl_controlD", "/dev/null",
                        "/dev/accel/accel7", "hl0", ""})
    EXPECT_EQ(drv->open(p, 1), -ENOENT) << p;
  EXPECT_GE(drv->open("/dev/accel/accel_controlD0", 1), 0);
}

TEST_F(DriverWithCards, FailedDeviceCannotBeOpened) {
  os.add_gaudi().ready_at_ns = FakeDevice::kNever;
  start(0);
  ASSERT_EQ(drv->devices().size(), 1u);
  EXPECT_EQ(drv->open("/dev/hl0", 1), -ENODEV);
  EXPECT_EQ(drv->open("/dev/hl_controlD0", 1), -ENODEV);
}

// --- INFO and the ioctl entry ---

TEST_F(DriverWithCards, HwIpInfoThroughTheThunk) {
  start(2);
  hlthunk::Thunk t(*drv, 42);
  int fd = t.open(1);
  ASSERT_GE(fd, 0);
  hl_info_hw_ip_info hw{};
  ASSERT_EQ(t.hw_ip_info(fd, &hw), 0);
  EXPECT_EQ(hw.device_id, 0x1000u);
  EXPECT_EQ(hw.dram_size, (32ull << 30) - (512ull << 20));
  EXPECT_EQ(hw.dram_base_address, 512ull << 20);
  EXPECT_EQ(hw.sram_base_address, 0x7FF0000000ull + GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START);
  EXPECT_EQ(hw.sram_size, (20u << 20) - GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START);
  EXPECT_EQ(hw.module_id, 1u);
  EXPECT_EQ(hw.tpc_enabled_mask, 0xFF);
  uint32_t status = 99;
  EXPECT_EQ(t.device_status(fd, &status), 0);
  EXPECT_EQ(status, uint32_t(HL_DEVICE_STATUS_OPERATIONAL));
  EXPECT_EQ(t.close(fd), 0);
}

// POWER, TOTAL_ENERGY and DEVICE_UTILIZATION ask the firmware at the call (CPU-CP POWER_GET,
// TOTAL_ENERGY_GET); a refused packet fails the call as on Linux: its errno, -EINVAL for the
// utilization.
TEST_F(DriverWithCards, PowerAndEnergyComeFromTheFirmwareAndItsErrorsPropagate) {
  start(1);
  FakeDevice& f = os.dev(0);
  f.card.power_mw = 205000;
  f.card.energy_mj = 123456789;
  hlthunk::Thunk t(*drv, 1);
  int fd = t.open(0);
  ASSERT_GE(fd, 0);
  hl_power_info p{};
  hl_info_energy e{};
  ASSERT_EQ(t.info(fd, HL_INFO_POWER, &p, sizeof p), 0);
  EXPECT_EQ(p.power, 205000u);
  ASSERT_EQ(t.info(fd, HL_INFO_TOTAL_ENERGY, &e, sizeof e), 0);
  EXPECT_EQ(e.total_energy_consumption, 123456789u);
  EXPECT_EQ(f.cpu_opcodes.back(), uint32_t(GAUDI_CPUCP_TOTAL_ENERGY_GET));
  hl_info_args a{};
  hl_info_device_utilization u{};
  a.op = HL_INFO_DEVICE_UTILIZATION;
  a.period_ms = 100;
  a.return_pointer = reinterpret_cast<uint64_t>(&u);
  a.return_size = sizeof u;
  ASSERT_EQ(t.ioctl(fd, HL_IOCTL_INFO, &a), 0);
  EXPECT_EQ(u.utilization, 50u) << "(205 - 60) W of (350 - 60) W";
  f.refused_opcode = GAUDI_CPUCP_POWER_GET;
  EXPECT_EQ(t.info(fd, HL_INFO_POWER, &p, sizeof p), -EIO);
  EXPECT_EQ(t.ioctl(fd, HL_IOCTL_INFO, &a), -EINVAL);
  f.refused_opcode = GAUDI_CPUCP_TOTAL_ENERGY_GET;
  EXPECT_EQ(t.info(fd, HL_INFO_TOTAL_ENERGY, &e, sizeof e), -EIO);
  f.refused_opcode = ~0u;
  EXPECT_EQ(t.info(fd, HL_INFO_POWER, &p, sizeof p), 0) << "the device is still usable";
}

TEST_F(DriverWithCards, ControlNodeAnswersInfo) {
  start(1);
  hlthunk::Thunk t(*drv, 7);
  int ctl = t.open(0, /*control*/ true);
  ASSERT_GE(ctl, 0);
  uint32_t status = 99;
  EXPECT_EQ(t.device_status(ctl, &status), 0);
  EXPECT_EQ(status, uint32_t(HL_DEVICE_STATUS_OPERATIONAL));
}

TEST_F(DriverWithCards, UnknownInfoOpIsEinval) {
  start(1);
  hlthunk::Thunk t(*drv, 1);
  int fd = t.open(0);
  uint8_t buf[64];
  EXPECT_EQ(t.info(fd, 0x7777, buf, sizeof buf), -EINVAL);
  EXPECT_EQ(t.info(fd, HL_INFO_DEVICE_STATUS, nullptr, 4), -EINVAL);  // nowhere to copy to
  EXPECT_EQ(t.info(fd, HL_INFO_DEVICE_STATUS, buf, 0), -EINVAL);
}

TEST_F(DriverWithCards, UnknownRequestIsEnottyBadFdIsEbadf) {
  start(1);
  int fd = drv->open("/dev/hl0", 1);
  hl_info_args a{};
  EXPECT_EQ(drv->ioctl(fd, _IOWR('H', 0x7E, struct hl_info_args), &a), -ENOTTY);
  EXPECT_EQ(drv->ioctl(fd, _IOWR('Q', 0x01, struct hl_info_args), &a), -ENOTTY);  // not our type
  EXPECT_EQ(drv->ioctl(fd + 100, HL_IOCTL_INFO, &a), -EBADF);
  EXPECT_EQ(drv->ioctl(-1, HL_IOCTL_INFO, &a), -EBADF);
  EXPECT_EQ(drv->ioctl(fd, HL_IOCTL_INFO, nullptr), -EFAULT);
  drv->close(fd);
  EXPECT_EQ(drv->ioctl(fd, HL_IOCTL_INFO, &a), -EBADF);  // closed
}

TEST_F(DriverWithCards, ShortReturnSizeCopiesOnlyThatMuch) {
  start(1);
  hlthunk::Thunk t(*drv, 1);
  int fd = t.open(0);
  std::vector<uint8_t> buf(sizeof(hl_info_hw_ip_info), 0xAB);
  ASSERT_EQ(t.info(fd, HL_INFO_HW_IP_INFO, buf.data(), 8), 0);
  uint64_t sram_base = 0;
  std::memcpy(&sram_base, buf.data(), 8);
  EXPECT_EQ(sram_base, 0x7FF0000000ull + GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START);
  for (size_t i = 8; i < buf.size(); ++i) ASSERT_EQ(buf[i], 0xAB) << "byte " << i << " was written";
}

TEST_F(DriverWithCards, ArgumentIsCopiedInAndOut) {
  start(1);
  int fd = drv->open("/dev/hl0", 1);
  hl_info_device_status s{};
  s.status = 77;
  hl_info_args a{};
  a.op = HL_INFO_DEVICE_STATUS;
  a.return_pointer = uint64_t(uintptr_t(&s));
  a.return_size = sizeof s;
  a.pad = 0x5A5A5A5A;  // Linux: padding must be zero
  EXPECT_EQ(drv->ioctl(fd, HL_IOCTL_INFO, &a), -EINVAL);
  EXPECT_EQ(s.status, 77u);
  EXPECT_EQ(a.pad, 0x5A5A5A5Au);  // the user's struct is unchanged
  a.pad = 0;
  EXPECT_EQ(drv->ioctl(fd, HL_IOCTL_INFO, &a), 0);
  EXPECT_EQ(s.status, uint32_t(HL_DEVICE_STATUS_OPERATIONAL));
  EXPECT_EQ(a.op, uint32_t(HL_INFO_DEVICE_STATUS));
  EXPECT_EQ(a.return_size, uint32_t(sizeof s));
}

// Writes inside a PostedWrites scope reach the device only when something needs them there:
// a read, a use of the os, or the end of the scope; always in order.
TEST(Probe, PostedWritesLandBeforeAReadAndAtTheEndOfTheirScope) {
  FakeOs os;
  FakeDevice& fd = os.add_gaudi();
  DriverParams params;
  HlDriver drv(os, params);
  ASSERT_EQ(drv.init(), 1u);
  HlDevice& d = *drv.devices()[0];
  const uint32_t a = mmPSOC_GLOBAL_CONF_SCRATCHPAD(1), b = mmPSOC_GLOBAL_CONF_SCRATCHPAD(2);
  {
    HlDevice::PostedWrites posted(d);
    d.wreg(a, 1);
    d.wreg(a, 2);  // the later write wins, as on the bus
    EXPECT_EQ(fd.regs[a], 0u) << "collected, not sent yet";
    EXPECT_EQ(d.rreg(a), 2u);
    d.wreg(b, 3);
    EXPECT_EQ(fd.regs[b], 0u);
  }
  EXPECT_EQ(fd.regs[b], 3u);
  d.wreg(b, 4);  // outside a scope: sent at once
  EXPECT_EQ(fd.regs[b], 4u);
}

// The protection words init_security programs, checked against the registers they open, one
// by one: a set bit opens its register to users (GAUDI: bit r of word w is the register at
// page + 4 * (32 * w + r)); the last word (the protection words' own) stays zero.
TEST(Probe, ProtectionWordsOpenExactlyTheUsersRegisters) {
  FakeOs os;
  FakeDevice& fd = os.add_gaudi();
  DriverParams params;
  HlDriver drv(os, params);
  ASSERT_EQ(drv.init(), 1u);
  using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;  // [lo, hi) in the block
  constexpr uint32_t kPage = 0x1000;
  auto check = [&](const char* what, uint32_t block, uint32_t page, const Ranges& open) {
    for (uint32_t w = 0; w < 32; ++w) {
      uint32_t want = 0;
      for (uint32_t r = 0; r < 32; ++r) {
        const uint32_t reg = page + 4 * (32 * w + r);
        for (const auto& o : open)
          if (w < 31 && reg >= o.first && reg < o.second) want |= 1u << r;
      }
      EXPECT_EQ(fd.regs[block + page + GAUDI_PROT_BITS_OFFS + 4 * w], want) << what << " page " << page << " word " << w;
    }
  };
  const Ranges qman = {{GAUDI_QM_CP_FENCE_RDATA(0, 0), GAUDI_QM_CP_STS(0)}, {GAUDI_QM_ARB_CFG_0, GAUDI_QM_ARB_CFG_1 + 4}};
  check("TPC 1 QMAN", GAUDI_BLK_TPC_QM(1), 0, qman);  // the fence counters cross words 6 and 7
  check("DMA 2 core", GAUDI_BLK_DMA_CORE(2), 0, {{GAUDI_DMA_CORE_WR_COMP_WDATA, GAUDI_DMA_CORE_WR_COMP_ADDR_HI + 4}});
  check("DMA 2 core", GAUDI_BLK_DMA_CORE(2), kPage, {});
  check("TPC 0 launch", GAUDI_BLK_TPC_CFG(0), 0, {{GSIM_ENG_DESC_ADDR_LO, GSIM_ENG_KERNELS_FAILED + 4}});
  check("NIC 3 WQE", GSIM_NIC_WQE_BLOCK(3), 0, {{0, kPage}});  // every register but the words
  check("NIC 3 QPC", GSIM_NIC_QPC_BLOCK(3), 0, {});
}

}  // namespace
}  // namespace hl::test
