// A DMA core's transfer as a small event schedule: the next action is either issuing the read
// of the next chunk (paced by the engine rate, and only when its buffer slot is free) or
// writing the oldest chunk whose data has arrived; the flow parks until the earlier one.
// At each chunk boundary a halted engine holds until CFG or a reset wakes it.
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

#include "models/engines/dma_core.hpp"

namespace gs {

using sc_core::sc_time;

// The transfer's bounce buffer.
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

// Moves the job's `tsize` bytes from src to dst (or its memset pattern to dst).
void DmaCore::begin_transfer(Flow& f) {
  const packet_lin_dma& pkt = f.job.pkt;
  f.src = pkt.src_addr;
  f.dst = pkt.dst_addr & GAUDI_PKT_LIN_DMA_DST_ADDR_MASK;  // bits 63..56: context id
  f.size = pkt.tsize;
  f.memset = pkt.ctl & GAUDI_PKT_LIN_DMA_CTL_MEMSET_MASK;
  f.chunk = std::max<uint32_t>(p_.chunk_bytes, 8);
  f.nchunks = (f.size + f.chunk - 1) / f.chunk;
  f.window = std::min<uint64_t>(std::max<uint32_t>(p_.outstanding_chunks, 1), f.nchunks);
  f.slot_bytes = std::min(f.chunk, f.size);
  f.buf = timing_payload_ ? nullptr : bounce(size_t(f.window * f.slot_bytes));
  f.ready.clear();
  f.slot_free.assign(f.window, sc_core::SC_ZERO_TIME);
  f.lent.assign(f.buf ? f.window : 0, BlockShare());
  f.pace = f.last_write = sc_core::sc_time_stamp();
  f.issued = f.written = 0;
  f.phase = Phase::boundary;
}

// The chunk loop: at each boundary hold while halted, then wait for the earlier of the next
// read and the oldest write and carry it out; after the last write, wait until it has
// landed. One loop while actions are due now (a thread's loop did the same without yielding).
DmaCore::Result DmaCore::chunks(Flow& f) {
  static const sc_time never = sc_core::sc_max_time();
  bool act = f.phase == Phase::chunk;  // woken for the chosen action
  if (act && !resumed(f)) return Result::kAborted;
  for (;;) {
    if (!act) {
      if (f.written == f.nchunks) {
        // Done when the last write has landed, and never before the engine's own rate allows.
        return wait_until(f, std::max(f.last_write, f.pace), Phase::drain);
      }
      if (f.job.epoch == epoch_ && halted()) {
        stalled_ = true;
        f.phase = Phase::boundary;
        sc_core::next_trigger(f.cfg_or_reset);
        return Result::kParked;
      }
      stalled_ = false;
      if (f.job.epoch != epoch_) return Result::kAborted;
      // A chunk's slot is free for reuse once the chunk `window` before it has been written.
      sc_time t_read = never;
      if (f.issued < f.nchunks && f.written + f.window > f.issued)
        t_read = std::max(f.pace, f.slot_free[f.issued % f.window]);
      sc_time t_write = f.ready.empty() ? never : f.ready.front().at;
      f.write_next = t_write <= t_read;
      Result w = wait_until(f, f.write_next ? t_write : t_read, Phase::chunk);
      if (w != Result::kOk) return w;
      if (f.job.epoch != epoch_) return Result::kAborted;
    }
    act = false;
    f.phase = Phase::boundary;
    Result r = f.write_next ? write_chunk(f) : read_chunk(f);
    if (r != Result::kOk || f.phase != Phase::boundary) return r;
  }
}

DmaCore::Result DmaCore::write_chunk(Flow& f) {
  Ready r = f.ready.front();
  f.ready.pop_front();
  const uint64_t slot = r.index % f.window;
  uint64_t off = r.index * f.chunk, len = std::min(f.chunk, f.size - off);
  uint8_t* data = f.buf ? f.buf + slot * f.slot_bytes : nullptr;
  BlockShare from;
  if (f.buf && f.lent[slot].block) {
    from.block = std::move(f.lent[slot].block);
    data = const_cast<uint8_t*>(from.block.get()) + f.lent[slot].offset;  // only read
  } else if (f.buf && f.memset) {  // the pattern's byte k lands at dst + k (mod 8): as laid from 8-aligned
    const unsigned rot = unsigned(f.dst % 8) * 8;
    from.repeats = true;
    from.pattern = rot ? f.src << rot | f.src >> (64 - rot) : f.src;
  }
  sc_time d = sc_core::SC_ZERO_TIME;
  if (bus_access_as(&who_, noc_, tlm::TLM_WRITE_COMMAND, f.dst + off, data, len, d,
                    from.block || from.repeats ? &from : nullptr) != tlm::TLM_OK_RESPONSE) {
    error(GAUDI_DMA_CORE_ERR_CAUSE_HBW_WR_ERR_MASK, f.dst + off);
    return Result::kError;
  }
  sc_time landed = sc_core::sc_time_stamp() + d;
  f.slot_free[slot] = landed;
  f.last_write = std::max(f.last_write, landed);
  bytes_ += len;
  ++f.written;
  return Result::kOk;
}

DmaCore::Result DmaCore::read_chunk(Flow& f) {
  sc_time now = sc_core::sc_time_stamp();
  const uint64_t i = f.issued, slot = i % f.window;
  uint64_t off = i * f.chunk, len = std::min(f.chunk, f.size - off);
  uint8_t* data = f.buf ? f.buf + slot * f.slot_bytes : nullptr;
  f.pace = engine_.reserve(len, now);
  if (f.memset && data) {  // src_addr is the 64-bit pattern, laid out from the first byte on
    // With chunks a multiple of 8 every chunk starts at phase 0: a slot filled once holds
    // every later chunk's bytes too (the write only reads it), and a scrub of megabytes
    // fills `window` slots, not every chunk.
    if (i < f.window || f.chunk % 8) {
      for (uint64_t k = 0; k < std::min<uint64_t>(len, 8); ++k)
        data[k] = uint8_t(f.src >> (8 * ((off + k) % 8)));
      for (uint64_t filled = 8; filled < len; filled *= 2)  // 8-periodic: double it up
        std::memcpy(data + filled, data, std::min(filled, len - filled));
    }
    f.ready.push_back({i, now});
  } else if (f.memset) {
    f.ready.push_back({i, now});
  } else {
    sc_time d = sc_core::SC_ZERO_TIME;
    BlockShare* lent = data ? &f.lent[slot] : nullptr;
    if (lent) lent->any_offset = true;
    if (bus_access_as(&who_, noc_, tlm::TLM_READ_COMMAND, f.src + off, data, len, d, lent) !=
        tlm::TLM_OK_RESPONSE) {
      // The error answers when the bus says (a PCIe completion timeout: much later).
      f.error_addr = f.src + off;
      return wait_until(f, now + d, Phase::read_error);
    }
    f.ready.push_back({i, now + d});
  }
  ++f.issued;
  return Result::kOk;
}

}  // namespace gs
