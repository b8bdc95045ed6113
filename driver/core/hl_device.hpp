// One device the driver manages: its lifecycle (probe, reset, remove), register access
// through the configuration BAR, its queues, command buffers and submissions, the compute
// context of its one user, and the event counters.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "driver/core/asic.hpp"
#include "driver/core/asic_props.hpp"
#include "driver/core/cb_manager.hpp"
#include "driver/core/cs_manager.hpp"
#include "driver/core/device_stats.hpp"
#include "driver/core/driver_params.hpp"
#include "driver/core/event_counts.hpp"
#include "driver/core/memory_manager.hpp"
#include "driver/core/nic_manager.hpp"
#include "driver/os/os.hpp"

namespace hl {

// Values follow the uAPI's HL_DEVICE_STATUS_*.
enum class DeviceStatus : uint32_t { operational = 0, in_reset = 1, malfunction = 2, needs_reset = 3, in_creation = 4 };
const char* to_string(DeviceStatus s);
const char* errno_name(int negative_errno);

class HlDevice {
 public:
  HlDevice(os::Os& os, const DriverParams& params, unsigned pci_dev, unsigned id, std::unique_ptr<Asic> asic);
  ~HlDevice();

  // Bring the device up. 0 on success; on failure a negative errno, status malfunction and
  // probe_error() says why.
  int probe();
  void remove();
  // Hard reset (the only reset GAUDI has): aborts every CS in flight, resets the card,
  // waits for firmware and sets the queues up again. `why` goes to the log.
  int hard_reset(const std::string& why, uint64_t timed_out_seq = 0);
  // From interrupt context (the device lock held): the watchdog thread resets the card.
  void request_hard_reset(const std::string& why);
  const std::string& last_reset_reason() const { return last_reset_reason_; }
  uint32_t heartbeat_failures() const { return heartbeat_failures_; }
  uint64_t heartbeats_sent() const { return heartbeats_; }
  // Work was submitted or finished: the heartbeat re-checks whether it has to run.
  void kick_heartbeat() { hb_wq_->notify_all(); }
  // Called on every ioctl: a heartbeat Linux would have sent while this device had no work
  // in flight (its 5 s schedule runs always) is sent now, before the request is served.
  void catch_up_heartbeat();
  bool work_in_flight() const;

  // Configuration registers: offsets relative to CFG_BASE, through BAR 2.
  uint32_t rreg(uint32_t offset);
  void wreg(uint32_t offset, uint32_t value);
  // wreg of values[k] to offset + 4 k, k < n, in that order (a page's protection words).
  void wreg_block(uint32_t offset, const uint32_t* values, size_t n);
  // While a PostedWrites scope is open, wreg only collects its writes; the next rreg, use of
  // os() or the end of the scope sends them, in order, as one os call (mmio_write32_posted).
  // For the bring-up tables: thousands of writes that nothing reads in between.
  class PostedWrites {
   public:
    explicit PostedWrites(HlDevice& d) : d_(d) { ++d_.posted_depth_; }
    ~PostedWrites() {
      if (--d_.posted_depth_ == 0) d_.flush_posted();
    }
    PostedWrites(const PostedWrites&) = delete;
    PostedWrites& operator=(const PostedWrites&) = delete;

   private:
    HlDevice& d_;
  };

  os::Os& os() {
    flush_posted();
    return os_;
  }
  const DriverParams& params() const { return params_; }
  unsigned pci_dev() const { return pci_dev_; }
  unsigned id() const { return id_; }
  const std::string& pci_name() const { return pci_name_; }
  AsicProps& props() { return props_; }
  Asic& asic() { return *asic_; }
  DeviceStatus status() const { return status_; }
  void set_status(DeviceStatus s) { status_ = s; }
  const std::string& probe_error() const { return probe_error_; }
  uint64_t probe_ns() const { return probe_ns_; }

  void log(os::LogLevel lvl, const std::string& msg);
  // A trace event on this device's track `track` ("hl0 <track>"), from begin_ns to now.
  void trace_span(const std::string& track, const char* what, uint64_t begin_ns);
  int fail(int err, const std::string& why);  // records and logs a probe failure

  // Compute context: one opener at a time (the uAPI's "one user" rule). Claiming creates
  // the context's memory manager. Releasing (close) keeps the context and its memory while
  // its submissions are in flight (new opens are refused meanwhile); then a device that is
  // not idle is hard-reset, the memory the context could write is scrubbed, and the
  // context is gone (device_release.cpp).
  bool claim_compute(int fd, int pid);
  // The compute user's eventfd (INFO REGISTER_EVENTFD): signalled whenever notifier events
  // are raised for it. 0 or a negative errno (EINVAL: one is registered already / none is).
  int register_eventfd(int program_fd);
  int unregister_eventfd();
  void release_compute(int fd);
  bool releasing() const { return releasing_; }
  // Engines whose QMAN or DMA core is busy, as bits of GAUDI_ENGINE_ID_* (HW_IDLE).
  uint64_t busy_engines();
  int compute_owner() const { return compute_owner_; }
  int compute_pid() const { return compute_pid_; }
  MemoryManager* context_memory() { return ctx_mem_.get(); }

  CbManager& cbs() { return *cbs_; }
  CsManager& cs() { return *cs_; }
  NicManager& nic() { return *nic_; }
  os::Mutex& lock() { return *lock_; }

  uint32_t hard_resets() const { return hard_resets_; }
  uint64_t irq_count() const { return irq_count_; }
  void count_irq() { ++irq_count_; }
  // Device events since the last hard reset, and since driver load.
  const EventCounts& events() const { return events_; }
  const EventCounts& events_aggregate() const { return events_aggregate_; }
  void count_event(unsigned type);
  // Open statistics, captured errors and notifier events for INFO (device_stats.hpp).
  DeviceStats& stats() { return stats_; }
  // Records an error for INFO (the first of its kind since the last open) with its
  // HL_NOTIFIER_EVENT_* bits; `e.timestamp_ns` is filled in here.
  void capture_error(CapturedError DeviceStats::*slot, CapturedError e, uint64_t events);

 private:
  void tdr_thread();
  void release_thread();   // finishes releases deferred by work in flight
  void finish_release();   // idle check or reset, scrub, context gone
  void heartbeat_thread();
  void beat();  // one heartbeat on the schedule; no answer: hard reset
  void flush_posted();
  void take_spare_batch();  // posted_ reuses a finished batch's storage, if there is one
  void restart_heartbeat_schedule() { next_beat_ns_ = os_.now_ns() + uint64_t(params_.heartbeat_ms) * 1'000'000; }

  os::Os& os_;
  unsigned posted_depth_ = 0;
  std::vector<os::MmioWrite32> posted_;  // collected by wreg inside a PostedWrites scope
  const DriverParams& params_;
  unsigned pci_dev_, id_;
  std::string pci_name_;
  std::unique_ptr<Asic> asic_;
  AsicProps props_;
  DeviceStatus status_ = DeviceStatus::in_creation;
  std::string probe_error_;
  uint64_t probe_ns_ = 0;
  int compute_owner_ = -1, compute_pid_ = 0;
  std::unique_ptr<MemoryManager> ctx_mem_;
  std::unique_ptr<CbManager> cbs_;
  std::unique_ptr<CsManager> cs_;
  std::unique_ptr<NicManager> nic_;
  std::unique_ptr<os::Mutex> lock_;
  uint64_t irq_count_ = 0;
  uint32_t hard_resets_ = 0;
  EventCounts events_, events_aggregate_;
  int user_eventfd_ = -1;  // os::Os::eventfd_get handle of the compute user
  DeviceStats stats_;
  bool probed_ = false;
  bool releasing_ = false, release_deferred_ = false;
  bool release_started_ = false;  // the release worker is made by the first deferred release
  std::unique_ptr<os::WaitQueue> release_wq_;
  std::string reset_request_, last_reset_reason_;
  uint32_t heartbeat_failures_ = 0;
  uint64_t heartbeats_ = 0;
  uint64_t next_beat_ns_ = 0;  // Linux's schedule: every heartbeat_ms from operational
  bool beating_ = false;
  std::unique_ptr<os::WaitQueue> hb_wq_;  // wakes the heartbeat when a user comes or goes
};

// Holds the device lock for a scope.
using DeviceLock = os::LockGuard;

}  // namespace hl
