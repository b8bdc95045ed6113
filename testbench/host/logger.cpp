#include "testbench/host/logger.hpp"

#include <cstdio>
#include <systemc>

namespace gs {

static const char* level_name(hl::os::LogLevel l) {
  switch (l) {
    case hl::os::LogLevel::debug: return "debug";
    case hl::os::LogLevel::info: return "info";
    case hl::os::LogLevel::warn: return "warn";
    case hl::os::LogLevel::error: return "error";
  }
  return "?";
}

hl::os::LogLevel parse_log_level(const std::string& s) {
  if (s == "debug") return hl::os::LogLevel::debug;
  if (s == "info") return hl::os::LogLevel::info;
  if (s == "error") return hl::os::LogLevel::error;
  return hl::os::LogLevel::warn;
}

void Logger::write(hl::os::LogLevel level, const std::string& who, const std::string& msg) {
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "[%12.3f us] ", sc_core::sc_time_stamp().to_seconds() * 1e6);
  std::string line = std::string(stamp) + who + " " + level_name(level) + ": " + msg;
  if (echo_ && level >= threshold_) std::fprintf(stderr, "%s\n", line.c_str());
  // Dropped in batches of keep/2 so that each line is moved O(1) times on average.
  if (lines_.size() >= keep_ + keep_ / 2 + 1) {
    const size_t drop = lines_.size() - keep_;
    lines_.erase(lines_.begin(), lines_.begin() + long(drop));
    dropped_ += drop;
  }
  lines_.push_back(std::move(line));
}

bool Logger::contains(const std::string& needle) const {
  for (const auto& l : lines_)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace gs
