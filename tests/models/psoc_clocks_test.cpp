// The PSOC clocks the upstream driver reads: the CPU PLL's registers decode (with the
// driver's formula) to the timestamp frequency, and the timestamp counter counts simulated
// time at it while enabled, holds while disabled, takes the value written, and clears on
// reset.
#include <gtest/gtest.h>

#include "models/cpu/psoc_clocks.hpp"
#include "specs/gaudi/regs.h"

namespace gs::test {
namespace {

using sc_core::sc_time;
using sc_core::SC_US;
using sc_core::SC_ZERO_TIME;

uint32_t rd(RegBank& b, uint32_t off) {
  uint32_t v = 0;
  sc_time d = SC_ZERO_TIME;
  EXPECT_EQ(bus_access(b, tlm::TLM_READ_COMMAND, off, &v, 4, d), tlm::TLM_OK_RESPONSE);
  return v;
}
void wr(RegBank& b, uint32_t off, uint32_t v) {
  sc_time d = SC_ZERO_TIME;
  EXPECT_EQ(bus_access(b, tlm::TLM_WRITE_COMMAND, off, &v, 4, d), tlm::TLM_OK_RESPONSE);
}

TEST(PsocClocks, PllDecodesAndTimestampCounts) {
  PsocClocks c("psoc", SC_ZERO_TIME, 1000);
  RegBank& pll = c.pll_regs();
  auto p = [&](uint32_t reg) { return rd(pll, reg - GAUDI_BLK_PSOC_CPU_PLL); };
  // The driver's decoding: ref * (NF + 1) / ((NR + 1) * (OD + 1)) is the CPU clock.
  EXPECT_EQ(GAUDI_PLL_REF_CLK_MHZ * (p(mmPSOC_CPU_PLL_NF) + 1) / ((p(mmPSOC_CPU_PLL_NR) + 1) * (p(mmPSOC_CPU_PLL_OD) + 1)),
            1000u);
  EXPECT_EQ(p(mmPSOC_CPU_PLL_DIV_SEL_2), GAUDI_PLL_DIV_SEL_REF_CLK);
  EXPECT_DOUBLE_EQ(c.timestamp_mhz(), 50.0);

  RegBank& ts = c.timestamp_regs();
  auto t = [&](uint32_t reg) { return reg - GAUDI_BLK_PSOC_TIMESTAMP; };
  EXPECT_EQ(rd(ts, t(mmPSOC_TIMESTAMP_CNTFID0)), 50000000u);
  sc_core::sc_start(sc_time(10, SC_US));
  EXPECT_EQ(c.counter(), 0u) << "stopped until enabled";
  wr(ts, t(mmPSOC_TIMESTAMP_CNTCR), 1);
  sc_core::sc_start(sc_time(10, SC_US));
  EXPECT_EQ(rd(ts, t(mmPSOC_TIMESTAMP_CNTCVL)), 500u) << "10 us at 50 MHz";
  EXPECT_EQ(rd(ts, t(mmPSOC_TIMESTAMP_CNTCVU)), 0u);
  wr(ts, t(mmPSOC_TIMESTAMP_CNTCR), 0);
  sc_core::sc_start(sc_time(10, SC_US));
  EXPECT_EQ(c.counter(), 500u) << "holds while disabled";
  wr(ts, t(mmPSOC_TIMESTAMP_CNTCVU), 2);
  wr(ts, t(mmPSOC_TIMESTAMP_CNTCVL), 7);
  EXPECT_EQ(c.counter(), (2ull << 32) + 7);
  wr(ts, t(mmPSOC_TIMESTAMP_CNTCR), 1);
  sc_core::sc_start(sc_time(2, SC_US));
  EXPECT_EQ(c.counter(), (2ull << 32) + 107);
  c.reset();
  EXPECT_EQ(c.counter(), 0u);
  EXPECT_EQ(rd(ts, t(mmPSOC_TIMESTAMP_CNTCR)), 0u);
}

}  // namespace
}  // namespace gs::test
