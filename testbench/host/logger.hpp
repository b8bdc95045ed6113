// Log sink for simulated software: lines carry the simulated time and the host's name;
// those at or above the threshold go to stderr; the most recent kKeptLines are kept for
// tests and reports (a long run, e.g. the soak, must not grow without bound).
#pragma once
#include <cstddef>
#include <deque>
#include <string>

#include "driver/os/os.hpp"

namespace gs {

class Logger {
 public:
  explicit Logger(hl::os::LogLevel threshold = hl::os::LogLevel::warn, bool echo = true)
      : threshold_(threshold), echo_(echo) {}
  void write(hl::os::LogLevel level, const std::string& who, const std::string& msg);
  static constexpr size_t kKeptLines = 1 << 16;
  const std::deque<std::string>& lines() const { return lines_; }
  bool contains(const std::string& needle) const;
  void set_threshold(hl::os::LogLevel l) { threshold_ = l; }

 private:
  hl::os::LogLevel threshold_;
  bool echo_;
  std::deque<std::string> lines_;
};

hl::os::LogLevel parse_log_level(const std::string& s);

}  // namespace gs
