#include "models/common/name_rank.hpp"

#include <iterator>
#include <map>
#include <string>

namespace gs::name_rank {

namespace detail {
uint64_t epoch = 0;
}

namespace {

// std::string's order (unsigned bytes, then length) is strcmp's for strings without NULs.
using Names = std::map<std::string, uint64_t, std::less<>>;

Names& names() {
  static auto* n = new Names;  // never destroyed: owners may look up during static teardown
  return *n;
}

// No free label between the new name's neighbours: spread out the smallest aligned label
// window around it that is sparse enough, 2^i labels holding fewer than (4/3)^i names (Bender
// et al., "Two simplified algorithms for maintaining order in a list", 2002): amortized
// O(log n) names renumbered per insertion. The names keep their order, the values change.
void relabel(Names& n, Names::iterator at, uint64_t anchor) {
  using u128 = unsigned __int128;
  Names::iterator first = at, last = at;  // the window's names, both ends included
  uint64_t count = 1;
  double limit = 1.0;
  for (unsigned i = 1; i <= 64; ++i) {
    limit *= 4.0 / 3.0;
    const u128 size = u128(1) << i;
    const uint64_t base = i == 64 ? 0 : anchor & ~uint64_t(size - 1);
    const u128 end = u128(base) + size;  // one past the window
    while (first != n.begin() && std::prev(first)->second >= base) --first, ++count;
    while (std::next(last) != n.end() && u128(std::next(last)->second) < end) ++last, ++count;
    if (double(count) >= limit && i < 64) continue;
    // count + 1 slots of equal width: labels base + step .. base + count * step, never the
    // window's first or last value, so 0 and 2^64 - 1 stay free as the outer bounds.
    const u128 step = size / (count + 1);
    if (step < 2) continue;  // i == 64 and ~2^63 names: cannot happen on this machine
    u128 label = u128(base) + step;
    for (auto it = first;; ++it, label += step) {
      it->second = uint64_t(label);
      if (it == last) break;
    }
    ++detail::epoch;
    return;
  }
}

}  // namespace

const uint64_t* cell(const char* name) {
  Names& n = names();
  auto it = n.lower_bound(name);
  if (it != n.end() && it->first == name) return &it->second;
  it = n.emplace_hint(it, name, 0);
  const uint64_t lo = it == n.begin() ? 0 : std::prev(it)->second;
  const uint64_t hi = std::next(it) == n.end() ? ~uint64_t(0) : std::next(it)->second;
  // Midpoint, except that names appended at either end leave room for many more there
  // (names are mostly registered in creation order: card0.*, card1.*, ...).
  constexpr uint64_t kStride = uint64_t(1) << 32;
  if (hi - lo >= 2) {
    if (std::next(it) == n.end() && hi - lo > 2 * kStride)
      it->second = lo + kStride;
    else if (it == n.begin() && hi - lo > 2 * kStride)
      it->second = hi - kStride;
    else
      it->second = lo + (hi - lo) / 2;
    return &it->second;
  }
  it->second = lo;  // its neighbour's value for now: the order stays monotone while counting
  relabel(n, it, lo);
  return &it->second;
}

uint64_t size() { return names().size(); }

}  // namespace gs::name_rank
