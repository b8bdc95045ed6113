// The layout of a register block declared the same way by every instance (a QMAN's 175
// registers, a NIC port's QP-context block): offsets, names, reset values, writable flags
// and which hook each register has, declared once per process in an immutable table. Each
// RegBank of that layout holds only the values and a pointer to its owner, which the hooks
// receive (a card has ~6,000 such registers; a copy of the declarations per instance was
// a good part of what building a card cost).
//
// Hooks are plain functions of the owner, usually captureless lambdas written where the
// register is declared, with an argument fixed at declaration (a stream, a CP, a fence):
//
//   static const RegLayoutOf<Qman> layout = [] {
//     RegLayoutOf<Qman> l;
//     l.add(STS1(c), "GLBL_STS1_0").on_read([](const Qman& q, uint32_t c) { return q.sts1_[c]; }, c);
//     return l;
//   }();
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>

namespace gs {

class RegLayout {
 public:
  using AnyFn = void (*)();  // a typed hook, cast back by its thunk
  struct Entry {
    uint32_t offset = 0;
    uint32_t reset = 0;
    const char* name = "";  // interned: lives as long as the process
    bool writable = true;
    uint32_t read_arg = 0, write_arg = 0;
    // read returns the value to give back; write sees the new value after it is stored (and
    // may change it); `delay` is when the write takes effect. Null: plain storage.
    uint32_t (*read)(const void* owner, AnyFn fn, uint32_t arg) = nullptr;
    void (*write)(void* owner, AnyFn fn, uint32_t arg, uint32_t& value, sc_core::sc_time delay) = nullptr;
    AnyFn read_fn = nullptr, write_fn = nullptr;
  };

  size_t size() const { return entries_.size(); }
  const Entry& entry(size_t i) const { return entries_[i]; }
  // The position of the register at `offset` (entries are kept sorted by offset), or -1.
  // Every register access and backdoor read asks (a card's probe: thousands), so a layout
  // whose offsets stay below kDirectWords words answers from a table by word, not a search.
  long index_of(uint32_t offset) const {
    if (offset / 4 < by_word_.size()) return offset % 4 ? -1 : by_word_[offset / 4];
    return direct_ ? -1 : search(offset);
  }
  bool direct() const { return direct_; }  // index_of answers from the table by word
  // One copy of each register name per process (every QMAN has the same ones).
  static const char* intern(const std::string& name);

 protected:
  // Declares a register; refuses unaligned offsets and two registers at one offset.
  Entry& add_entry(uint32_t offset, const std::string& name, uint32_t reset, bool writable);

 private:
  static constexpr uint32_t kDirectWords = 1u << 14;  // a 64 KiB block: a table of 64 KiB
  long search(uint32_t offset) const;
  void index_words(size_t from);  // by_word_ of the entries from position `from` on

  std::vector<Entry> entries_;
  std::vector<uint32_t> offsets_;  // the entries' offsets, for the look-up
  std::vector<int32_t> by_word_;   // entry position by offset / 4, -1 for none (direct_ only)
  bool direct_ = true;             // every offset below kDirectWords words: by_word_ answers
};

// A layout whose hooks take an Owner.
template <class Owner> class RegLayoutOf : public RegLayout {
 public:
  using ReadFn = uint32_t (*)(const Owner& owner, uint32_t arg);
  using WriteFn = void (*)(Owner& owner, uint32_t arg, uint32_t& value, sc_core::sc_time delay);

  class Decl {
   public:
    explicit Decl(Entry& e) : e_(e) {}
    Decl& on_read(ReadFn fn, uint32_t arg = 0) {
      e_.read = &read_thunk;
      e_.read_fn = reinterpret_cast<AnyFn>(fn);
      e_.read_arg = arg;
      return *this;
    }
    Decl& on_write(WriteFn fn, uint32_t arg = 0) {
      e_.write = &write_thunk;
      e_.write_fn = reinterpret_cast<AnyFn>(fn);
      e_.write_arg = arg;
      return *this;
    }

   private:
    Entry& e_;
  };

  Decl add(uint32_t offset, const std::string& name, uint32_t reset = 0, bool writable = true) {
    return Decl(add_entry(offset, name, reset, writable));
  }

 private:
  static uint32_t read_thunk(const void* owner, AnyFn fn, uint32_t arg) {
    return reinterpret_cast<ReadFn>(fn)(*static_cast<const Owner*>(owner), arg);
  }
  static void write_thunk(void* owner, AnyFn fn, uint32_t arg, uint32_t& value, sc_core::sc_time delay) {
    reinterpret_cast<WriteFn>(fn)(*static_cast<Owner*>(owner), arg, value, delay);
  }
};

}  // namespace gs
