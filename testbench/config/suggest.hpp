// "Did you mean ...?" support for unknown keys, sections and choice values.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace gs {

// Edits (insert, delete, substitute, swap adjacent) needed to turn a into b.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to word if it is close enough to be a likely typo, else "".
// Ties go to the earliest candidate so suggestions are deterministic.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace gs
