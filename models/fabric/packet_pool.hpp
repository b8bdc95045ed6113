// Frames are made and dropped at the packet rate (one per data frame and ACK per port):
// make_packet() takes the shared control block and the Packet from a free list of same-size
// blocks instead of the heap. The blocks are kept for the process (a free list per size,
// bounded by the most frames ever alive at once). Blocks are aligned to cache lines, so that
// what a hop reads of a frame (packet.hpp) is one line. Single-threaded like the kernel.
#pragma once
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#include "models/fabric/packet.hpp"

namespace gs {

namespace detail {
// Free blocks of one size, S bytes, aligned for any scalar.
// Never destroyed: frames held by objects that outlive main's scope may still come back.
template <size_t S>
struct BlockFreeList {
  std::vector<void*> free;
  static BlockFreeList& get() {
    static BlockFreeList* list = new BlockFreeList;
    return *list;
  }
};

template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) {}
  static constexpr std::align_val_t kLine{64};
  T* allocate(size_t n) {
    if (n != 1) return static_cast<T*>(::operator new(n * sizeof(T), kLine));
    auto& list = BlockFreeList<sizeof(T)>::get().free;
    if (list.empty()) return static_cast<T*>(::operator new(sizeof(T), kLine));
    void* b = list.back();
    list.pop_back();
    return static_cast<T*>(b);
  }
  void deallocate(T* p, size_t n) {
    if (n != 1) return ::operator delete(p, kLine);
    BlockFreeList<sizeof(T)>::get().free.push_back(p);
  }
  template <class U>
  bool operator==(const PoolAllocator<U>&) const { return true; }
  template <class U>
  bool operator!=(const PoolAllocator<U>&) const { return false; }
};
}  // namespace detail

inline PacketPtr make_packet() { return std::allocate_shared<Packet>(detail::PoolAllocator<Packet>()); }
inline PacketPtr make_packet(const Packet& copy) {
  return std::allocate_shared<Packet>(detail::PoolAllocator<Packet>(), copy);
}

}  // namespace gs
