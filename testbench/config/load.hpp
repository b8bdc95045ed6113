// load(): fills a parameter struct from a RawConfig, validating every value against the
// declaration in visit(). All-or-nothing: on error `out` is left untouched.
#pragma once
#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "models/common/params.hpp"
#include "testbench/config/config_error.hpp"
#include "testbench/config/raw_config.hpp"
#include "testbench/config/value_text.hpp"

namespace gs {
namespace detail {

struct LoadProblem {
  uint64_t order;  // RawValue::order of the offending entry: reports follow input order
  std::string message;
};

// A relative path written in an INI file is relative to that file's directory (as the
// user reads the file); one given with --set stays relative to the working directory.
std::string resolve_path(const std::string& text, const RawValue& value);

std::string value_problem(const std::string& key, const RawValue& value, const ValueError& e);
std::string choice_problem(const std::string& key, const RawValue& value,
                           const std::vector<std::string>& allowed);

// Adds a problem for every raw key nobody declared, then throws ConfigError for the
// earliest problem in input order, if any.
void report_load_problems(const RawConfig& raw, const std::vector<std::string>& declared,
                          std::vector<LoadProblem> problems);

class LoadVisitor {
 public:
  explicit LoadVisitor(const RawConfig& raw) : raw_(raw) {}

  template <class T>
  void param(const char* key, T& field, const char* unit, const char* help, Range r = {}) {
    declared_.push_back(key);
    const RawValue* value = raw_.find(key);
    if (!value) return;
    try {
      field = parse_value<T>(value->text, r);
      if constexpr (std::is_same_v<T, std::string>)
        if (std::string(unit) == kFileUnit) field = resolve_path(field, *value);
    } catch (const ValueError& e) {
      problems_.push_back({value->order, value_problem(key, *value, e)});
    }
  }
  template <class T>
  void param(const char* key, T& field, const char* unit, const char* help, double min,
             double max) {
    param(key, field, unit, help, Range{min, max});
  }
  void choice(const char* key, std::string& field, const std::vector<std::string>& allowed,
              const char* help) {
    declared_.push_back(key);
    const RawValue* value = raw_.find(key);
    if (!value) return;
    const std::string text = unquote(value->text);
    if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
      problems_.push_back({value->order, choice_problem(key, *value, allowed)});
    } else {
      field = text;
    }
  }
  void finish() { report_load_problems(raw_, declared_, std::move(problems_)); }

 private:
  const RawConfig& raw_;
  std::vector<std::string> declared_;
  std::vector<LoadProblem> problems_;
};

}  // namespace detail

// Parses and range-checks every key of raw that root declares, rejects keys it does not
// declare, and reports the first problem in input order (file order, then --set).
template <class Root>
void load(Root& out, const RawConfig& raw) {
  Root loaded = out;
  detail::LoadVisitor visitor(raw);
  loaded.visit(visitor);
  visitor.finish();
  out = std::move(loaded);
}

}  // namespace gs
