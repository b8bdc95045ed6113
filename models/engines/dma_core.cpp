#include "models/engines/dma_core.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "models/common/time.hpp"
#include "models/common/trace.hpp"
#include "specs/gaudi/regs.h"

namespace gs {

using sc_core::sc_time;

namespace {
constexpr uint32_t kUnsupported = GAUDI_PKT_LIN_DMA_CTL_TRANSPOSE_MASK |
                                  GAUDI_PKT_LIN_DMA_CTL_COMPRESS_MASK |
                                  GAUDI_PKT_LIN_DMA_CTL_DECOMPRESS_MASK;
}  // namespace

DmaCore::DmaCore(sc_core::sc_module_name name, const DmaParams& p, BusTarget& noc,
                 unsigned channel, sc_time reg_latency)
    : sc_module(name),
      p_(p),
      noc_(noc),
      channel_(channel),
      regs_(std::string(this->name()) + ".regs", reg_layout(), this, reg_latency),
      engine_(std::string(this->name()) + ".engine", p.engine_gbps, sc_core::SC_ZERO_TIME) {}

// Anything that may give the engine work: a job, a reset, a CFG change.
void DmaCore::wake() {
  if (!dropped_.empty() || (!jobs_.empty() && !halted())) {
    if (!waits_) waits_ = std::make_unique<Waits>(name());
    thread_.kick();
  }
}

void DmaCore::notify_waits(bool reset) {
  if (!waits_) return;  // no thread yet: nothing waits
  if (reset) waits_->reset.notify(sc_core::SC_ZERO_TIME);
  waits_->cfg.notify(sc_core::SC_ZERO_TIME);
}

// Every DMA core's registers, declared once per process (reg_layout.hpp).
const RegLayoutOf<DmaCore>& DmaCore::reg_layout() {
  static const RegLayoutOf<DmaCore> layout = build_reg_layout();
  return layout;
}

RegLayoutOf<DmaCore> DmaCore::build_reg_layout() {
  RegLayoutOf<DmaCore> l;
  const auto cfg_changed = [](DmaCore& d, uint32_t, uint32_t&, sc_time) {
    d.notify_waits(false);
    d.wake();
  };
  l.add(GAUDI_DMA_CORE_CFG_0, "CFG_0", GAUDI_DMA_CORE_CFG_0_EN_MASK).on_write(cfg_changed);
  l.add(GAUDI_DMA_CORE_CFG_1, "CFG_1").on_write(cfg_changed);
  l.add(GAUDI_DMA_CORE_SRC_BASE_LO, "SRC_BASE_LO");
  l.add(GAUDI_DMA_CORE_SRC_BASE_HI, "SRC_BASE_HI");
  l.add(GAUDI_DMA_CORE_DST_BASE_LO, "DST_BASE_LO");
  l.add(GAUDI_DMA_CORE_DST_BASE_HI, "DST_BASE_HI");
  l.add(GAUDI_DMA_CORE_SRC_TSIZE_0, "SRC_TSIZE_0");
  l.add(GAUDI_DMA_CORE_DST_TSIZE_0, "DST_TSIZE_0");
  l.add(GAUDI_DMA_CORE_COMMIT, "COMMIT").on_write([](DmaCore& d, uint32_t, uint32_t& v, sc_time) { d.commit(v); });
  l.add(GAUDI_DMA_CORE_WR_COMP_WDATA, "WR_COMP_WDATA");
  l.add(GAUDI_DMA_CORE_WR_COMP_ADDR_LO, "WR_COMP_ADDR_LO");
  l.add(GAUDI_DMA_CORE_WR_COMP_ADDR_HI, "WR_COMP_ADDR_HI");
  l.add(GAUDI_DMA_CORE_PROT, "PROT");
  // The MMU context of the engine's transactions (read by the card's MMU port).
  l.add(GAUDI_DMA_CORE_SECURE_PROPS, "SECURE_PROPS");
  l.add(GAUDI_DMA_CORE_NON_SECURE_PROPS, "NON_SECURE_PROPS");
  l.add(GAUDI_DMA_CORE_ERR_CFG, "ERR_CFG");
  l.add(GAUDI_DMA_CORE_ERR_CAUSE, "ERR_CAUSE")
      .on_read([](const DmaCore& d, uint32_t) { return d.err_cause_; })
      .on_write([](DmaCore& d, uint32_t, uint32_t& v, sc_time) {  // write 1 to clear
        d.err_cause_ &= ~v;
        v = d.err_cause_;
      });
  l.add(GAUDI_DMA_CORE_STS0, "STS0", 0, false).on_read([](const DmaCore& d, uint32_t) {
    return d.idle() ? 0u : GAUDI_DMA_CORE_STS0_BUSY_MASK;
  });
  l.add(GAUDI_DMA_CORE_STS1, "STS1", 0, false).on_read([](const DmaCore& d, uint32_t) {
    return d.halted() && (!d.running_ || d.stalled_) ? GAUDI_DMA_CORE_STS1_IS_HALT_MASK : 0u;
  });
  return l;
}

void DmaCore::hang() {
  hung_ = true;
  notify_waits(false);
  wake();
}

bool DmaCore::halted() const {
  return hung_ || !(*cfg0_ & GAUDI_DMA_CORE_CFG_0_EN_MASK) || (*cfg1_ & GAUDI_DMA_CORE_CFG_1_HALT_MASK);
}

bool DmaCore::start_lin_dma(const packet_lin_dma& pkt, std::function<void(bool ok)> done) {
  if (!(pkt.ctl & GAUDI_PKT_LIN_DMA_CTL_LIN_MASK) || (pkt.ctl & kUnsupported)) {
    ++jobs_rejected_;
    return false;
  }
  uint64_t comp_addr = uint64_t(regs_.value(GAUDI_DMA_CORE_WR_COMP_ADDR_HI)) << 32 |
                       regs_.value(GAUDI_DMA_CORE_WR_COMP_ADDR_LO);
  jobs_.push_back(Job{pkt, regs_.value(GAUDI_DMA_CORE_WR_COMP_WDATA), comp_addr,
                      std::move(done), epoch_});
  wake();
  return true;
}

// The register path: what a CP writes through CP_LDMA_*_OFFSET, then COMMIT.
void DmaCore::commit(uint32_t value) {
  packet_lin_dma pkt{};
  pkt.tsize = regs_.value(GAUDI_DMA_CORE_DST_TSIZE_0);
  pkt.ctl = gaudi_pkt_ctl(PACKET_LIN_DMA, 0, 1, 1) | (value & GAUDI_DMA_CORE_COMMIT_FLAGS_MASK) |
            ((value & GAUDI_DMA_CORE_COMMIT_CTX_ID_MASK) >> GAUDI_DMA_CORE_COMMIT_CTX_ID_SHIFT
             << GAUDI_PKT_LIN_DMA_CTL_CTX_ID_LO_SHIFT);
  pkt.src_addr = uint64_t(regs_.value(GAUDI_DMA_CORE_SRC_BASE_HI)) << 32 |
                 regs_.value(GAUDI_DMA_CORE_SRC_BASE_LO);
  pkt.dst_addr = uint64_t(regs_.value(GAUDI_DMA_CORE_DST_BASE_HI)) << 32 |
                 regs_.value(GAUDI_DMA_CORE_DST_BASE_LO);
  start_lin_dma(pkt, nullptr);
}

void DmaCore::reset() {
  regs_.reset_all();
  err_cause_ = 0;
  ++epoch_;
  hung_ = false;
  while (!jobs_.empty()) {
    dropped_.push_back(std::move(jobs_.front()));
    jobs_.pop_front();
  }
  engine_.reset();
  notify_waits(true);
  wake();
}

// The engine's thread: runs while there are jobs and the engine is not halted (CFG_0.EN
// clear or CFG_1.HALT set: jobs wait in the queue, and wake() starts the thread again).
void DmaCore::run() {
  for (;;) {
    while (!dropped_.empty()) {
      Job j = std::move(dropped_.front());
      dropped_.pop_front();
      finish(j, false);
    }
    if (jobs_.empty() || halted()) return;
    Job j = std::move(jobs_.front());
    jobs_.pop_front();
    running_ = true;
    sc_time start = sc_core::sc_time_stamp();
    Result r = execute(j);
    busy_ += sc_core::sc_time_stamp() - start;
    trace::span(*this, "", "LIN_DMA", start, sc_core::sc_time_stamp());
    running_ = false;
    stalled_ = false;
    if (jobs_.empty()) {  // idle channels hold no buffer
      bounce_.reset();
      bounce_bytes_ = 0;
      std::vector<uint8_t>().swap(bounce_big_);
    }
    finish(j, r == Result::kOk);
  }
}

void DmaCore::finish(Job& j, bool ok) {
  ++(ok ? jobs_ok_ : jobs_failed_);
  if (j.done) j.done(ok);
  if (idle()) idle_ev_.notify(sc_core::SC_ZERO_TIME);
}

bool DmaCore::wait_until(sc_time t, uint64_t epoch) {
  sc_time now = sc_core::sc_time_stamp();
  if (t > now) {
    waits_->timer.notify(t - now);
    wait(waits_->timer_or_reset);
    waits_->timer.cancel();
  }
  return epoch == epoch_;
}

bool DmaCore::wait_while_halted(uint64_t epoch) {
  while (epoch == epoch_ && halted()) {
    stalled_ = true;
    wait(waits_->cfg | waits_->reset);
  }
  stalled_ = false;
  return epoch == epoch_;
}

void DmaCore::error(uint32_t cause, uint64_t addr) {
  err_cause_ |= cause;
  last_error_addr_ = addr;
  uint32_t cfg = regs_.value(GAUDI_DMA_CORE_ERR_CFG);
  if (cfg & GAUDI_DMA_CORE_ERR_CFG_STOP_ON_ERR_MASK) {
    regs_.set(GAUDI_DMA_CORE_CFG_1,
              regs_.value(GAUDI_DMA_CORE_CFG_1) | GAUDI_DMA_CORE_CFG_1_HALT_MASK);
  }
  if ((cfg & GAUDI_DMA_CORE_ERR_CFG_ERR_MSG_EN_MASK) && on_error) on_error(channel_, cause);
}

DmaCore::Result DmaCore::execute(const Job& j) {
  const packet_lin_dma& pkt = j.pkt;
  uint64_t dst = pkt.dst_addr & GAUDI_PKT_LIN_DMA_DST_ADDR_MASK;  // bits 63..56: context id
  bool memset = pkt.ctl & GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK;
  if (pkt.tsize > 0) {
    if (!wait_until(sc_core::sc_time_stamp() + ns(p_.setup_ns), j.epoch))
      return Result::kAborted;
    Result r = transfer(j, pkt.src_addr, dst, pkt.tsize, memset);
    if (r != Result::kOk) return r;
  }
  if (pkt.ctl & GAUDI_PKT_LIN_DMA_CTL_WRCOMP_EN_MASK) {
    uint32_t data = j.comp_data;
    sc_time d = sc_core::SC_ZERO_TIME;
    if (bus_access_as(&who_, noc_, tlm::TLM_WRITE_COMMAND, j.comp_addr, &data, 4, d) !=
        tlm::TLM_OK_RESPONSE) {
      error(GAUDI_DMA_CORE_ERR_CAUSE_LBW_WR_ERR_MASK, j.comp_addr);
      return Result::kError;
    }
    if (!wait_until(sc_core::sc_time_stamp() + d, j.epoch)) return Result::kAborted;
  }
  return Result::kOk;
}

// Moves `size` bytes as a small event schedule: the next action is either issuing the read
// of the next chunk (paced by the engine rate, and only when its buffer slot is free) or
// writing the oldest chunk whose data has arrived; the thread waits until the earlier one.
// A fresh zero-filled vector per transfer cost an mmap, a zero fill and a 4 KiB page fault
// per page (tens of microseconds each on this kind of virtual machine): the pool's blocks
// are huge-page memory that stays mapped and warm. Every byte is written before it is read.
uint8_t* DmaCore::bounce(size_t bytes) {
  if (bounce_bytes_ >= bytes) return bounce_ ? bounce_.get() : bounce_big_.data();
  static auto* pools = new std::map<size_t, std::unique_ptr<PageBlocks>>;  // never freed: blocks outlive cores
  auto& pool = (*pools)[bytes];
  if (!pool) pool = std::make_unique<PageBlocks>(bytes);
  bounce_ = pool->take();
  if (!bounce_) bounce_big_.resize(bytes);  // over a slab, or no huge-page slab to be had
  bounce_bytes_ = bytes;
  return bounce_ ? bounce_.get() : bounce_big_.data();
}

DmaCore::Result DmaCore::transfer(const Job& j, uint64_t src, uint64_t dst, uint64_t size,
                                  bool memset) {
  const uint64_t chunk = std::max<uint32_t>(p_.chunk_bytes, 8);
  const uint64_t nchunks = (size + chunk - 1) / chunk;
  const uint64_t window = std::min<uint64_t>(std::max<uint32_t>(p_.outstanding_chunks, 1), nchunks);
  const uint64_t slot_bytes = std::min(chunk, size);
  uint8_t* buf = timing_payload_ ? nullptr : bounce(size_t(window * slot_bytes));
  const sc_time never = sc_core::sc_max_time();

  struct Ready {
    uint64_t index;
    sc_time at;  // when the chunk's data is in the engine
  };
  std::deque<Ready> ready;
  std::vector<sc_time> slot_free(window, sc_core::SC_ZERO_TIME);  // its last write landed
  // A chunk a memory lent by reference (its page's block) instead of reading it into the
  // slot: the write hands the same reference on, so HBM -> HBM copies share pages.
  std::vector<BlockShare> lent(buf ? window : 0);
  sc_time pace = sc_core::sc_time_stamp(), last_write = pace;
  uint64_t issued = 0, written = 0;

  while (written < nchunks) {
    if (!wait_while_halted(j.epoch)) return Result::kAborted;
    // A chunk's slot is free for reuse once the chunk `window` before it has been written.
    sc_time t_read = never;
    if (issued < nchunks && written + window > issued)
      t_read = std::max(pace, slot_free[issued % window]);
    sc_time t_write = ready.empty() ? never : ready.front().at;

    if (t_write <= t_read) {
      Ready r = ready.front();
      if (!wait_until(t_write, j.epoch)) return Result::kAborted;
      ready.pop_front();
      uint64_t off = r.index * chunk, len = std::min(chunk, size - off);
      uint8_t* data = buf ? buf + (r.index % window) * slot_bytes : nullptr;
      BlockShare from;
      if (buf && lent[r.index % window].block) {
        from.block = std::move(lent[r.index % window].block);
        data = const_cast<uint8_t*>(from.block.get()) + lent[r.index % window].offset;  // only read
      } else if (buf && memset) {  // the pattern's byte k lands at dst + k (mod 8): as laid from 8-aligned
        const unsigned rot = unsigned(dst % 8) * 8;
        from.repeats = true;
        from.pattern = rot ? src << rot | src >> (64 - rot) : src;
      }
      sc_time d = sc_core::SC_ZERO_TIME;
      if (bus_access_as(&who_, noc_, tlm::TLM_WRITE_COMMAND, dst + off, data, len, d,
                        from.block || from.repeats ? &from : nullptr) !=
          tlm::TLM_OK_RESPONSE) {
        error(GAUDI_DMA_CORE_ERR_CAUSE_HBW_WR_ERR_MASK, dst + off);
        return Result::kError;
      }
      sc_time landed = sc_core::sc_time_stamp() + d;
      slot_free[r.index % window] = landed;
      last_write = std::max(last_write, landed);
      bytes_ += len;
      ++written;
    } else {
      if (!wait_until(t_read, j.epoch)) return Result::kAborted;
      sc_time now = sc_core::sc_time_stamp();
      uint64_t off = issued * chunk, len = std::min(chunk, size - off);
      uint8_t* data = buf ? buf + (issued % window) * slot_bytes : nullptr;
      pace = engine_.reserve(len, now);
      if (memset && data) {  // src_addr is the 64-bit pattern, laid out from the first byte on
        // With chunks a multiple of 8 every chunk starts at phase 0: a slot filled once holds
        // every later chunk's bytes too (the write only reads it), and a scrub of megabytes
        // fills `window` slots, not every chunk.
        if (issued < window || chunk % 8) {
          for (uint64_t i = 0; i < std::min<uint64_t>(len, 8); ++i)
            data[i] = uint8_t(src >> (8 * ((off + i) % 8)));
          for (uint64_t filled = 8; filled < len; filled *= 2)  // 8-periodic: double it up
            std::memcpy(data + filled, data, std::min(filled, len - filled));
        }
        ready.push_back({issued, now});
      } else if (memset) {
        ready.push_back({issued, now});
      } else {
        sc_time d = sc_core::SC_ZERO_TIME;
        BlockShare* slot = data ? &lent[issued % window] : nullptr;
        if (slot) slot->any_offset = true;
        if (bus_access_as(&who_, noc_, tlm::TLM_READ_COMMAND, src + off, data, len, d, slot) !=
            tlm::TLM_OK_RESPONSE) {
          // The error answers when the bus says (a PCIe completion timeout: much later).
          if (!wait_until(now + d, j.epoch)) return Result::kAborted;
          error(GAUDI_DMA_CORE_ERR_CAUSE_HBW_RD_ERR_MASK, src + off);
          return Result::kError;
        }
        ready.push_back({issued, now + d});
      }
      ++issued;
    }
  }
  // Done when the last write has landed, and never before the engine's own rate allows.
  return wait_until(std::max(last_write, pace), j.epoch) ? Result::kOk : Result::kAborted;
}

}  // namespace gs
