// MAC and IP addresses of everything on the fabric (docs/fabric.md, "Addressing").
//   GAUDI port p of card c on host h: MAC 02:1D:A3:hh:cc:pp, IP 10.h.c.(p+1)
//     (02:1D:A3 = GAUDISIM_GAUDI_OUI: locally administered, built from Habana's PCI vendor id)
//   third-party NIC k:                MAC 0C:42:A1:00:kk:kk, IP 172.16.0.0 + k + 1
//   switch k, port n:                 MAC 0A:00:kk:kk:nn:nn (locally administered; PFC frames only)
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

#include "models/fabric/third_party_nic.hpp"
#include "specs/gaudi/nic.h"

namespace gs {

constexpr unsigned kMaxAddressableHosts = 256;  // one byte of the MAC and of the IP each

inline uint64_t gaudi_mac(unsigned host, unsigned card, unsigned port) {
  return (uint64_t(GAUDISIM_GAUDI_OUI) << 24) | (uint64_t(host & 0xFF) << 16) | ((card & 0xFF) << 8) | (port & 0xFF);
}
inline uint32_t gaudi_ip(unsigned host, unsigned card, unsigned port) {
  return (10u << 24) | ((host & 0xFF) << 16) | ((card & 0xFF) << 8) | ((port + 1) & 0xFF);
}
inline bool is_gaudi_mac(uint64_t mac) { return GSIM_MAC_OUI(mac) == GAUDISIM_GAUDI_OUI; }

inline uint64_t third_party_mac(unsigned k) { return (kThirdPartyOui << 24) | (k & 0xFFFF); }
inline uint32_t third_party_ip(unsigned k) { return (172u << 24) + (16u << 16) + k + 1; }

inline uint64_t switch_mac(unsigned sw, unsigned port) {
  return (0x0A00ull << 32) | (uint64_t(sw & 0xFFFF) << 16) | (port & 0xFFFF);
}

inline std::string ip_text(uint32_t ip) {
  char b[16];
  std::snprintf(b, sizeof b, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xFF, (ip >> 8) & 0xFF, ip & 0xFF);
  return b;
}
inline std::string mac_text(uint64_t mac) {
  char b[18];
  std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", unsigned(mac >> 40) & 0xFF, unsigned(mac >> 32) & 0xFF,
                unsigned(mac >> 24) & 0xFF, unsigned(mac >> 16) & 0xFF, unsigned(mac >> 8) & 0xFF, unsigned(mac) & 0xFF);
  return b;
}

}  // namespace gs
