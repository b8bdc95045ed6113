// The ASIC-specific half of the driver, one implementation per chip (only GAUDI here),
// joined to the common device logic through this table of operations.
#pragma once
#include <cstdint>

namespace hl {

class HlDevice;

class Asic {
 public:
  virtual ~Asic() = default;
  virtual const char* name() const = 0;
  // Map BARs, enable the device on the bus. Returns 0 or a negative errno.
  virtual int early_init(HlDevice& d) = 0;
  // Wait for firmware, read the card description. Returns 0 or a negative errno.
  virtual int late_init(HlDevice& d) = 0;
  // Interrupts, queues, engines. Returns 0 or a negative errno.
  virtual int hw_init(HlDevice& d) = 0;
  virtual void fini(HlDevice& d) = 0;
  // Interrupt entry for MSI vector `vector`.
  virtual void handle_irq(HlDevice& d, unsigned vector) = 0;
};

}  // namespace hl
