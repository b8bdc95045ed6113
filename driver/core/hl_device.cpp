#include "driver/core/hl_device.hpp"

#include <cerrno>

#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/events.h"
#include "specs/gaudi/regs.h"

namespace hl {

const char* to_string(DeviceStatus s) {
  switch (s) {
    case DeviceStatus::operational: return "operational";
    case DeviceStatus::in_reset: return "in reset";
    case DeviceStatus::malfunction: return "malfunction";
    case DeviceStatus::needs_reset: return "needs reset";
    case DeviceStatus::in_creation: return "in creation";
  }
  return "unknown";
}

const char* errno_name(int e) {
  switch (-e) {
    case ETIMEDOUT: return "ETIMEDOUT";
    case ENODEV: return "ENODEV";
    case EIO: return "EIO";
    case ENOMEM: return "ENOMEM";
    case EINVAL: return "EINVAL";
    case EBUSY: return "EBUSY";
    case ENOSPC: return "ENOSPC";
  }
  return "error";
}

HlDevice::HlDevice(os::Os& os, const DriverParams& params, unsigned pci_dev, unsigned id,
                   std::unique_ptr<Asic> asic)
    : os_(os), params_(params), pci_dev_(pci_dev), id_(id), pci_name_(os.pci_name(pci_dev)),
      asic_(std::move(asic)), cbs_(std::make_unique<CbManager>(os)), lock_(os.make_mutex()),
      events_(GAUDI_EVENT_SIZE), events_aggregate_(GAUDI_EVENT_SIZE), release_wq_(os.make_wait_queue()) {
  cs_ = std::make_unique<CsManager>(*this);
  hb_wq_ = os.make_wait_queue();
  nic_ = std::make_unique<NicManager>(*this);
}

HlDevice::~HlDevice() {
  if (user_eventfd_ >= 0) os_.eventfd_put(user_eventfd_);  // a user still open at teardown
  nic_.reset();
  asic_->free_resources(*this);  // rings live in the queues the CS manager owns
  cs_.reset();                   // jobs hold CB references: they go before the CBs
}

void HlDevice::log(os::LogLevel lvl, const std::string& msg) {
  os().log(lvl, "habanalabs hl" + std::to_string(id_) + " " + pci_name_ + ": " + msg);
}

void HlDevice::trace_span(const std::string& track, const char* what, uint64_t begin_ns) {
  if (os().tracing()) os_.trace_span("hl" + std::to_string(id_) + " " + track, what, begin_ns, os_.now_ns());
}

int HlDevice::fail(int err, const std::string& why) {
  probe_error_ = why;
  status_ = DeviceStatus::malfunction;
  log(os::LogLevel::error, std::string("probe failed (-") + errno_name(err) + "): " + why);
  return err;
}

void HlDevice::count_event(unsigned type) {
  events_.count(type);
  events_aggregate_.count(type);
}

int HlDevice::probe() {
  uint64_t t0 = os_.now_ns();
  status_ = DeviceStatus::in_creation;
  int rc = asic_->early_init(*this);
  if (!rc) rc = asic_->late_init(*this);
  if (!rc) rc = asic_->hw_init(*this);
  probe_ns_ = os_.now_ns() - t0;
  if (rc) {
    asic_->fini(*this);
    return rc;
  }
  probed_ = true;
  status_ = DeviceStatus::operational;
  restart_heartbeat_schedule();
  os_.spawn_thread("hl" + std::to_string(id_) + "_tdr", [this] { tdr_thread(); });
  if (params_.heartbeat_ms) os_.spawn_thread("hl" + std::to_string(id_) + "_heartbeat", [this] { heartbeat_thread(); });
  log(os::LogLevel::info, "probed in " + std::to_string(probe_ns_ / 1000) + " us");
  return 0;
}

void HlDevice::remove() {
  if (!probed_) return;
  asic_->fini(*this);
  probed_ = false;
  status_ = DeviceStatus::in_creation;
}

// The watchdog: a CS still in flight at its deadline means a hung queue; GAUDI can only
// recover by a hard reset of the whole card.
void HlDevice::tdr_thread() {
  for (;;) {
    uint64_t seq = cs_->watch();
    if (seq) {
      hard_reset("CS " + std::to_string(seq) + " did not complete within its timeout", seq);
    } else if (!reset_request_.empty()) {
      std::string why;
      why.swap(reset_request_);
      hard_reset(why);
    }
  }
}

void HlDevice::request_hard_reset(const std::string& why) {
  if (reset_request_.empty()) reset_request_ = why;
  cs_->kick_watchdog();
}

bool HlDevice::work_in_flight() const {
  for (const auto& kv : cs_->submissions())
    if (kv.second->state == CsState::in_flight) return true;
  return false;
}

// The heartbeat. Linux sends it every driver.heartbeat_ms from the moment the device is
// operational, busy or idle; a CPU that does not answer is dead (it would not report the
// errors of the work either), and only a hard reset, which reboots it, brings the card back.
// gaudisim keeps that schedule, but a thread that woke every period on an idle device would
// keep the simulation from ever ending: while work is in flight the thread sends each
// heartbeat at its time; while there is none it sleeps, and the heartbeats that fell due
// meanwhile are sent at the next ioctl (catch_up_heartbeat), before the request is served,
// so a CPU that died while the device was idle is found before the user's next work needs it.
void HlDevice::heartbeat_thread() {
  for (;;) {
    if (!work_in_flight() || status_ != DeviceStatus::operational) {
      hb_wq_->wait(os::kWaitForever);
      continue;
    }
    const uint64_t now = os_.now_ns();
    if (now < next_beat_ns_) {
      hb_wq_->wait(next_beat_ns_ - now);  // or a kick: re-check what is in flight
      continue;
    }
    beat();
  }
}

void HlDevice::catch_up_heartbeat() {
  if (params_.heartbeat_ms && status_ == DeviceStatus::operational && os_.now_ns() >= next_beat_ns_) beat();
}

void HlDevice::beat() {
  if (beating_) return;  // the other caller's message is on its way
  const uint64_t period = uint64_t(params_.heartbeat_ms) * 1'000'000, now = os_.now_ns();
  next_beat_ns_ += (now - next_beat_ns_) / period * period + period;  // the next one after now
  beating_ = true;
  ++heartbeats_;
  int rc = asic_->heartbeat(*this);
  beating_ = false;
  if (!rc || status_ != DeviceStatus::operational) return;
  ++heartbeat_failures_;
  {
    DeviceLock g(*lock_);
    CapturedError fw;
    fw.flags = HL_INFO_FW_HEARTBEAT_ERR;
    capture_error(&DeviceStats::fw_err, fw, HL_NOTIFIER_EVENT_DEVICE_UNAVAILABLE);
  }
  hard_reset(std::string("heartbeat lost: the device CPU did not answer (-") + errno_name(rc) + ")");
}

void HlDevice::capture_error(CapturedError DeviceStats::*slot, CapturedError e, uint64_t events) {
  e.timestamp_ns = int64_t(os_.now_ns());
  stats_.capture(stats_.*slot, e, events);
  if (events && user_eventfd_ >= 0) os_.eventfd_signal(user_eventfd_);
}

int HlDevice::hard_reset(const std::string& why, uint64_t timed_out_seq) {
  DeviceLock g(*lock_);
  log(os::LogLevel::error, why + ": hard-resetting the device");
  CapturedError timeout;
  timeout.seq = timed_out_seq;
  if (timed_out_seq) capture_error(&DeviceStats::cs_timeout, timeout, HL_NOTIFIER_EVENT_CS_TIMEOUT);
  stats_.notifier_events |= HL_NOTIFIER_EVENT_DEVICE_RESET;
  if (user_eventfd_ >= 0) os_.eventfd_signal(user_eventfd_);
  last_reset_reason_ = why;
  status_ = DeviceStatus::in_reset;
  cs_->abort_all(timed_out_seq);
  events_.clear();
  int rc = asic_->hard_reset(*this);
  if (rc) {
    status_ = DeviceStatus::malfunction;
    log(os::LogLevel::error, std::string("reset failed (-") + errno_name(rc) + ")");
    return rc;
  }
  ++hard_resets_;
  status_ = DeviceStatus::operational;
  restart_heartbeat_schedule();  // Linux cancels the heartbeat work at reset, schedules it again after
  kick_heartbeat();
  log(os::LogLevel::info, "reset done, device operational");
  return 0;
}

namespace {
// Storage of finished write batches, shared by the devices of this thread: a probe's batch
// is ~6,300 writes (100 KB). Kept per device, every card's probe grew fresh memory (page
// clearing is what start-up costs on a VM); handed on, the next probe reuses warm pages.
std::vector<std::vector<os::MmioWrite32>>& spare_batches() {
  thread_local std::vector<std::vector<os::MmioWrite32>> spares;
  return spares;
}
}  // namespace

uint32_t HlDevice::rreg(uint32_t offset) {
  flush_posted();  // a read returns after every earlier write has landed
  // BAR 2 opens at the SPI flash window; the registers start GAUDI_CFG_BAR_CFG_OFFSET into it.
  return os_.mmio_read32(props_.cfg_bar_addr + GAUDI_CFG_BAR_CFG_OFFSET + offset);
}

void HlDevice::take_spare_batch() {
  if (posted_.capacity() == 0 && !spare_batches().empty()) {
    posted_.swap(spare_batches().back());
    spare_batches().pop_back();
  }
}

void HlDevice::wreg(uint32_t offset, uint32_t value) {
  const uint64_t addr = props_.cfg_bar_addr + GAUDI_CFG_BAR_CFG_OFFSET + offset;
  if (!posted_depth_) return os_.mmio_write32(addr, value);
  take_spare_batch();
  posted_.push_back({addr, value});
}

void HlDevice::wreg_block(uint32_t offset, const uint32_t* values, size_t n) {
  if (!posted_depth_) {
    for (size_t k = 0; k < n; ++k) wreg(offset + 4 * uint32_t(k), values[k]);
    return;
  }
  take_spare_batch();
  const uint64_t addr = props_.cfg_bar_addr + GAUDI_CFG_BAR_CFG_OFFSET + offset;
  for (size_t k = 0; k < n; ++k) posted_.push_back({addr + 4 * k, values[k]});
}

void HlDevice::flush_posted() {
  if (posted_.empty()) return;
  std::vector<os::MmioWrite32> writes;
  writes.swap(posted_);  // the os call may switch threads: another one's writes start afresh
  os_.mmio_write32_posted(writes.data(), writes.size());
  writes.clear();
  spare_batches().push_back(std::move(writes));  // the next batch, of any device, reuses it
}

int HlDevice::register_eventfd(int program_fd) {
  if (user_eventfd_ >= 0) return -EINVAL;  // one per user, as Linux
  int h = os_.eventfd_get(program_fd);
  if (h < 0) return h;
  user_eventfd_ = h;
  return 0;
}

int HlDevice::unregister_eventfd() {
  if (user_eventfd_ < 0) return -EINVAL;
  os_.eventfd_put(user_eventfd_);
  user_eventfd_ = -1;
  return 0;
}

bool HlDevice::claim_compute(int fd, int pid) {
  if (compute_owner_ >= 0 || releasing_) return false;
  compute_owner_ = fd;
  compute_pid_ = pid;
  stats_.new_user(int64_t(os_.now_ns()));
  uint64_t sram_user = GAUDI_SRAM_BASE_ADDR + GAUDI_SRAM_USER_BASE_OFFSET;
  ctx_mem_ = std::make_unique<MemoryManager>(os_, GAUDI_DRAM_BASE_ADDR_USER, props_.hbm_bytes, sram_user,
                                             GAUDI_SRAM_BASE_ADDR + props_.sram_bytes, GAUDI_HOST_PHYS_BASE,
                                             2ull << 20);
  return true;
}

}  // namespace hl
