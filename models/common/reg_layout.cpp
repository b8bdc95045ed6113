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
  Entry& added = *entries_.insert(entries_.begin() + i, e);
  if (direct_ && offset / 4 >= kDirectWords) direct_ = false, by_word_.clear(), by_word_.shrink_to_fit();
  if (direct_) {
    if (offset / 4 >= by_word_.size()) by_word_.resize(offset / 4 + 1, -1);
    index_words(size_t(i));  // the entries after the new one moved up by one
  }
  return added;
}

void RegLayout::index_words(size_t from) {
  for (size_t k = from; k < entries_.size(); ++k) by_word_[entries_[k].offset / 4] = int32_t(k);
}

long RegLayout::search(uint32_t offset) const {
  auto at = std::lower_bound(offsets_.begin(), offsets_.end(), offset);
  return at != offsets_.end() && *at == offset ? long(at - offsets_.begin()) : -1;
}

}  // namespace gs
