// Frames are made and dropped at the packet rate (one per data frame and ACK per port):
// make_packet() takes a block from the free list of frames no longer referenced
// (packet.hpp's PacketPtr returns them there) instead of the heap. The blocks are kept for
// the process (bounded by the most frames ever alive at once). Blocks are aligned to cache
// lines, so that what a hop reads of a frame (packet.hpp) is one line. Single-threaded like
// the kernel.
#pragma once
#include <new>

#include "models/fabric/packet.hpp"

namespace gs {

namespace detail {
inline void* packet_block() {
  std::vector<Packet*>& list = free_packets();
  if (list.empty()) return ::operator new(sizeof(Packet), std::align_val_t{alignof(Packet)});
  Packet* b = list.back();
  list.pop_back();
  return b;
}
}  // namespace detail

inline PacketPtr make_packet() { return PacketPtr(new (detail::packet_block()) Packet()); }
inline PacketPtr make_packet(const Packet& copy) { return PacketPtr(new (detail::packet_block()) Packet(copy)); }

}  // namespace gs
