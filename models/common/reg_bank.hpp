// A block of named 32-bit registers, in the spirit of VCML's declared registers: each
// register is declared once with its offset, reset value and optional callbacks, so the
// register map can be read off the code of the block that owns it.
//
// Two ways to declare, one behaviour (look-up, backdoor, reset, bus access, bad-access
// count):
// - A block declared the same way by every instance (QMAN, NIC port, DMA core) uses a shared
//   RegLayoutOf<Owner> (reg_layout.hpp), built once per process: the bank then holds only
//   its values and its owner, whom the layout's hooks receive. A card has ~6,000 such
//   registers.
// - A one-off block (one per card, or a test's) declares its registers with add() and
//   closure hooks. They are kept in declaration order in blocks of 8, 16, 32, then 64 (never
//   moved, few allocations), with names interned once per process, and found through an
//   index sorted by offset on first use.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/common/bus_target.hpp"
#include "models/common/reg_layout.hpp"

namespace gs {

// A register's callback, assigned and called like a std::function. Most registers have
// none, so it is one pointer (a std::function is 32 bytes, and a card has ~8,000
// registers: their memory is a good part of what building a card costs).
template <class Sig> class RegHook;
template <class R, class... A> class RegHook<R(A...)> {
 public:
  template <class F> RegHook& operator=(F&& f) {
    fn_ = std::make_unique<std::function<R(A...)>>(std::forward<F>(f));
    return *this;
  }
  explicit operator bool() const { return fn_ && *fn_; }
  R operator()(A... a) const { return (*fn_)(std::forward<A>(a)...); }

 private:
  std::unique_ptr<std::function<R(A...)>> fn_;
};

class RegBank : public BusTarget {
 public:
  struct Reg {
    uint32_t offset = 0;
    uint32_t value = 0;
    uint32_t reset = 0;
    bool writable = true;
    const char* name = "";  // interned: lives as long as the process
    // on_read returns the value to give back (default: the stored value).
    RegHook<uint32_t(const Reg&)> on_read;
    // on_write sees the new value after it is stored; `delay` is when it takes effect.
    RegHook<void(Reg&, sc_core::sc_time delay)> on_write;
  };

  explicit RegBank(std::string name, sc_core::sc_time access_latency = sc_core::SC_ZERO_TIME)
      : name_(std::move(name)), latency_(access_latency) {}
  // A bank of a shared layout (which must outlive it); its hooks get *owner.
  template <class Owner>
  RegBank(std::string name, const RegLayoutOf<Owner>& layout, Owner* owner,
          sc_core::sc_time access_latency = sc_core::SC_ZERO_TIME)
      : name_(std::move(name)), latency_(access_latency), layout_(&layout), owner_(owner) {
    init_values();
  }

  // Declares a register of a one-off bank (throws on a bank of a shared layout). The
  // reference stays valid as long as the bank.
  Reg& add(uint32_t offset, const std::string& name, uint32_t reset = 0, bool writable = true);
  // A register declared with add() (nullptr otherwise, and on a bank of a shared layout).
  Reg* find(uint32_t offset);
  const Reg* find(uint32_t offset) const;
  bool has(uint32_t offset) const;
  const char* reg_name(uint32_t offset) const;  // nullptr when there is none
  uint32_t value(uint32_t offset) const {  // backdoor, no callbacks (engines read their banks often)
    if (!layout_) return listed_value(offset);
    const long i = layout_->index_of(offset);
    return i < 0 ? 0 : values_[i];
  }
  void set(uint32_t offset, uint32_t v);   // backdoor, no callbacks
  // Where the value of the register at `offset` lives (valid as long as the bank), or nullptr.
  const uint32_t* value_ptr(uint32_t offset) const;
  void reset_all();

  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) override;
  const std::string& name() const { return name_; }
  uint64_t bad_accesses() const { return bad_accesses_; }

 private:
  bool access32(bool write, uint32_t offset, uint32_t& data, sc_core::sc_time delay);
  bool layout_access32(bool write, uint32_t offset, uint32_t& data, sc_core::sc_time delay);
  void sort_index() const;
  void init_values();
  uint32_t* slot(uint32_t offset) const;  // the value at `offset`, either way
  uint32_t listed_value(uint32_t offset) const;  // value() of a bank declared with add()

  struct Slot {
    uint32_t offset;
    Reg* reg;
  };

  std::string name_;
  sc_core::sc_time latency_;
  // Registers in declaration order, in blocks of 8, 16, 32, 64, 64, ...
  static constexpr uint32_t kFirstBlock = 8;
  std::vector<std::unique_ptr<Reg[]>> blocks_;
  uint32_t count_ = 0;
  mutable std::vector<Slot> index_;   // by offset once sorted_
  mutable bool sorted_ = true;
  uint64_t bad_accesses_ = 0;
  // A bank of a shared layout: its values, in the layout's order.
  const RegLayout* layout_ = nullptr;
  void* owner_ = nullptr;
  std::unique_ptr<uint32_t[]> values_;
};

}  // namespace gs
