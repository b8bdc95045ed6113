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
};

enum class CsState { in_flight, completed, timed_out, aborted };

struct CommandSubmission {
  uint64_t seq = 0;
  std::vector<std::unique_ptr<CsJob>> jobs;
  unsigned pending = 0;          // external jobs not yet completed
  CsState state = CsState::in_flight;
  uint64_t submit_ns = 0, done_ns = 0, deadline_ns = 0;
};

struct CsCounters {
  uint64_t submitted = 0, completed = 0, rejected = 0, timed_out = 0, aborted = 0, queue_full = 0;
};

class CsManager {
 public:
  CsManager(HlDevice& dev);
  ~CsManager();

  // Validates and submits; returns the sequence number (> 0) or a negative errno.
  int64_t submit(int fd, MemoryManager& mem, const hl_cs_chunk* restore, uint32_t n_restore,
                 const hl_cs_chunk* exec, uint32_t n_exec, uint32_t flags, uint32_t timeout_s);
  // WAIT_CS semantics: fills status/timestamp; returns 0, -ETIMEDOUT, -EIO or -EINVAL.
  int wait(uint64_t seq, uint64_t timeout_us, uint32_t* status, uint32_t* flags, int64_t* timestamp_ns);

  // Interrupt side: consume completion entries of external queue q.
  void process_completions(unsigned q);
  // Abort every CS in flight (reset); `timed_out` marks the one that caused it.
  void abort_all(uint64_t timed_out_seq);
  // Abort the CS owning the job whose CB holds device address `addr` on queue block `qman`.
  void fail_job_at(uint32_t qman_block, unsigned stream, uint64_t addr);
  // TDR: sleeps until the earliest deadline; returns the seq of a timed-out CS or 0.
  uint64_t watch();
  void kick_watchdog();

  std::vector<HwQueue>& queues() { return queues_; }
  const CsCounters& counters() const { return counters_; }
  uint64_t last_seq() const { return last_seq_; }
  void reset_queues();  // software state of every ring back to empty

 private:
  int build_job(int fd, MemoryManager& mem, const hl_cs_chunk& c, CsJob& job, std::string* why);
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
};

}  // namespace hl
