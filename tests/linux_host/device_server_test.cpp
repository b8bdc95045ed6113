// gaudisim-linux-host against a test master that speaks the UML side of vhost-user virt-pci:
// enumeration facts in config space, BAR sizing, SRAM and register access through BARs,
// MSI messages, and two cards on two sockets. Needs no kernel.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "specs/gaudi/regs.h"
#include "time_travel_client.hpp"
#include "vhost_client.hpp"

namespace {

using gs::test::VhostClient;

class DeviceServer : public ::testing::Test {
 protected:
  void start(unsigned cards, bool time_travel = false) {
    char tmpl[] = "/tmp/gs-vhost-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
    pid_ = fork();
    if (pid_ == 0) {
      std::string n = std::to_string(cards);
      execl(GS_LINUX_HOST_SERVER, GS_LINUX_HOST_SERVER, "--cards", n.c_str(), "--socket-dir", dir_.c_str(),
            time_travel ? "--time-travel" : static_cast<char*>(nullptr), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  std::string sock(unsigned i) const { return dir_ + "/card" + std::to_string(i) + ".sock"; }
  // The server exits once every card it saw has disconnected.
  int finish() {
    int st = 0;
    for (int i = 0; i < 1000; ++i) {
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
      }
      usleep(10000);
    }
    return -1;
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }
  // Sizes and places the three 64-bit BARs and enables memory and bus mastering.
  static void enumerate(VhostClient& c, uint64_t base) {
    // BAR 4: the device server's HBM window (kLinuxHostHbmBarBytes in linux_host/device_server.hpp).
    const uint64_t sizes[3] = {64ull << 20, 128ull << 20, 512ull << 20};
    uint64_t at = base;
    for (unsigned b = 0; b < 3; ++b) {
      uint32_t off = 0x10 + 8 * b;
      c.cfg_write(off, 0xffffffffu);
      uint32_t lo = c.cfg_read(off);
      EXPECT_EQ(lo & 0xf, 0xcu) << "BAR " << 2 * b << ": 64-bit prefetchable memory";
      EXPECT_EQ(~(lo & ~0xfu) + 1, sizes[b]) << "BAR " << 2 * b << " size";
      at = (at + sizes[b] - 1) & ~(sizes[b] - 1);  // BARs are naturally aligned
      c.cfg_write(off, uint32_t(at));
      c.cfg_write(off + 4, uint32_t(at >> 32));
      at += sizes[b];
    }
    c.cfg_write(0x04, 0x6, 2);  // memory space + bus master
  }
  std::string dir_;
  pid_t pid_ = -1;
};

TEST_F(DeviceServer, ConfigSpaceBarsAndSramThroughVirtPci) {
  start(1);
  {
    VhostClient c(sock(0));
    EXPECT_EQ(c.cfg_read(0x00), 0x10001da3u);  // device 0x1000, vendor 0x1da3
    EXPECT_EQ(c.cfg_read(0x00, 2), 0x1da3u);
    EXPECT_EQ(c.cfg_read(0x0b, 1), 0x12u);     // class: processing accelerator
    enumerate(c, 0x40000000);
    const char msg[] = "gaudisim over virt-pci";
    c.mmio_write(0, 0x1000, msg, sizeof msg);
    auto back = c.mmio_read(0, 0x1000, sizeof msg);
    ASSERT_EQ(back.size(), sizeof msg);
    EXPECT_EQ(std::memcmp(back.data(), msg, sizeof msg), 0);
    // The register BAR reaches the PSOC block at CFG_BASE: the boot status is a real value.
    uint32_t boot = c.mmio_read32(2, GAUDI_CFG_BAR_CFG_OFFSET + mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS);
    EXPECT_NE(boot, 0xffffffffu);
  }
  EXPECT_EQ(finish(), 0);
}

TEST_F(DeviceServer, MsiArrivesOnTheInterruptQueue) {
  start(1);
  {
    VhostClient c(sock(0));
    enumerate(c, 0x40000000);
    c.cfg_write(0x54, 0xa0000);         // MSI address, as UML composes it
    c.cfg_write(0x5c, 0x2a, 2);         // MSI data: the guest's interrupt number
    c.cfg_write(0x52, 0x1, 2);          // MSI enable, one vector
    c.mmio_write32(2, GAUDI_CFG_BAR_CFG_OFFSET + mmPCIE_CORE_MSI_REQ, 1);  // raise vector 0
    EXPECT_EQ(c.wait_msi(5000), 0x2a);
  }
  EXPECT_EQ(finish(), 0);
}

TEST_F(DeviceServer, TwoCardsOnTwoSockets) {
  start(2);
  {
    VhostClient a(sock(0)), b(sock(1));
    enumerate(a, 0x40000000);
    enumerate(b, 0x80000000);
    uint32_t x = 0x11111111, y = 0x22222222;
    a.mmio_write(0, 0, &x, 4);
    b.mmio_write(0, 0, &y, 4);
    EXPECT_EQ(a.mmio_read32(0, 0), x);  // each card has its own SRAM
    EXPECT_EQ(b.mmio_read32(0, 0), y);
  }
  EXPECT_EQ(finish(), 0);
}

}  // namespace

namespace {

// ELBI through configuration space, as hl_pci_elbi_read/write do it.
uint32_t elbi(VhostClient& c, uint32_t addr, bool write, uint32_t data = 0) {
  c.cfg_write(0xFFC, 0);
  c.cfg_write(0xFF0, addr);
  if (write) c.cfg_write(0xFF4, data);
  c.cfg_write(0xFF8, write ? 0x80000000u : 0);
  uint32_t sts = c.cfg_read(0xFFC);
  EXPECT_EQ(sts & 0xC0000000u, 0x80000000u) << "ELBI status";
  return write ? sts : c.cfg_read(0xFF4);
}

constexpr uint32_t kCfg32 = uint32_t(GAUDI_CFG_BASE);  // ELBI addresses are 32-bit

TEST_F(DeviceServer, ElbiReachesRegistersAndTheIatuMovesTheHbmBar) {
  start(1);
  {
    VhostClient c(sock(0));
    enumerate(c, 0x40000000);
    uint32_t via_bar = c.mmio_read32(2, GAUDI_CFG_BAR_CFG_OFFSET + mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS);
    EXPECT_EQ(elbi(c, kCfg32 + mmPSOC_GLOBAL_CONF_CPU_BOOT_STATUS, false), via_bar);
    // Put a marker at HBM 0x10000000 through the BAR's reset window (HBM from 0)...
    uint32_t marker = 0x5a5aa5a5;
    c.mmio_write(4, 0x100, &marker, 4);
    ASSERT_EQ(c.mmio_read32(4, 0x100), marker);
    // ...then point inbound region 2 (BAR 4) at HBM 0x10000000 - 0x100... through the iATU,
    // as hl_pci_set_inbound_region does: select the iATU, target, control.
    uint32_t dbi = kCfg32 + GAUDI_BLK_PCIE_DBI, region = 0x100 + 0x200 * 2;
    auto iatu = [&](uint32_t off, uint32_t v) {
      elbi(c, kCfg32 + mmPCIE_AUX_DBI, true, 0x00300000);
      elbi(c, dbi + off, true, v);
    };
    iatu(region + 0x14, 0x100);
    iatu(region + 0x18, 0);
    iatu(region + 0x4, (1u << 31) | (1u << 30) | (1u << 19) | (4u << 8));
    elbi(c, kCfg32 + mmPCIE_AUX_DBI, true, 0x00300000);
    EXPECT_EQ(elbi(c, dbi + region + 0x14, false), 0x100u) << "iATU target reads back";
    elbi(c, kCfg32 + mmPCIE_AUX_DBI, true, 0);
    EXPECT_EQ(c.mmio_read32(4, 0), marker) << "BAR 4 now opens at HBM 0x100";
  }
  EXPECT_EQ(finish(), 0);
}

TEST_F(DeviceServer, PcieCoreMsiRequestRaisesTheSingleMsi) {
  start(1);
  {
    VhostClient c(sock(0));
    enumerate(c, 0x40000000);
    c.cfg_write(0x54, 0xa0000);
    c.cfg_write(0x5c, 7, 2);
    c.cfg_write(0x52, 0x1, 2);
    c.mmio_write32(2, GAUDI_CFG_BAR_CFG_OFFSET + mmPCIE_CORE_MSI_REQ, 1);
    EXPECT_EQ(c.wait_msi(5000), 7);
  }
  EXPECT_EQ(finish(), 0);
}

}  // namespace

// The calendar of UML's time-travel protocol: the START answer carries the two descriptors UML
// reads unconditionally, the time of day is fixed, and a WAIT is granted (RUN) at exactly the
// requested time, which GET then reports: the guest's clock is simulated time.
TEST_F(DeviceServer, TimeTravelCalendarGrantsRequestsInSimulatedTime) {
  start(1, true);
  gs::test::TimeTravelClient tt(dir_ + "/time.sock");
  EXPECT_EQ(tt.start(7), 2u) << "descriptors with the START ack";
  EXPECT_EQ(tt.call(gs::tt::kGetTod), 1767225600ull * 1000000000ull);
  EXPECT_EQ(tt.call(gs::tt::kGet), 0u);
  tt.call(gs::tt::kRequest, 5000000);
  tt.call(gs::tt::kWait);
  gs::tt::Msg run = tt.next();
  EXPECT_EQ(run.op, gs::tt::kRun);
  EXPECT_EQ(run.time, 5000000u);
  tt.ack(run.seq);
  EXPECT_EQ(tt.call(gs::tt::kGet), 5000000u);
  // A later request replaces an earlier one.
  tt.call(gs::tt::kRequest, 9000000);
  tt.call(gs::tt::kRequest, 7000000);
  tt.call(gs::tt::kWait);
  run = tt.next();
  EXPECT_EQ(run.op, gs::tt::kRun);
  EXPECT_EQ(run.time, 7000000u);
  tt.ack(run.seq);
  tt.close();
  EXPECT_EQ(finish(), 0) << "the server ends when its guest leaves the calendar";
}
