// Driver tunables, the analogue of the habanalabs module parameters.
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace hl {

struct DriverParams {
  uint32_t boot_timeout_us = 30000000;  // Linux: the device CPU gets 30 s (GAUDI_CPU_TIMEOUT_USEC)
  uint32_t boot_poll_us = 10000;        // Linux: HL_FW_STATUS_POLL_INTERVAL_USEC, 10 ms
  uint32_t cs_timeout_ms = 5000;     // a CS not done by then is declared hung (timeout_locked)
  bool msi_single_vector = false;    // force the one-vector fallback
  uint32_t heartbeat_ms = 5000;      // Linux: HL_HEARTBEAT_PER_USEC = 5 s
  uint32_t cs_outcome_store = 256;   // outcomes of retired CSs kept for WAIT_CS (assumption)
  uint32_t max_pending_cs = 4096;    // CSs tracked (in flight or finished) before the oldest retires
  uint32_t kernel_cb_slot_bytes = 512;     // checked CB copies up to this size share pages (0: never)
  uint32_t kernel_cb_block_bytes = 4096;   // the pool's blocks of slots

  template <class V> void visit(V& v) {
    v.param("driver.boot_timeout_us", boot_timeout_us, "us", "probe gives up on a device CPU that is not ready by then", gs::Range{1, 1e9});
    v.param("driver.boot_poll_us", boot_poll_us, "us", "period of boot-status polling during probe", gs::Range{1, 1e6});
    v.param("driver.cs_timeout_ms", cs_timeout_ms, "ms", "a command submission not completed by then is hung: the card is reset", gs::Range{1, 1e7});
    v.param("driver.msi_single_vector", msi_single_vector, "", "use one MSI vector for all queues and events (fallback path)");
    v.param("driver.heartbeat_ms", heartbeat_ms, "ms",
            "period of the heartbeat message to the device CPU from the moment the device is operational (Linux driver: 5 s); sent at its time while work is in flight, at the next ioctl when idle; no answer hard-resets the card; 0 = off",
            gs::Range{0, 1e7});
    v.param("driver.max_pending_cs", max_pending_cs, "",
            "command submissions the driver tracks, in flight or finished; past that the oldest finished one retires to the outcome store (Linux: max_pending_cs)",
            gs::Range{2, 1e6});
    v.param("driver.kernel_cb_slot_bytes", kernel_cb_slot_bytes, "B",
            "the driver's checked copies of CBs up to this size (rounded up to 64 B) take a slot of a pool kept for them, reused when their jobs end, so that several share a host page (Linux driver: its CB pool); larger copies get a DMA-coherent buffer each; 0 = no pool (gaudisim assumption)",
            gs::Range{0, 1 << 20});
    v.param("driver.kernel_cb_block_bytes", kernel_cb_block_bytes, "B",
            "DMA-coherent memory the kernel CB pool takes at a time when it has no free slot (at least one slot)",
            gs::Range{64, 1 << 24});
    v.param("driver.cs_outcome_store", cs_outcome_store, "",
            "outcomes (status, completion time) of command submissions that left the driver's list, kept until WAIT_CS reads them; the oldest is lost first (gaudisim assumption)",
            gs::Range{1, 1e6});
  }
};

}  // namespace hl
