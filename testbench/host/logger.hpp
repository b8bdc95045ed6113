// Log sink for simulated software: lines carry the simulated time and the host's name;
// those at or above the threshold go to stderr, all are kept for tests and reports.
#pragma once
#include <string>
#include <vector>

#include "driver/os/os.hpp"

namespace gs {

class Logger {
 public:
  // keep: lines kept in memory at most (the newest); a long run must not grow without bound.
  explicit Logger(hl::os::LogLevel threshold = hl::os::LogLevel::warn, bool echo = true, size_t keep = 100000)
      : threshold_(threshold), echo_(echo), keep_(keep ? keep : 1) {}
  void write(hl::os::LogLevel level, const std::string& who, const std::string& msg);
  const std::vector<std::string>& lines() const { return lines_; }  // the newest `keep`, at most keep + keep/2 + 1
  uint64_t dropped() const { return dropped_; }                     // older lines let go
  bool contains(const std::string& needle) const;
  void set_threshold(hl::os::LogLevel l) { threshold_ = l; }

 private:
  hl::os::LogLevel threshold_;
  bool echo_;
  size_t keep_;
  uint64_t dropped_ = 0;
  std::vector<std::string> lines_;
};

hl::os::LogLevel parse_log_level(const std::string& s);

}  // namespace gs
