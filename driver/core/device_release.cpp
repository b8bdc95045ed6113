// Closing the compute context, as Linux's hpriv_release: the context (and so its memory)
// lives while its submissions are in flight, and new opens get EBUSY meanwhile; once they
// finished or were aborted (the watchdog resets a hung card), a device that is still busy
// is hard-reset, and the memory the context could write is scrubbed before anyone else may
// open the device. The previous user's DMA can then never land in the next user's memory.
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

#include "driver/core/hl_device.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/regs.h"

namespace hl {

namespace {
// A QMAN is idle when every PQ fetcher, CQ fetcher and CP reports idle in GLBL_STS0.
constexpr uint32_t kQmIdle = GAUDI_QM_GLBL_PQF_MASK | GAUDI_QM_GLBL_CQF_MASK | GAUDI_QM_GLBL_CP_MASK;
}  // namespace

// Busy engines as the Linux driver finds them: QMAN status, and for DMA the core's status.
uint64_t HlDevice::busy_engines() {
  const AsicProps& p = props_;
  auto qm_busy = [&](uint32_t block) { return (rreg(block + GAUDI_QM_GLBL_STS0) & kQmIdle) != kQmIdle; };
  uint64_t busy = 0;
  for (unsigned n = 0; n < p.dma_channels && n < 8; ++n)
    if (qm_busy(GAUDI_BLK_DMA_QM(n)) || (rreg(GAUDI_BLK_DMA_CORE(n) + GAUDI_DMA_CORE_STS0) & GAUDI_DMA_CORE_STS0_BUSY_MASK))
      busy |= 1ull << (GAUDI_ENGINE_ID_DMA_0 + n);
  for (unsigned m = 0; m < p.mme_engines && m < 2; ++m)  // the masters MME0 and MME2 own the QMANs
    if (qm_busy(GAUDI_BLK_MME_QM(2 * m))) busy |= 1ull << (GAUDI_ENGINE_ID_MME_0 + 2 * m);
  for (unsigned t = 0; t < p.tpc_cores && t < 8; ++t)
    if (qm_busy(GAUDI_BLK_TPC_QM(t))) busy |= 1ull << (GAUDI_ENGINE_ID_TPC_0 + t);
  for (unsigned e = 0; e < p.nic_ports && e < 10; ++e)
    if (qm_busy(GAUDI_BLK_NIC_QM(e))) busy |= 1ull << (GAUDI_ENGINE_ID_NIC_0 + e);
  return busy;
}

void HlDevice::release_compute(int fd) {
  if (compute_owner_ != fd) return;
  nic_->release_all();
  cbs_->release_owner(fd);  // CBs that jobs still use stay until those jobs end
  compute_owner_ = -1;
  compute_pid_ = 0;
  unregister_eventfd();  // the file's eventfd reference goes with it
  stats_.last_open_period_ms = (os_.now_ns() - uint64_t(stats_.last_open_ns)) / 1000000;
  releasing_ = true;
  if (cs_->in_flight()) {
    log(os::LogLevel::warn, "device still in use after its user closed it: the context waits for its CSs");
    release_deferred_ = true;
    release_wq_->notify_all();
    if (!release_started_) {  // the first deferred release: see release_thread
      release_started_ = true;
      os_.spawn_thread("hl" + std::to_string(id_) + "_release", [this] { release_thread(); });
    }
    return;
  }
  finish_release();
}

// The release worker acts only when a user closes with work in flight; a run without such a
// close (nearly all) never needs it, and a SystemC thread is a 1 MiB stack mapping, a guard
// page and a page fault (1,024 of them at 1,024 cards). So the first deferred release makes
// it, and it first waits for that release's wake-up (a delta away; the thread starts in this
// one): it runs exactly when a worker made at the probe, waiting since, would have.
void HlDevice::release_thread() {
  for (;;) {
    do release_wq_->wait(os::kWaitForever);
    while (!release_deferred_);
    cs_->wait_idle();
    finish_release();
  }
}

void HlDevice::finish_release() {
  { DeviceLock g(*lock_); }  // a hard reset under way (the watchdog's) holds the lock: let it finish
  if (status_ == DeviceStatus::operational) {
    if (uint64_t busy = busy_engines()) {
      char msg[96];
      std::snprintf(msg, sizeof msg, "device not idle after the user context closed (busy engines 0x%llx)",
                    static_cast<unsigned long long>(busy));
      hard_reset(msg);
    }
  }
  {
    DeviceLock g(*lock_);
    cs_->end_context();  // reserved signals' objects are closed to users again
  }
  if (status_ == DeviceStatus::operational && ctx_mem_) {
    // HBM through the memory controller's scrubber, SRAM with a driver DMA memset.
    std::vector<std::pair<uint64_t, uint64_t>> dma;
    for (const auto& r : ctx_mem_->scrub_ranges()) {
      if (r.first + r.second > props_.hbm_bytes) {
        dma.push_back(r);
      } else if (int rc = asic_->scrub_hbm(*this, r.first, r.second)) {
        log(os::LogLevel::error, "scrubbing the closed context's HBM failed (" + std::string(errno_name(rc)) + ")");
      }
    }
    int64_t seq;
    {
      DeviceLock g(*lock_);
      seq = cs_->submit_scrub(dma);
    }
    uint32_t status = 0, flags = 0;
    int64_t ts = 0;
    int rc = seq > 0 ? cs_->wait(uint64_t(seq), UINT64_MAX, &status, &flags, &ts) : int(seq);  // the watchdog bounds it
    if (rc || (seq > 0 && status != HL_WAIT_CS_STATUS_COMPLETED))
      log(os::LogLevel::error, "scrubbing the closed context's memory failed (" + std::string(errno_name(rc)) + ")");
  }
  ctx_mem_.reset();
  releasing_ = false;
  release_deferred_ = false;
}

}  // namespace hl
