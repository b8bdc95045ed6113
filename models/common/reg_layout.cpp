#include "models/common/reg_layout.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

namespace gs {

const char* RegLayout::intern(const std::string& name) {
  static std::unordered_set<std::string> names;  // node-based: the pointers stay valid
  return names.insert(name).first->c_str();
}

RegLayout::Entry& RegLayout::add_entry(uint32_t offset, const std::string& name, uint32_t reset, bool writable) {
  if (offset % 4) throw std::invalid_argument(name + ": register offset must be 4-aligned");
  auto at = std::lower_bound(offsets_.begin(), offsets_.end(), offset);
  if (at != offsets_.end() && *at == offset) throw std::invalid_argument(name + ": two registers at one offset");
  const auto i = at - offsets_.begin();
  offsets_.insert(at, offset);
  Entry e;
  e.offset = offset;
  e.reset = reset;
  e.name = intern(name);
  e.writable = writable;
  return *entries_.insert(entries_.begin() + i, e);
}

long RegLayout::index_of(uint32_t offset) const {
  auto at = std::lower_bound(offsets_.begin(), offsets_.end(), offset);
  return at != offsets_.end() && *at == offset ? long(at - offsets_.begin()) : -1;
}

}  // namespace gs
