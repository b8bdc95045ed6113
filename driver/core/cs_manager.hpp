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
#include "driver/core/kernel_cb_pool.hpp"
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
  bool kcb_pooled = false;       // kcb is a slot of the kernel CB pool
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
  bool timestamp = false;        // HL_CS_FLAGS_TIMESTAMP: WAIT_CS reports done_ns
  // Staged submission: every part carries the first part's seq; only the last part gets
  // completion packets, and its completion completes every part (cs_staged.cpp).
  uint64_t staged_seq = 0;
  bool staged_last = false;
  uint32_t encaps_handle = 0;    // staged first with HL_CS_FLAGS_ENCAP_SIGNALS
};

// What HL_IOCTL_CS asks for a default (or staged) submission.
struct CsRequest {
  const hl_cs_chunk* restore = nullptr;
  uint32_t n_restore = 0;
  const hl_cs_chunk* exec = nullptr;
  uint32_t n_exec = 0;
  uint32_t flags = 0, timeout_s = 0;
  uint64_t staged_seq = 0;       // staged, not first: the first part's seq
  uint32_t encaps_handle = 0;    // staged first with ENCAP_SIGNALS: the reservation
};

// Signals reserved on a sync stream (HL_CS_FLAGS_RESERVE_SIGNALS_ONLY): the user's own CBs
// increment `sob` `count` times, the first one bringing it to `first_value`.
struct EncapsReservation {
  unsigned queue = 0;
  uint32_t sob = 0, first_value = 0, count = 0;
  uint64_t cs_seq = 0;           // the staged CS that carries them, once submitted
};

// What WAIT_CS learns about a CS that left the list of submissions.
struct CsOutcome {
  CsState state = CsState::completed;
  uint64_t done_ns = 0;
  bool timestamp = false;
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
  uint32_t before = 0;      // its value before (sob_count_before_submission)
};

class CsManager {
 public:
  CsManager(HlDevice& dev);
  ~CsManager();

  // Validates and submits; returns the sequence number (> 0) or a negative errno. Staged
  // parts (HL_CS_FLAGS_STAGED_SUBMISSION) name the first part's seq unless they are it.
  int64_t submit(int fd, MemoryManager& mem, const CsRequest& r, SignalInfo* encaps_out);
  // HL_CS_FLAGS_SIGNAL: one chunk naming an external queue; the driver's CB increments the
  // sync object it reserves for that stream. Returns the seq or a negative errno.
  int64_t submit_signal(int fd, const hl_cs_chunk& chunk, uint32_t flags, uint32_t timeout_s, SignalInfo* out);
  // HL_CS_FLAGS_WAIT: one chunk whose signal_seq_arr holds one SIGNAL seq; the driver's CB
  // on the chunk's queue arms a monitor on that signal and fences on it.
  // With HL_CS_FLAGS_ENCAP_SIGNALS the chunk names the staged CS that carries reserved
  // signals (encaps_signal_seq) and which of them to wait for (encaps_signal_offset, from 1).
  int64_t submit_wait(int fd, const hl_cs_chunk& chunk, uint32_t flags, uint32_t timeout_s);
  // HL_CS_FLAGS_COLLECTIVE_WAIT: one chunk on an external (master) queue naming a signal and
  // the reduction engine (DMA_5 or TPC_7); every NIC queue of the stream and the reduction
  // engine's queue wait for the signal, then the master waits for all of them (cs_collective.cpp).
  int64_t submit_collective_wait(int fd, const hl_cs_chunk* chunks, uint32_t n, uint32_t flags, uint32_t timeout_s);
  // HL_CS_FLAGS_RESERVE_SIGNALS_ONLY / UNRESERVE_SIGNALS_ONLY (cs_encaps.cpp).
  int reserve_signals(int fd, unsigned queue, uint32_t count, uint32_t* handle, SignalInfo* out);
  int unreserve_signals(int fd, uint32_t handle);
  // The context ended (Linux hl_encaps_sig_mgr_fini): its reservations go, and with them
  // the user's access to their sync objects.
  void end_context();
  // WAIT_CS semantics: fills status/timestamp; returns 0, -ETIMEDOUT, -EIO or -EINVAL.
  int wait(uint64_t seq, uint64_t timeout_us, uint32_t* status, uint32_t* flags, int64_t* timestamp_ns);
  // MULTI_CS: sleeps until one of `seqs` is done (or the timeout); *map gets a bit per
  // finished entry, *ts the earliest completion time. 0, -EIO, -ETIMEDOUT, -EINVAL, -EINTR.
  int wait_multi(const std::vector<uint64_t>& seqs, uint64_t timeout_us, uint32_t* status, uint32_t* flags,
                 int64_t* ts, uint32_t* map);

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
  // `completion`: an external job gets the driver's completion packets (not in the
  // non-last parts of a staged submission).
  int build_job(int fd, MemoryManager& mem, const hl_cs_chunk& c, CsJob& job, bool completion, std::string* why);
  // Staged submission: the first part of `seq` if it is in flight and not closed yet.
  CommandSubmission* staged_first(uint64_t seq);
  // The last part of a staged submission completed: so do all its parts.
  void complete_staged(uint64_t staged_seq, uint64_t done_ns);
  // Where WAIT_CS finds a CS: in the list, the outcome store (read once, as Linux), or gone.
  enum class Lookup { live, outcome, gone };
  Lookup lookup(uint64_t seq, const CommandSubmission** cs, CsOutcome* out);
  // Status, flags, timestamp and errno of a finished (or not) CS.
  int report(CsState state, uint64_t done_ns, bool ts_valid, uint32_t* status, uint32_t* flags, int64_t* ts);
  // The sync-stream object of queue q for `count` more signals (wrapping to the other object,
  // reset, when the count would pass the 15-bit limit); returns its value before them.
  uint32_t stream_take(unsigned q, uint32_t count, uint32_t* sob);
  // Device state and context bookkeeping shared by every submission type; 0 or -errno.
  int admit(int fd);
  // Counts a dropped submission in the device's and the context's counters.
  void drop(uint64_t CsCounters::*cause);
  // Queue room, sequence number, PQ entries, doorbells. Takes the jobs built for `cs`.
  int64_t commit(std::unique_ptr<CommandSubmission> cs, unsigned external, uint32_t flags, uint32_t timeout_s);
  // A job running `packets` (driver-built) on queue q, completion appended if `completion`
  // (external queues).
  int build_kernel_job(unsigned q, const void* packets, uint32_t size, CsJob& job, bool completion = true);
  // The signal a WAIT / COLLECTIVE_WAIT chunk names: sync object and value, or done already.
  struct AwaitedSignal {
    uint32_t sob = 0, target = 0;
    bool done = false;
  };
  int resolve_signal(const hl_cs_chunk& c, uint32_t flags, AwaitedSignal* out, std::string* why);
  // Trusted packets that arm monitor `mon` on `sob` >= `target`, paying into queue w's fence.
  static void append_arm(std::vector<uint8_t>& cb, const HwQueue& w, unsigned mon, uint32_t sob, uint32_t target);
  // Opens to user transactions exactly the W_S objects that hold reserved signals.
  void open_reserved_sobs();
  // Driver-owned sync stream of external queue q: its sync objects and monitor.
  struct SyncStream {
    unsigned which = 0;   // which of the two reserved objects is in use
    uint32_t value = 0;   // its value after the last signal
  };
  void complete_job(CsJob& job);
  void finish(CommandSubmission& cs, CsState state);
  void release_job(CsJob& job);
  // job.kcb for job.kcb_size bytes: a pool slot if it fits, else a buffer of its own.
  bool alloc_kcb(CsJob& job);
  void prune();

  HlDevice& dev_;
  std::vector<HwQueue> queues_;
  KernelCbPool kcbs_;  // after dev_; destroyed after the jobs' release in ~CsManager
  // No job queued since the completion queues were last zeroed: dma_alloc_coherent's memory
  // comes zeroed (as Linux's, which clears its CQs only at reset), so the probe does not
  // write tens of KiB of zeros per card into fresh pages.
  bool cqs_zero_ = true;
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
  std::map<uint32_t, EncapsReservation> encaps_;  // by handle, of the current context
  uint32_t next_encaps_ = 1;
  std::map<uint64_t, CsOutcome> outcomes_;    // CSs pruned from cs_, until WAIT_CS reads them
};

}  // namespace hl
