// The ASIC-specific half of the driver, one implementation per chip (only GAUDI here),
// joined to the common device logic through this table of operations.
#pragma once
#include <cstdint>

#include "driver/core/hw_queue.hpp"

namespace hl {

class HlDevice;
struct AsicProps;

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
  // Give back host memory (rings); called once when the device object goes away.
  virtual void free_resources(HlDevice& d) = 0;
  // Interrupt entry for MSI vector `vector`.
  virtual void handle_irq(HlDevice& d, unsigned vector) = 0;
  // Hard reset of the whole card; returns once the device is usable again (or -errno).
  virtual int hard_reset(HlDevice& d) = 0;
  // One heartbeat message to the device CPU: 0 if it answered, else a negative errno.
  virtual int heartbeat(HlDevice& d) = 0;
  // Zero [addr, addr + size) of HBM and wait for it: 0 or a negative errno.
  virtual int scrub_hbm(HlDevice& d, uint64_t addr, uint64_t size) = 0;
  // The card's power sensor now (mW) and its energy counter since power-on (mJ), as the
  // firmware reports them (CPU-CP POWER_GET / TOTAL_ENERGY_GET): 0 or the packet's errno.
  virtual int power_mw(HlDevice& d, uint64_t* mw) = 0;
  virtual int energy_mj(HlDevice& d, uint64_t* mj) = 0;

  // --- queues and command submission ---
  virtual unsigned queue_count() const = 0;
  virtual QueueDesc queue_desc(unsigned qid, const AsicProps& p) const = 0;
  // Bytes the driver appends to every external-queue CB (completion entry + MSI).
  virtual uint32_t end_of_cb_size() const = 0;
  virtual void write_end_of_cb(uint8_t* at, const HwQueue& q, uint32_t slot, bool engine_barrier) = 0;
  virtual void write_pq_entry(HwQueue& q, uint32_t slot, uint64_t cb_addr, uint32_t size) = 0;
  // The completion-queue entry the end of a job in `slot` writes (the driver writes it
  // itself for a job the device dropped).
  virtual uint32_t completion_entry(uint32_t slot) const = 0;
  virtual void ring_doorbell(HlDevice& d, HwQueue& q) = 0;
  // Device address at which the device reaches host bus address `bus`.
  virtual uint64_t host_to_device(uint64_t bus) const = 0;
};

}  // namespace hl
