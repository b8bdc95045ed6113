// The card's register protection, GAUDI's scheme: every 4 KiB page of a block that has
// protection bits ends in 32 words (GAUDI_PROT_BITS_OFFS, 0xF80..0xFFC) with one bit per
// 32-bit register of the page; a cleared bit protects the register. The driver programs
// them at init (trusted writes); they open (all ones) at reset. A user transaction
// (models/common/bus_initiator.hpp) to a protected register, to the protection words, or
// to a CFG page without protection bits (the driver's own blocks: PCIe, PSOC, CPU, MSI...)
// is a RAZWI: a read gives zeros, a write is dropped, the initiator gets an error response
// and on_razwi reports it. Pages that police themselves (the sync managers' objects and
// monitors, with their driver ranges) are left to their target.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <set>
#include <vector>

#include "models/common/bus_initiator.hpp"

namespace gs {

class RegProtection {
 public:
  RegProtection() = default;
  ~RegProtection();
  RegProtection(const RegProtection&) = delete;  // holds references to shared words
  RegProtection& operator=(const RegProtection&) = delete;

  // CFG offsets [offset, offset + size) (whole pages) carry protection bits.
  void add_pb_block(uint32_t offset, uint32_t size);
  // CFG offsets [offset, offset + size) are policed by their own target.
  void add_self_policed(uint32_t offset, uint32_t size);

  // For the card's router, before decoding: true if the access was served or refused here.
  bool filter(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  // A trusted run of 32-bit writes to consecutive device addresses from `addr`, taken whole
  // when it lies in one page's protection words (the driver programs a page's words one
  // after another): what filter does with each. False (nothing written): not such a run.
  bool write_words(uint64_t addr, const uint32_t* values, size_t n);
  // May a user write the register at CFG offset `reg`? (What filter decides, for tests.)
  bool user_may_access(uint32_t reg) const;
  void reset();  // every protection word back to all ones (open)

  // initiator, device address, write?
  std::function<void(const BusInitiator&, uint64_t, bool)> on_razwi;
  uint64_t razwis() const { return razwis_; }

 private:
  using Words = std::array<uint32_t, 32>;
  class SharedWords;  // reg_protection.cpp
  bool razwi(tlm::tlm_generic_payload& gp, const BusInitiator& who, uint64_t addr);
  int slot_of(uint32_t page) const;  // this instance's slot of the page; -1: no protection bits
  const Words* words_of(uint32_t page) const {
    const int s = slot_of(page);
    return s < 0 ? nullptr : words_[size_t(s)];
  }
  // Writes n words of the slot's page from word `first` (copy on write).
  void store(int slot, uint32_t first, const uint32_t* values, size_t n);
  // Every card protects the same pages, so which page is which slot is one process-wide
  // table (32 KiB, warm in the cache), and a card keeps only its words, by slot. (A hash map
  // per card missed the cache on each look-up in 1024-card start-ups: 4 % of their time.)
  struct PageSlots {
    std::vector<uint16_t> of_page;  // a CFG page's slot + 1, 0 for none
    uint16_t used = 0;              // slots handed out
  };
  static PageSlots& page_slots();
  // A page's words, by slot (null: a page this instance does not protect). Pages holding
  // the same words share one immutable copy, process-wide: every card's driver programs the
  // same values, and a copy per card was 19 KB of each card's memory.
  std::vector<const Words*> words_;
  // The last page looked up: the driver writes a page's 32 words one after another, and a
  // user's accesses stay in a few pages.
  mutable uint32_t last_page_ = ~0u;
  mutable int last_slot_ = -1;
  std::set<uint32_t> self_policed_;         // page indices
  uint64_t razwis_ = 0;
};

}  // namespace gs
