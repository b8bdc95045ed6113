#include "testbench/config/raw_config.hpp"

#include <algorithm>

#include "testbench/config/config_error.hpp"
#include "testbench/config/value_text.hpp"

namespace gs {

void RawConfig::set(const std::string& key, const std::string& text,
                    const std::string& origin, const std::string& file) {
  values_[key] = RawValue{text, origin, file, next_order_++};
}

void RawConfig::apply_set(const std::string& assignment, const std::string& origin) {
  const auto eq = assignment.find('=');
  const std::string key = eq == std::string::npos ? "" : trim(assignment.substr(0, eq));
  if (key.empty()) {
    throw ConfigError(origin + " expects key=value, got '" + assignment + "'");
  }
  set(key, trim(assignment.substr(eq + 1)), origin);
}

const RawValue* RawConfig::find(const std::string& key) const {
  const auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

std::vector<std::string> RawConfig::keys_in_order() const {
  std::vector<std::string> keys;
  keys.reserve(values_.size());
  for (const auto& entry : values_) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end(), [this](const std::string& a, const std::string& b) {
    return values_.at(a).order < values_.at(b).order;
  });
  return keys;
}

}  // namespace gs
