#include "testbench/config/value_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace gs {
namespace {

// Factor for a size/rate suffix: decimal k/M/G/T, binary Ki/Mi/Gi/Ti; 0 if not a suffix.
uint64_t suffix_factor(std::string_view suffix) {
  static const struct {
    const char* text;
    uint64_t factor;
  } kSuffixes[] = {{"", 1},           {"k", 1000ULL},    {"M", 1000000ULL},
                   {"G", 1000000000ULL}, {"T", 1000000000000ULL}, {"Ki", 1ULL << 10},
                   {"Mi", 1ULL << 20},  {"Gi", 1ULL << 30},   {"Ti", 1ULL << 40}};
  for (const auto& s : kSuffixes) {
    if (suffix == s.text) return s.factor;
  }
  return 0;
}

int digit_value(char c, unsigned base) {
  if (c >= '0' && c <= '9') return c - '0';
  if (base == 16 && c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (base == 16 && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string trim(std::string_view s) {
  const char* const kSpace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(kSpace);
  return std::string(s.substr(first, last - first + 1));
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::string unquote(const std::string& text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

bool parse_bool(const std::string& text) {
  std::string word = trim(text);
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (word == "true" || word == "1" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "0" || word == "no" || word == "off") return false;
  throw ValueError("not a boolean; use true/false, 1/0, yes/no or on/off", true);
}

IntegerText parse_integer_text(const std::string& text, bool allow_negative) {
  const ValueError malformed(std::string(allow_negative ? "not an integer" : "not an unsigned integer") +
                                 "; use decimal, 0x hex, optionally with a k/M/G/T or Ki/Mi/Gi/Ti suffix",
                             true);
  const std::string trimmed = trim(text);
  std::string_view s = trimmed;
  IntegerText out;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    out.negative = s.front() == '-';
    if (out.negative && !allow_negative) throw malformed;
    s.remove_prefix(1);
  }
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  std::size_t digits = 0;
  for (; digits < s.size(); ++digits) {
    const int d = digit_value(s[digits], base);
    if (d < 0) break;
    if (out.magnitude > (UINT64_MAX - static_cast<uint64_t>(d)) / base) {
      out.overflow = true;
    } else {
      out.magnitude = out.magnitude * base + static_cast<uint64_t>(d);
    }
  }
  const uint64_t factor = suffix_factor(s.substr(digits));
  if (digits == 0 || factor == 0) throw malformed;
  if (out.magnitude > UINT64_MAX / factor) {
    out.overflow = true;
  } else {
    out.magnitude *= factor;
  }
  return out;
}

double parse_double(const std::string& text, const Range& range) {
  const ValueError malformed("not a number; use e.g. 1000, 0.5, 1e3 or 2.5G", true);
  const std::string trimmed = trim(text);
  std::string_view s = trimmed;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);  // from_chars takes '-' only
  if (s.empty() || s.front() == '+') throw malformed;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (end == s.data()) throw malformed;
  if (ec == std::errc::result_out_of_range) throw ValueError("not a representable double", true);
  const uint64_t factor = suffix_factor(s.substr(static_cast<std::size_t>(end - s.data())));
  if (factor == 0) throw malformed;
  value *= static_cast<double>(factor);
  if (!std::isfinite(value)) throw ValueError("not a finite number", true);
  if (value < range.min || value > range.max) throw ValueError(out_of_range_reason(range), false);
  return value;
}

std::string format_double(double value) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  std::string text(buf, result.ptr);
  // to_chars writes 1e+09; 1e9 reads the same and is easier on the eye.
  const auto e = text.find('e');
  if (e != std::string::npos) {
    std::string exponent = text.substr(e + 1);
    const bool negative = !exponent.empty() && exponent.front() == '-';
    if (!exponent.empty() && (exponent.front() == '+' || negative)) exponent.erase(0, 1);
    exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
    text = text.substr(0, e + 1) + (negative ? "-" : "") + exponent;
  }
  return text;
}

std::string describe_range(const Range& range) {
  const bool has_min = std::isfinite(range.min);
  const bool has_max = std::isfinite(range.max);
  if (has_min && has_max) return format_double(range.min) + ".." + format_double(range.max);
  if (has_min) return ">= " + format_double(range.min);
  if (has_max) return "<= " + format_double(range.max);
  return "";
}

std::string out_of_range_reason(const Range& range) {
  if (std::isfinite(range.min) && std::isfinite(range.max)) {
    return "out of range " + describe_range(range);
  }
  return "out of range: must be " + describe_range(range);
}

}  // namespace gs
