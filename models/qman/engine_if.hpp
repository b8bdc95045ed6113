// What a queue manager's lower CP needs from the engine behind it (DMA core, TPC, MME, NIC).
#pragma once
#include <functional>
#include <systemc>

#include "specs/gaudi/packets.h"

namespace gs {

class QmanEngine {
 public:
  virtual ~QmanEngine() = default;
  // Start the engine on a LIN_DMA packet. `done(ok)` is called when the transfer (and its
  // write-completion message, if enabled) has finished. Returns false at once if this
  // engine cannot execute the packet (the QMAN then raises its error event).
  virtual bool start_lin_dma(const packet_lin_dma& pkt, std::function<void(bool ok)> done) = 0;
  // No job running or queued: what an engine barrier (EB) waits for.
  virtual bool idle() const = 0;
  virtual const sc_core::sc_event& idle_event() const = 0;
  // Hard reset: drop queued jobs, stop at once.
  virtual void reset() = 0;
};

}  // namespace gs
