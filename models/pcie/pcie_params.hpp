// PCIe link parameters. Defaults: GAUDI's host interface, PCIe Gen4 x16.
#pragma once
#include <cstdint>

#include "common/params.hpp"

namespace gs {

struct PcieParams {
  uint32_t lanes = 16;
  double gts_per_lane = 16.0;          // Gen4
  uint32_t max_payload_bytes = 256;    // MPS: data bytes per TLP
  uint32_t tlp_overhead_bytes = 26;    // framing 2+4, sequence 2, header 16, LCRC 4 (64-bit addr)
  double mmio_read_ns = 1000;          // host MMIO read round trip as the CPU sees it
  double latency_ns = 450;             // one-way flight: posted writes, DMA, MSI
  double posted_write_issue_ns = 20;   // CPU time to issue a posted MMIO write
  double cfg_access_ns = 1000;         // one configuration-space access
  uint64_t hbm_bar_bytes = 256ull << 20;  // size of the movable HBM window (BAR 4), assumed

  template <class V> void visit(V& v) {
    v.param("pcie.lanes", lanes, "lanes", "PCIe link width", Range{1, 32});
    v.param("pcie.gts_per_lane", gts_per_lane, "GT/s", "per-lane signalling rate (Gen4: 16)", Range{2.5, 64});
    v.param("pcie.max_payload_bytes", max_payload_bytes, "B", "max TLP payload (MPS)", Range{128, 4096});
    v.param("pcie.tlp_overhead_bytes", tlp_overhead_bytes, "B", "per-TLP framing+header+CRC bytes", Range{0, 64});
    v.param("pcie.mmio_read_ns", mmio_read_ns, "ns", "MMIO read round trip seen by the host CPU", Range{1, 1e7});
    v.param("pcie.latency_ns", latency_ns, "ns", "one-way latency of posted writes, DMA and MSI", Range{0, 1e7});
    v.param("pcie.posted_write_issue_ns", posted_write_issue_ns, "ns", "CPU cost of issuing a posted MMIO write", Range{0, 1e6});
    v.param("pcie.cfg_access_ns", cfg_access_ns, "ns", "one configuration-space access", Range{1, 1e7});
    v.param("pcie.hbm_bar_bytes", hbm_bar_bytes, "B", "size of the movable HBM window behind BAR 4", Range{1 << 20, 64.0 * (1ull << 30)});
  }

  // Raw data rate after 128b/130b encoding, in GB/s per direction.
  double raw_gbytes_per_s() const { return lanes * gts_per_lane * (128.0 / 130.0) / 8.0; }
  // Rate left for payload once every TLP pays its overhead.
  double effective_gbytes_per_s() const {
    return raw_gbytes_per_s() * max_payload_bytes / double(max_payload_bytes + tlp_overhead_bytes);
  }
  uint64_t wire_bytes(uint64_t payload) const {
    uint64_t tlps = (payload + max_payload_bytes - 1) / max_payload_bytes;
    return payload + (tlps ? tlps : 1) * tlp_overhead_bytes;
  }
};

}  // namespace gs
