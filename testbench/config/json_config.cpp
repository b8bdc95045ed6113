#include "testbench/config/json_config.hpp"

#include "testbench/config/config_error.hpp"

namespace gs {

RawConfig raw_from_json(const nlohmann::json& config, const std::string& origin) {
  const std::string expected = " (expected {\"section\": {\"name\": value}})";
  if (!config.is_object()) throw ConfigError("config: " + origin + ": not a JSON object" + expected);
  RawConfig raw;
  for (const auto& [section, names] : config.items()) {
    if (!names.is_object()) {
      throw ConfigError("config: " + origin + ": section '" + section + "' is not an object" +
                        expected);
    }
    for (const auto& [name, value] : names.items()) {
      const std::string key = section + "." + name;
      if (value.is_structured() || value.is_null()) {
        throw ConfigError("config: " + origin + ": key '" + key + "' must be a string, number or bool");
      }
      // dump() writes numbers exactly (shortest round-trip) and bools as true/false.
      raw.set(key, value.is_string() ? value.get<std::string>() : value.dump(), origin);
    }
  }
  return raw;
}

void load_json_config(RawConfig& into, const std::string& path, const std::string& content) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(content);
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError("config: file '" + path + "': not valid JSON: " + e.what());
  }
  const bool record = j.is_object() && j.contains("schema_version") && j.contains("config");
  const RawConfig raw = raw_from_json(record ? j["config"] : j, path);
  for (const std::string& key : raw.keys_in_order()) into.set(key, raw.find(key)->text, path + " (" + key + ")");
}

}  // namespace gs
