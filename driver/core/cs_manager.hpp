// Command submissions: turn the user's chunks into jobs on hardware queues, track them to
// completion through the completion queues, time them out (TDR) and abort them on reset.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/core/cb_manager.hpp"
#include "driver/core/hw_queue.hpp"
#include "driver/os/os.hpp"

struct hl_cs_chunk;

namespace hl {

class HlDevice;
class MemoryManager;
struct CommandSubmission;

struct CsJob {
  unsigned queue = 0;
  CommandSubmission* cs = nullptr;
  uint8_t* kcb = nullptr;        // external: the checked copy plus the driver's completion
  uint64_t kcb_bus = 0;
  uint32_t kcb_size = 0;
  CommandBuffer* user_cb = nullptr;
  uint64_t dev_addr = 0;         // what the PQ entry points at
  uint32_t size = 0;
  uint32_t slot = 0;
  bool done = false;
  bool needs_completion = false;  // external job: the driver appended its completion packets
};

enum class CsState { in_flight, completed, timed_out, aborted };
// SIGNAL and WAIT submissions carry one job the driver builds itself (cs_sync_stream.cpp).
enum class CsType { normal, signal, wait };

struct CommandSubmission {
  uint64_t seq = 0;
  std::vector<std::unique_ptr<CsJob>> jobs;
  unsigned pending = 0;          // external jobs not yet completed
  CsState state = CsState::in_flight;
  CsType type = CsType::normal;
  uint32_t sob = 0, sob_value = 0;  // SIGNAL: the object it increments and its value after
  uint64_t submit_ns = 0, done_ns = 0, deadline_ns = 0;
};

// Dropped submissions by cause (rejected = parsing + validation), and outcomes.
struct CsCounters {
  uint64_t submitted = 0, completed = 0, rejected = 0, timed_out = 0, aborted = 0, queue_full = 0;
  uint64_t parsing = 0, in_reset = 0;
};

// SIGNAL results the CS ioctl hands back.
struct SignalInfo {
  uint32_t sob_offset = 0;  // of the sync object, from CFG_BASE
  uint32_t value = 0;       // the object's value once the signal ran
};

class CsManager {
 public:
  CsManager(HlDevice& dev);
  ~CsManager();

  // Validates and submits; returns the sequence number (> 0) or a negative errno.
  int64_t submit(int fd, MemoryManager& mem, const hl_cs_chunk* restore, uint32_t n_restore,
                 const hl_cs_chunk* exec, uint32_t n_exec, uint32_t flags, uint32_t timeout_s);
  // HL_CS_FLAGS_SIGNAL: one chunk naming an external queue; the driver's CB increments the
  // sync object it reserves for that stream. Returns the seq or a negative errno.
  int64_t submit_signal(int fd, const hl_cs_chunk& chunk, uint32_t flags, uint32_t timeout_s, SignalInfo* out);
  // HL_CS_FLAGS_WAIT: one chunk whose signal_seq_arr holds one SIGNAL seq; the driver's CB
  // on the chunk's queue arms a monitor on that signal and fences on it.
  int64_t submit_wait(int fd, const hl_cs_chunk& chunk, uint32_t flags, uint32_t timeout_s);
  // WAIT_CS semantics: fills status/timestamp; returns 0, -ETIMEDOUT, -EIO or -EINVAL.
  int wait(uint64_t seq, uint64_t timeout_us, uint32_t* status, uint32_t* flags, int64_t* timestamp_ns);

  // Interrupt side: consume completion entries of external queue q.
  void process_completions(unsigned q);
  // Abort every CS in flight (reset); `timed_out` marks the one that caused it.
  void abort_all(uint64_t timed_out_seq);
  // Abort the CS owning the job whose CB holds device address `addr` on queue block `qman`.
  void fail_job_at(uint32_t qman_block, unsigned stream, uint64_t addr);
  // Fail (abort) every CS in flight with a job on queues [first, first + count).
  void fail_queues(unsigned first, unsigned count, const std::string& why);
  // Submissions not finished yet, and a sleep until there are none.
  bool in_flight() const;
  void wait_idle();
  // The driver's own memset of `ranges` (device address, size) to zero on an external
  // queue, for the scrub between users. Returns the seq or a negative errno.
  int64_t submit_scrub(const std::vector<std::pair<uint64_t, uint64_t>>& ranges);
  // TDR: sleeps until the earliest deadline; returns the seq of a timed-out CS or 0.
  uint64_t watch();
  void kick_watchdog();

  std::vector<HwQueue>& queues() { return queues_; }
  const CsCounters& counters() const { return counters_; }
  const CsCounters& context_counters() const { return ctx_counters_; }  // of the current context
  const std::map<uint64_t, std::unique_ptr<CommandSubmission>>& submissions() const { return cs_; }  // debugfs
  uint64_t last_seq() const { return last_seq_; }
  void reset_queues();  // software state of every ring back to empty

 private:
  int build_job(int fd, MemoryManager& mem, const hl_cs_chunk& c, CsJob& job, std::string* why);
  // Device state and context bookkeeping shared by every submission type; 0 or -errno.
  int admit(int fd);
  // Counts a dropped submission in the device's and the context's counters.
  void drop(uint64_t CsCounters::*cause);
  // Queue room, sequence number, PQ entries, doorbells. Takes the jobs built for `cs`.
  int64_t commit(std::unique_ptr<CommandSubmission> cs, unsigned external, uint32_t flags, uint32_t timeout_s);
  // A job running `packets` (driver-built) on external queue q, completion appended.
  int build_kernel_job(unsigned q, const void* packets, uint32_t size, CsJob& job);
  // Driver-owned sync stream of external queue q: its sync objects and monitor.
  struct SyncStream {
    unsigned which = 0;   // which of the two reserved objects is in use
    uint32_t value = 0;   // its value after the last signal
  };
  void complete_job(CsJob& job);
  void finish(CommandSubmission& cs, CsState state);
  void release_job(CsJob& job);
  void prune();

  HlDevice& dev_;
  std::vector<HwQueue> queues_;
  std::map<uint64_t, std::unique_ptr<CommandSubmission>> cs_;
  uint64_t last_seq_ = 0;
  CsCounters counters_;
  std::unique_ptr<os::WaitQueue> done_wq_;   // WAIT_CS sleepers
  std::unique_ptr<os::WaitQueue> tdr_wq_;    // watchdog
  bool restored_ = false;                     // restore chunks ran for this context
  int ctx_fd_ = -1;                           // the context (compute fd) last seen
  CsCounters ctx_counters_;
  bool last_reject_parsing_ = false;          // build_job: the parser refused the CB
  std::vector<SyncStream> sync_streams_;      // per external queue
};

}  // namespace hl
