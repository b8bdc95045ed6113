// Untyped configuration as the user wrote it: "section.name" -> text, plus where each
// value came from so error messages can point at the file line or --set argument.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gs {

struct RawValue {
  std::string text;
  std::string origin;  // "path:line", "--set", "GAUDISIM_SET" or "json"
  std::string file;    // the INI file it came from ("" for --set and the like): relative paths start there
  uint64_t order = 0;  // when it was assigned; later assignments win and sort later
};

class RawConfig {
 public:
  // Reads an INI file ([section] headers, key = value, '#' comments) with
  // Boost.Program_options. Throws ConfigError if the file is unreadable or malformed.
  void load_file(const std::string& path);

  // Applies one "key=value" override (the --set form; `origin` names where it came from,
  // e.g. "GAUDISIM_SET"). Throws ConfigError naming the origin if malformed.
  void apply_set(const std::string& assignment, const std::string& origin = "--set");

  // Assigns a value directly; replaces any earlier value of the same key.
  void set(const std::string& key, const std::string& text, const std::string& origin,
           const std::string& file = "");

  const RawValue* find(const std::string& key) const;
  bool empty() const { return values_.empty(); }
  std::size_t size() const { return values_.size(); }

  // Keys in the order their current values were assigned (file order, then --set).
  std::vector<std::string> keys_in_order() const;

 private:
  std::map<std::string, RawValue> values_;
  uint64_t next_order_ = 0;
};

}  // namespace gs
