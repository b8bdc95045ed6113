#include "models/common/memory_target.hpp"

#include <cstdio>

#include "models/common/sim_now.hpp"

namespace gs {

void MemoryTarget::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  uint64_t addr = gp.get_address();
  uint64_t len = gp.get_data_length();
  if (!store_.contains(addr, len)) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (!gp.get_data_ptr()) {
    // Timing only (sim.payload=timing): nothing stored, nothing read.
  } else if (gp.is_write()) {
    BlockShare* from = nullptr;
    gp.get_extension(from);
    // A repeated pattern of at least 8 bytes (all its phases): stored as write() would store
    // the bytes, without reading them.
    const bool repeats = from && !from->block && from->repeats && len >= 8;
    if (!(repeats                    ? store_.fill_words(addr, from->pattern, len)
          : from && from->block ? store_.write_from(addr, from->block, gp.get_data_ptr(), len)
                                : store_.write(addr, gp.get_data_ptr(), len))) {
      // The simulator's host is out of memory for this memory's pages: the write fails on
      // the bus (the engine reports it as its error, which fails the submission), the
      // simulation goes on, and the reason is said once.
      if (!oom_reported_)
        std::fprintf(stderr, "gaudisim: %s: out of host memory for simulated memory (%llu MiB resident): "
                             "writes to it fail and the device reports them as errors\n",
                     name_.c_str(), static_cast<unsigned long long>(store_.resident_bytes() >> 20));
      oom_reported_ = true;
      gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
  } else {
    // A reader that takes a whole page by reference gets the page's block, unless a fault
    // in it must reach the reader's bytes (check_ecc poisons them: never a shared block).
    BlockShare* to = nullptr;
    gp.get_extension(to);
    const uint64_t offset = addr & (store_.page_bytes() - 1);
    if (to && (offset == 0 || to->any_offset) && ecc_clean(addr, len) && (to->block = store_.share(addr, len)))
      to->offset = offset;
    else
      store_.read(addr, gp.get_data_ptr(), len);
  }
  const sc_core::sc_time now = sim_now();
  delay = server_.reserve(len, now + delay) - now;
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  if (!ecc_faults_.empty()) check_ecc(gp, addr, len);
}

bool MemoryTarget::ecc_clean(uint64_t addr, uint64_t len) const {
  auto it = ecc_faults_.lower_bound(addr & ~7ull);
  return it == ecc_faults_.end() || it->first >= addr + len;
}

void MemoryTarget::flip_bits(uint64_t offset, unsigned bits) {
  if (bits) ecc_faults_[offset & ~7ull] = bits >= 2 ? 2 : 1;
}

void MemoryTarget::check_ecc(tlm::tlm_generic_payload& gp, uint64_t addr, uint64_t len) {
  for (auto it = ecc_faults_.lower_bound(addr & ~7ull); it != ecc_faults_.end() && it->first < addr + len;) {
    const uint64_t word = it->first;
    if (gp.is_write()) {  // new data, new check bits (a partial write is a read-modify-write)
      it = addr <= word && word + 8 <= addr + len ? ecc_faults_.erase(it) : std::next(it);
      continue;
    }
    const bool uncorrectable = it->second >= 2;
    if (uncorrectable) {  // poisoned: the reader gets an error (and bits 0, 1 flipped)
      ++ecc_uncorrectable_;
      if (word >= addr && gp.get_data_ptr()) gp.get_data_ptr()[word - addr] ^= 0x3;
      gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    } else {
      ++ecc_corrected_;
    }
    if (on_ecc_error) on_ecc_error(word, uncorrectable);
    ++it;
  }
}

}  // namespace gs
