// describe(): what --help prints and tools list, taken from the same visit() that loads
// values, so documentation cannot drift from behaviour.
#pragma once
#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/params.hpp"
#include "testbench/config/key_names.hpp"
#include "testbench/config/value_text.hpp"

namespace gs {

struct ParamInfo {
  std::string key;            // "section.name"
  std::string type;           // bool, int32, int64, uint32, uint64, double, string, choice
  std::string default_value;  // as text, in the syntax the loader accepts
  std::string unit;           // "" when dimensionless
  std::string help;
  Range range;                        // numeric types only; infinite bounds mean none
  std::vector<std::string> choices;  // type "choice" only
  std::string section() const { return section_of(key); }
  std::string name() const { return name_in_section(key); }
};

namespace detail {

// Also rejects declaration mistakes (bad key, duplicate, default outside its own range):
// those are programming errors, so they are std::logic_error, not ConfigError.
class DescribeVisitor {
 public:
  template <class T>
  void param(const char* key, T& field, const char* unit, const char* help, Range r = {}) {
    ParamInfo info{key, type_name<T>(), format_value(field), unit, help, r, {}};
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      const long double value = static_cast<long double>(field);
      if (value < r.min || value > r.max) {
        fail(key, "default " + info.default_value + " is outside " + describe_range(r));
      }
    }
    add(std::move(info));
  }
  template <class T>
  void param(const char* key, T& field, const char* unit, const char* help, double min,
             double max) {
    param(key, field, unit, help, Range{min, max});
  }
  void choice(const char* key, std::string& field, std::vector<std::string> allowed,
              const char* help) {
    if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
      fail(key, "default '" + field + "' is not one of " + join(allowed, ", "));
    }
    add(ParamInfo{key, "choice", field, "", help, Range{}, std::move(allowed)});
  }
  std::vector<ParamInfo> take() { return std::move(params_); }

 private:
  void add(ParamInfo info) {
    if (!has_section(info.key) || name_in_section(info.key).empty()) {
      fail(info.key, "key must be 'section.name'");
    }
    if (!seen_.insert(info.key).second) fail(info.key, "declared twice");
    params_.push_back(std::move(info));
  }
  [[noreturn]] static void fail(const std::string& key, const std::string& what) {
    throw std::logic_error("config: parameter '" + key + "': " + what);
  }
  std::vector<ParamInfo> params_;
  std::set<std::string> seen_;
};

}  // namespace detail

// Every parameter of root in declaration order, with root's current values as defaults.
template <class Root>
std::vector<ParamInfo> describe(Root& defaults) {
  detail::DescribeVisitor visitor;
  defaults.visit(visitor);
  return visitor.take();
}

}  // namespace gs
