// Effective configuration as JSON, {"section": {"name": value}}, so each run can record
// exactly what it simulated; raw_from_json() turns such a record back into input.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "models/common/params.hpp"
#include "testbench/config/key_names.hpp"
#include "testbench/config/raw_config.hpp"

namespace gs {
namespace detail {

class JsonVisitor {
 public:
  template <class T>
  void param(const char* key, T& field, const char* unit, const char* help, Range r = {}) {
    slot(key) = field;
  }
  template <class T>
  void param(const char* key, T& field, const char* unit, const char* help, double min,
             double max) {
    slot(key) = field;
  }
  void choice(const char* key, std::string& field, const std::vector<std::string>& allowed,
              const char* help) {
    slot(key) = field;
  }
  nlohmann::json take() { return std::move(json_); }

 private:
  nlohmann::json& slot(const std::string& key) {
    return json_[section_of(key)][name_in_section(key)];
  }
  nlohmann::json json_ = nlohmann::json::object();
};

}  // namespace detail

template <class Root>
nlohmann::json to_json(Root& root) {
  detail::JsonVisitor visitor;
  root.visit(visitor);
  return visitor.take();
}

// Reads {"section": {"name": scalar}} (e.g. a recorded to_json()) as raw values with the
// given origin; load() then validates them like INI input. Throws ConfigError on any
// other shape.
RawConfig raw_from_json(const nlohmann::json& config, const std::string& origin = "json");

// --config FILE where FILE is JSON: a run record (its "config" replays the run) or a bare
// {"section": {"name": value}} object. Values are taken as recorded: paths in a record are
// already resolved, so they are not made relative to the record's directory.
void load_json_config(RawConfig& into, const std::string& path, const std::string& content);

}  // namespace gs
