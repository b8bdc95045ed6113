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
  uint32_t max_read_request_bytes = 512;   // MRRS: the PCIe spec's reset default
  uint32_t read_completion_bytes = 128;    // assumed: the host splits read data at a 128 B RCB
  uint32_t completion_overhead_bytes = 22; // framing 4, sequence 2, 3-DW header 12, LCRC 4
  uint32_t read_tags = 64;                 // assumed: read requests in flight (tags / NP credits)
  double dllp_overhead = 0.03;             // assumed: link time taken by Ack/UpdateFC DLLPs, SKPs
  uint32_t cards_per_link = 1;             // cards behind one PCIe switch sharing one host link
  double completion_timeout_us = 50000;    // PCIe spec default range 50 us..50 ms: its upper end, assumed

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
    v.param("pcie.max_read_request_bytes", max_read_request_bytes, "B", "max read request size (MRRS): bytes one DMA read request asks for", Range{128, 4096});
    v.param("pcie.read_completion_bytes", read_completion_bytes, "B", "data bytes per read completion TLP (the host's completion split, RCB 64 or 128)", Range{64, 4096});
    v.param("pcie.completion_overhead_bytes", completion_overhead_bytes, "B", "per-completion framing+header+CRC bytes", Range{0, 64});
    v.param("pcie.read_tags", read_tags, "", "DMA read requests in flight at once (tags, non-posted credits)", Range{1, 1024});
    v.param("pcie.dllp_overhead", dllp_overhead, "", "share of link time taken by DLLPs (Ack, UpdateFC) and SKP ordered sets", Range{0, 0.5});
    v.param("pcie.completion_timeout_us", completion_timeout_us, "us",
            "how long the card waits for the completion of a read of host memory before failing it (PCIe spec default range 50 us..50 ms; assumed: 50 ms)",
            Range{1, 1e6});
    v.param("pcie.cards_per_link", cards_per_link, "", "cards of a host that share one link to the host through a PCIe switch (AWS DL1: 2)", Range{1, 64});
  }

  // Raw data rate after 128b/130b encoding, in GB/s per direction.
  double raw_gbytes_per_s() const { return lanes * gts_per_lane * (128.0 / 130.0) / 8.0; }
  // What TLPs get of the raw rate once DLLPs and SKP ordered sets have taken their share.
  double link_gbytes_per_s() const { return raw_gbytes_per_s() * (1.0 - dllp_overhead); }
  // The TLP-overhead bound: payload rate if every byte went in MPS-sized TLPs and nothing else.
  double tlp_bound_gbytes_per_s() const {
    return raw_gbytes_per_s() * max_payload_bytes / double(max_payload_bytes + tlp_overhead_bytes);
  }
  // Device -> host (posted writes of MPS payload) and host -> device (DMA reads: completions
  // of read_completion_bytes, at most read_tags requests of MRRS per round trip) payload rates.
  double write_gbytes_per_s() const {
    return link_gbytes_per_s() * max_payload_bytes / double(max_payload_bytes + tlp_overhead_bytes);
  }
  double read_tag_gbytes_per_s() const {
    return latency_ns > 0 ? read_tags * double(max_read_request_bytes) / (2 * latency_ns) : 1e9;
  }
  double read_gbytes_per_s() const {
    double cpl = link_gbytes_per_s() * read_completion_bytes / double(read_completion_bytes + completion_overhead_bytes);
    return cpl < read_tag_gbytes_per_s() ? cpl : read_tag_gbytes_per_s();
  }
  static uint64_t split(uint64_t payload, uint32_t unit) {
    uint64_t n = (payload + unit - 1) / unit;
    return n ? n : 1;
  }
  // Link bytes of a posted write, of the read requests for `payload`, of their completions.
  uint64_t wire_bytes(uint64_t payload) const { return payload + split(payload, max_payload_bytes) * tlp_overhead_bytes; }
  uint64_t read_request_wire_bytes(uint64_t payload) const {
    return split(payload, max_read_request_bytes) * tlp_overhead_bytes;
  }
  uint64_t completion_wire_bytes(uint64_t payload) const {
    return payload + split(payload, read_completion_bytes) * completion_overhead_bytes;
  }
};

}  // namespace gs
