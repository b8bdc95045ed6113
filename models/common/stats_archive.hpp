// Values copied between the processes of a partitioned run (testbench/partition): a
// workload lists its results once, and the same list both saves them (on the process that
// simulated them) and loads them (on the process that reports).
#pragma once
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>
#include <systemc>

namespace gs {

class StatsArchive {
 public:
  virtual ~StatsArchive() = default;
  virtual void u64(uint64_t& v) = 0;
  // True when values are being loaded (results that combine rather than overwrite).
  virtual bool loading() const { return false; }
  void u32(uint32_t& v) {
    uint64_t w = v;
    u64(w);
    v = uint32_t(w);
  }
  void flag(bool& v) {
    uint64_t w = v;
    u64(w);
    v = w != 0;
  }
  void real(double& v) {
    uint64_t w;
    std::memcpy(&w, &v, 8);
    u64(w);
    std::memcpy(&v, &w, 8);
  }
  void time(sc_core::sc_time& t) {
    uint64_t w = t.value();
    u64(w);
    t = sc_core::sc_time::from_value(w);
  }
  void text(std::string& s) {
    uint64_t n = s.size();
    u64(n);
    s.resize(n);
    for (size_t i = 0; i < n; i += 8) {
      uint64_t w = 0;
      std::memcpy(&w, s.data() + i, std::min<size_t>(8, n - i));
      u64(w);
      std::memcpy(&s[i], &w, std::min<size_t>(8, n - i));
    }
  }
};

// Appends every counter it is shown.
class StatsWriter : public StatsArchive {
 public:
  void u64(uint64_t& v) override { words.push_back(v); }
  std::vector<uint64_t> words;
};

// Overwrites every counter it is shown, in the order they were written.
class StatsReader : public StatsArchive {
 public:
  explicit StatsReader(const std::vector<uint64_t>& w) : words_(w) {}
  void u64(uint64_t& v) override {
    if (pos_ >= words_.size()) throw std::runtime_error("partition: counters from another rank are short");
    v = words_[pos_++];
  }
  bool loading() const override { return true; }
  bool at_end() const { return pos_ == words_.size(); }

 private:
  const std::vector<uint64_t>& words_;
  size_t pos_ = 0;
};

}  // namespace gs
