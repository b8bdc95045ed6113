// ECMP path choice: a hash of the UDP/IP 5-tuple, so every packet of one flow (one QP's
// source port) takes the same path and distinct flows spread. Each switch salts the hash
// with its own seed so that tiers do not all make the same choice (hash polarisation).
#pragma once
#include <cstdint>

#include "models/fabric/packet.hpp"

namespace gs {

constexpr uint8_t kIpProtoUdp = 17;

inline uint64_t mix64(uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// RoCE v2 puts flow entropy in the UDP source port: GAUDI derives it from the QP pair.
inline uint16_t roce_udp_sport(uint32_t src_qp, uint32_t dst_qp) {
  return uint16_t(0xC000u | (((src_qp * 0x9E37u) ^ dst_qp) & 0x3FFFu));
}

inline uint64_t flow_hash(const Packet& p, uint64_t salt) {
  uint64_t h = mix64(salt ^ ((uint64_t(p.src_ip) << 32) | p.dst_ip));
  return mix64(h ^ ((uint64_t(p.udp_sport) << 24) | (uint64_t(p.udp_dport) << 8) | kIpProtoUdp));
}

}  // namespace gs
