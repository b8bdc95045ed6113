// The non-template half of load(): wording of value errors and unknown-key reports.
#include "testbench/config/load.hpp"

#include <filesystem>

#include "testbench/config/key_names.hpp"
#include "testbench/config/suggest.hpp"

namespace gs {
namespace detail {
namespace {

std::string where(const RawValue& value) {
  return value.file.empty() ? " (from " + value.origin + ")" : " (at " + value.origin + ")";
}

std::string did_you_mean(const std::string& suggestion) {
  return suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?";
}

// Distinct values of f(key) over keys, in first-seen order.
template <class F>
std::vector<std::string> distinct(const std::vector<std::string>& keys, F f) {
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    const std::string item = f(key);
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

std::string unknown_key_problem(const std::string& key, const std::vector<std::string>& declared) {
  const std::vector<std::string> sections = distinct(declared, section_of);
  if (!has_section(key)) {
    // A bare name: most likely written above any [section] header or as --set name=v.
    std::string suggestion;
    for (const std::string& known : declared) {
      if (name_in_section(known) == key) suggestion = known;
      if (!suggestion.empty()) break;
    }
    return "config: key '" + key + "' has no section (write section.name; sections are: " +
           join(sections, ", ") + ")" + did_you_mean(suggestion);
  }
  const std::string section = section_of(key);
  if (std::find(sections.begin(), sections.end(), section) == sections.end()) {
    return "config: unknown section '" + section + "' in key '" + key + "' (sections are: " +
           join(sections, ", ") + ")" + did_you_mean(closest_match(section, sections));
  }
  std::vector<std::string> names;
  for (const std::string& known : declared) {
    if (section_of(known) == section) names.push_back(name_in_section(known));
  }
  std::string suggestion = closest_match(name_in_section(key), names);
  suggestion = suggestion.empty() ? closest_match(key, declared) : section + "." + suggestion;
  return "config: unknown key '" + key + "' (section '" + section + "' has: " +
         join(names, ", ") + ")" + did_you_mean(suggestion);
}

}  // namespace

std::string resolve_path(const std::string& text, const RawValue& value) {
  const std::filesystem::path p(text);
  if (text.empty() || p.is_absolute() || value.file.empty()) return text;
  return (std::filesystem::path(value.file).parent_path() / p).lexically_normal().string();
}

std::string value_problem(const std::string& key, const RawValue& value, const ValueError& e) {
  const std::string shown = e.quote_text ? "'" + value.text + "'" : value.text;
  return "config: key '" + key + "' = " + shown + ": " + e.what() + where(value);
}

std::string choice_problem(const std::string& key, const RawValue& value,
                           const std::vector<std::string>& allowed) {
  return "config: key '" + key + "' = '" + value.text + "': allowed values are " +
         join(allowed, ", ") + did_you_mean(closest_match(unquote(value.text), allowed)) +
         where(value);
}

void report_load_problems(const RawConfig& raw, const std::vector<std::string>& declared,
                          std::vector<LoadProblem> problems) {
  for (const std::string& key : raw.keys_in_order()) {
    if (std::find(declared.begin(), declared.end(), key) != declared.end()) continue;
    const RawValue& value = *raw.find(key);
    problems.push_back({value.order, unknown_key_problem(key, declared) + where(value)});
  }
  if (problems.empty()) return;
  const auto first = std::min_element(
      problems.begin(), problems.end(),
      [](const LoadProblem& a, const LoadProblem& b) { return a.order < b.order; });
  throw ConfigError(first->message);
}

}  // namespace detail
}  // namespace gs
