// GAUDI's operations: bring-up order and the chip-specific details of the device.
#pragma once
#include "driver/core/asic.hpp"

namespace hl {

class GaudiAsic : public Asic {
 public:
  const char* name() const override { return "GAUDI"; }
  int early_init(HlDevice& d) override;
  int late_init(HlDevice& d) override;
  int hw_init(HlDevice& d) override;
  void fini(HlDevice& d) override;
  void handle_irq(HlDevice& d, unsigned vector) override;

 private:
  int wait_for_firmware(HlDevice& d);
  int read_card_info(HlDevice& d);
  bool msi_enabled_ = false;
};

}  // namespace hl
