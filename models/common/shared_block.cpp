#include "models/common/shared_block.hpp"

#include <map>
#include <mutex>

#include "models/common/page_blocks.hpp"

namespace gs {

namespace {

std::mutex& pools_mutex() {
  static auto* m = new std::mutex;  // never destroyed: blocks may be returned until exit
  return *m;
}

PageBlocks& pool_of(size_t bytes) {
  static auto* pools = new std::map<size_t, std::unique_ptr<PageBlocks>>;
  auto& pool = (*pools)[bytes];
  if (!pool) pool = std::make_unique<PageBlocks>(bytes);
  return *pool;
}

}  // namespace

SharedBlock SharedBlocks::take(size_t bytes) {
  uint8_t* b;
  {
    std::lock_guard<std::mutex> g(pools_mutex());
    b = pool_of(bytes).get();
  }
  if (!b) return nullptr;
  return SharedBlock(b, Return{b, bytes});
}

void SharedBlocks::Return::operator()(uint8_t* b) const {
  if (!b) return;
  std::lock_guard<std::mutex> g(pools_mutex());
  pool_of(bytes).put(b);
}

size_t SharedBlocks::block_bytes(const std::shared_ptr<const uint8_t>& p) {
  const Return* r = std::get_deleter<Return>(p);
  return r && r->base == p.get() ? r->bytes : 0;
}

}  // namespace gs
