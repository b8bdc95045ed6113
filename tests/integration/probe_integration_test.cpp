// The whole stack in one process: cards on the simulated PCI bus, the real driver probing
// them through SimOs, user processes calling the uAPI through the thunk. Each test case is
// its own process (CTest), so each may elaborate one system.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

#include "driver/lib/thunk.hpp"
#include "integration_helpers.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;

constexpr uint64_t kGiB = 1ull << 30, kMiB = 1ull << 20;

// True if one log line holds every one of `parts`.
bool has_line(const Logger& log, std::initializer_list<const char*> parts) {
  for (const auto& l : log.lines()) {
    bool all = true;
    for (const char* p : parts) all = all && l.find(p) != std::string::npos;
    if (all) return true;
  }
  return false;
}

void expect_card_up(const InfoWorkload::Row& r, unsigned i, const SimParams& p) {
  SCOPED_TRACE("card " + std::to_string(i));
  EXPECT_EQ(r.index, i);
  EXPECT_EQ(r.host, 0u);
  char pci[16];
  std::snprintf(pci, sizeof pci, "0000:%02x:00.0", i + 1);
  EXPECT_EQ(r.pci, pci);
  EXPECT_EQ(r.vendor_id, 0x1da3u);
  EXPECT_EQ(r.device_id, 0x1000u);
  EXPECT_EQ(r.hbm_bytes, p.card.hbm_bytes);
  EXPECT_EQ(r.sram_bytes, p.card.sram_bytes);
  EXPECT_EQ(r.user_dram_bytes, p.card.hbm_bytes - 512 * kMiB);
  EXPECT_EQ(r.tpc, p.card.tpc_cores);
  EXPECT_EQ(r.mme, p.card.mme_engines);
  EXPECT_EQ(r.dma, p.card.dma_channels);
  EXPECT_EQ(r.nic_ports, p.card.nic_ports);
  EXPECT_EQ(r.msi_vectors, 32u);
  EXPECT_EQ(r.serial, p.card.serial_base + i);
  EXPECT_EQ(r.status, "up");
}

TEST(ProbeIntegration, EightCardsProbeAndReportUp) {
  InfoRun run;
  run.run();
  EXPECT_TRUE(run.finished);
  EXPECT_EQ(run.rc, 0);
  ASSERT_EQ(run.rows().size(), 8u);
  for (unsigned i = 0; i < 8; ++i) expect_card_up(run.rows()[i], i, run.params);
  EXPECT_EQ(run.params.card.hbm_bytes, 32 * kGiB);
  EXPECT_EQ(run.params.card.sram_bytes, 20 * kMiB);
  EXPECT_THAT(run.table, HasSubstr("8 of 8 cards up"));
  ASSERT_EQ(run.record["results"].size(), 8u);
  EXPECT_EQ(run.record["results"][7]["status"], "up");
  // The first probe waits for the device CPU's firmware; nobody waits forever.
  EXPECT_GE(run.rows()[0].probe_us, run.params.card.boot_us);
  for (const auto& r : run.rows()) EXPECT_LT(r.probe_us, run.params.driver.boot_timeout_us);
  // The driver saw every card on the bus and spoke to it over MMIO.
  Host& h = *run.sys->hosts()[0];
  EXPECT_EQ(h.driver().devices().size(), 8u);
  EXPECT_GT(h.rc().mmio_reads(), 8u * 15);
  EXPECT_FALSE(run.sys->logger().contains(" error: ")) << "an error was logged";
}

TEST(ProbeIntegration, TopologyCardsTwoGivesTwoCards) {
  InfoRun run;
  run.params.topology.cards = 2;
  run.run();
  EXPECT_EQ(run.rc, 0);
  ASSERT_EQ(run.rows().size(), 2u);
  for (unsigned i = 0; i < 2; ++i) expect_card_up(run.rows()[i], i, run.params);
  EXPECT_EQ(run.sys->cards().size(), 2u);
  EXPECT_THAT(run.table, HasSubstr("2 of 2 cards up"));
}

TEST(ProbeIntegration, CardWhoseFirmwareNeverBootsFailsAloneAfterTheTimeout) {
  InfoRun run;
  run.params.card.no_boot_cards = "3";
  run.run();
  EXPECT_TRUE(run.finished);
  ASSERT_EQ(run.rows().size(), 8u);
  const auto& bad = run.rows()[3];
  EXPECT_THAT(bad.status, HasSubstr("device CPU not ready"));
  EXPECT_THAT(bad.status, HasSubstr("in preboot"));
  EXPECT_GE(bad.probe_us, double(run.params.driver.boot_timeout_us));
  EXPECT_LT(bad.probe_us, run.params.driver.boot_timeout_us + 2.0 * run.params.driver.boot_poll_us);
  for (unsigned i = 0; i < 8; ++i)
    if (i != 3) expect_card_up(run.rows()[i], i, run.params);
  EXPECT_THAT(run.table, HasSubstr("7 of 8 cards up"));
  EXPECT_EQ(run.rc, 1);  // reported, and the run fails: a card is down
  EXPECT_TRUE(has_line(run.sys->logger(), {"error", "habanalabs hl3 0000:04:00.0", "probe failed",
                                            "device CPU not ready"}))
      << "no error line for card 3";
  EXPECT_EQ(run.sys->hosts()[0]->driver().devices()[3]->status(), hl::DeviceStatus::malfunction);
}

TEST(ProbeIntegration, UserProcessQueriesInfoThroughTheThunk) {
  InfoRun run;
  run.params.topology.cards = 2;
  run.build();
  Host& h = *run.sys->hosts()[0];
  bool ready_when_started = false;
  int fd = -1, rc = -1;
  uint32_t status = 99;
  hl_info_hw_ip_info hw{};
  sc_core::sc_time t_info;
  h.spawn_process("user", [&] {
    ready_when_started = h.driver_ready();
    hlthunk::Thunk t(h.driver(), 4242);
    fd = t.open(1);
    rc = t.hw_ip_info(fd, &hw);
    t.device_status(fd, &status);
    t_info = sc_core::sc_time_stamp();
    t.close(fd);
  });
  EXPECT_TRUE(run.sys->run());
  EXPECT_TRUE(ready_when_started);  // user processes start once the driver has probed
  ASSERT_GE(fd, 0);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(hw.device_id, 0x1000u);
  EXPECT_EQ(hw.module_id, 1u);
  EXPECT_EQ(hw.dram_size, run.params.card.hbm_bytes - 512 * kMiB);
  EXPECT_EQ(status, uint32_t(HL_DEVICE_STATUS_OPERATIONAL));
  // The process ran after the first card's firmware boot, in simulated time.
  EXPECT_GE(t_info, sc_core::sc_time(run.params.card.boot_us, sc_core::SC_US));
}

TEST(ProbeIntegration, SecondComputeOpenFromAnotherProcessIsBusy) {
  InfoRun run;
  run.params.topology.cards = 1;
  run.build();
  Host& h = *run.sys->hosts()[0];
  int a = -1, b_busy = 0, b_ctl = -1, b_later = -1, a_close = -1;
  h.spawn_process("owner", [&] {
    hlthunk::Thunk t(h.driver(), 100);
    a = t.open(0);
    sc_core::wait(50, sc_core::SC_US);
    a_close = t.close(a);
  });
  h.spawn_process("intruder", [&] {
    hlthunk::Thunk t(h.driver(), 200);
    sc_core::wait(10, sc_core::SC_US);
    b_busy = t.open(0);
    b_ctl = t.open(0, /*control*/ true);
    sc_core::wait(100, sc_core::SC_US);
    b_later = t.open(0);
  });
  EXPECT_TRUE(run.sys->run());
  EXPECT_GE(a, 0);
  EXPECT_EQ(b_busy, -EBUSY);
  EXPECT_GE(b_ctl, 0);      // the control node is not exclusive
  EXPECT_EQ(a_close, 0);
  EXPECT_GE(b_later, 0);    // free again once the owner closed
  EXPECT_TRUE(run.sys->logger().contains("already has a compute user (pid 100)"));
}

// The driver's picture of a card is what the card's firmware answers on the CPU queue (CPU-CP
// INFO_GET, NIC_INFO_GET, EEPROM_DATA_GET, FREQUENCY_GET): change the card, and the user sees
// the change through INFO; there is no other place the driver could have read it.
TEST(ProbeIntegration, TheDriverSeesTheCardItsFirmwareDescribes) {
  InfoRun run;
  run.params.topology.cards = 2;
  run.params.card.hbm_bytes = 16 * kGiB;
  run.params.card.sram_bytes = 8 * kMiB;
  run.params.card.name = "HL-TEST";
  run.params.card.tpc_cores = 5;
  run.params.card.mme_engines = 1;
  run.params.card.dma_channels = 6;
  run.params.card.nic_ports = 4;
  run.params.card.tpc_clock_mhz = 1500;
  run.params.card.serial_base = 0x1234000;
  run.build();
  Host& h = *run.sys->hosts()[0];
  const uint64_t fw_messages_before = run.sys->cards()[1]->cpu().messages_served();
  int rc = -1, rc_clk = -1;
  hl_info_hw_ip_info hw{};
  hl_info_clk_rate clk{};
  h.spawn_process("user", [&] {
    hlthunk::Thunk t(h.driver(), 4242);
    int fd = t.open(1);
    rc = t.hw_ip_info(fd, &hw);
    rc_clk = t.info(fd, HL_INFO_CLK_RATE, &clk, sizeof clk);
    t.close(fd);
  });
  run.run();
  EXPECT_EQ(run.rc, 0) << run.table;
  ASSERT_EQ(run.rows().size(), 2u);
  for (unsigned i = 0; i < 2; ++i) expect_card_up(run.rows()[i], i, run.params);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(hw.card_name)), "HL-TEST");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(hw.cpucp_version)), "gaudisim-cpucp 1.0");
  EXPECT_EQ(hw.module_id, 1u) << "cpucp_info card_location";
  EXPECT_EQ(hw.dram_size, 16 * kGiB - 512 * kMiB);
  EXPECT_EQ(hw.sram_size, 8 * kMiB - GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START);
  EXPECT_EQ(hw.tpc_enabled_mask, 0x1Fu);
  EXPECT_EQ(rc_clk, 0);
  EXPECT_EQ(clk.cur_clk_rate_mhz, 1500u);
  EXPECT_EQ(run.sys->hosts()[0]->driver().devices()[1]->props().serial, 0x1234001u);
  EXPECT_GE(run.sys->cards()[1]->cpu().messages_served() - fw_messages_before, 7u)
      << "INFO, NIC_INFO, EEPROM, three clocks and the power limit";
}

// A firmware that boots and takes the queues but answers no packet: INFO_GET times out, the
// probe of that card fails with Linux's errno, the other card is unaffected.
TEST(ProbeIntegration, CardWhoseFirmwareDoesNotAnswerInfoGetFailsWithEtimedout) {
  InfoRun run;
  run.params.topology.cards = 2;
  run.build();
  run.sys->cards()[1]->cpu().hang();
  run.run();
  ASSERT_EQ(run.rows().size(), 2u);
  expect_card_up(run.rows()[0], 0, run.params);
  EXPECT_THAT(run.rows()[1].status, HasSubstr("INFO_GET"));
  EXPECT_EQ(run.rc, 1);
  EXPECT_TRUE(has_line(run.sys->logger(), {"error", "habanalabs hl1", "probe failed (-ETIMEDOUT)", "INFO_GET"}));
  EXPECT_EQ(run.sys->hosts()[0]->driver().devices()[1]->status(), hl::DeviceStatus::malfunction);
}

}  // namespace
}  // namespace gs::test
