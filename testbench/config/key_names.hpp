// Keys are "section.name"; the section is everything before the first dot.
#pragma once
#include <string>

namespace gs {

inline bool has_section(const std::string& key) {
  const auto dot = key.find('.');
  return dot != std::string::npos && dot > 0;
}

inline std::string section_of(const std::string& key) {
  const auto dot = key.find('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
}

inline std::string name_in_section(const std::string& key) {
  const auto dot = key.find('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

}  // namespace gs
