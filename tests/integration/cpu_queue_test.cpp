// Driver -> firmware messages on the CPU queue, served by the device CPU model.
#include <cerrno>

#include "cs_harness.hpp"
#include "driver/gaudi/gaudi_asic.hpp"
#include "specs/gaudi/sim_blocks.h"

namespace gs::test {
namespace {

TEST(CpuQueue, FirmwareAnswersMessagesAndRefusesUnknownOnes) {
  CsWorld w;
  int nop = 1, bad = 1, after_reset = 1;
  double nop_us = 0;
  uint64_t at_start = 0;
  w.run([&](hlthunk::Thunk&, int) {
    auto& asic = dynamic_cast<hl::GaudiAsic&>(w.device().asic());
    uint64_t v = 0;
    at_start = w.card().cpu().messages_served();  // probe's NIC bring-up talks to the firmware too
    double t0 = sc_core::sc_time_stamp().to_seconds();
    nop = asic.send_cpu_message(w.device(), GSIM_CPU_OP_NOP, 0, &v);
    nop_us = (sc_core::sc_time_stamp().to_seconds() - t0) * 1e6;
    bad = asic.send_cpu_message(w.device(), 0x7777, 0, &v);
    w.device().hard_reset("test");
    after_reset = asic.send_cpu_message(w.device(), GSIM_CPU_OP_NOP, 0, &v);
  });
  EXPECT_EQ(nop, 0);
  EXPECT_EQ(bad, -EINVAL);
  EXPECT_EQ(after_reset, 0) << "the driver sets the CPU queue up again after a reset";
  EXPECT_GE(nop_us, w.params.card.cpu_msg_ns / 1000.0);  // the firmware's time is charged
  // NOP, the refused one; after the reset the card's description again (INFO_GET, NIC_INFO_GET,
  // EEPROM_DATA_GET, 3 x FREQUENCY_GET, MAX_POWER_GET, as Linux asks again) and the NIC
  // bring-up (enable + link status); NOP.
  EXPECT_EQ(w.card().cpu().messages_served(), at_start + 12u);
}

}  // namespace
}  // namespace gs::test
