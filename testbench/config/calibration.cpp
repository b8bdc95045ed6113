#include "testbench/config/calibration.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

// Short names for text quoted often (full citations: docs/calibration.md).
#define FACTS "gaudi-facts.md"
#define ASSUMED "assumption: "

namespace gs {

const std::vector<CalibrationSource>& calibration_sources() {
  static const std::vector<CalibrationSource> table = {
      // PCIe
      {"pcie.lanes", "PCIe Gen4 x16 host interface (product brief, " FACTS ")", "host DMA rate, CS submission"},
      {"pcie.gts_per_lane", "Gen4: 16 GT/s (PCIe 4.0 spec); DL1 preset: Gen3, 8 GT/s (AWS)", "host DMA rate"},
      {"pcie.max_payload_bytes", ASSUMED "MPS 256 B, what server root ports commonly grant", "device-to-host DMA rate"},
      {"pcie.tlp_overhead_bytes", "PCIe spec: framing 2+4, sequence 2, 4-DW header 16, LCRC 4", "device-to-host DMA rate"},
      {"pcie.mmio_read_ns", ASSUMED "about 1 us round trip of an uncached read through the root complex", "probe time, driver register polls"},
      {"pcie.latency_ns", ASSUMED "one-way TLP flight through root complex and link, a few hundred ns", "small-transfer and completion latency, DMA read round trip"},
      {"pcie.posted_write_issue_ns", ASSUMED "CPU cost of an uncached posted store", "CS submission rate"},
      {"pcie.cfg_access_ns", ASSUMED "configuration access, slower than MMIO", "probe time"},
      {"pcie.hbm_bar_bytes", ASSUMED "a 256 MiB movable window (BAR 4 size is not in the public headers)", "host access to HBM through the BAR"},
      {"pcie.max_read_request_bytes", "MRRS 512 B: the PCIe spec's reset value of Max_Read_Request_Size", "host-to-device DMA rate (request overhead, tag limit)"},
      {"pcie.read_completion_bytes", ASSUMED "root complexes split read data at the read completion boundary (64 or 128 B); 128 B taken", "host-to-device DMA rate (the main reason it sits below the TLP bound)"},
      {"pcie.completion_overhead_bytes", "PCIe spec: framing 2+4, sequence 2, 3-DW completion header 12, LCRC 4 = 22 B (kept with the framing of pcie.tlp_overhead_bytes)", "host-to-device DMA rate"},
      {"pcie.read_tags", ASSUMED "64 reads in flight; with MRRS 512 B over a 0.9 us round trip that allows 36 GB/s, above the Gen4 link, so it binds only at longer latencies", "host-to-device DMA rate at high latency"},
      {"pcie.dllp_overhead", ASSUMED "3 % of link time for Ack/UpdateFC DLLPs and SKP ordered sets (typical estimates 2-5 %)", "every host DMA rate"},
      {"pcie.cards_per_link", "1: one x16 link per card (HLS-1); AWS DL1: 2 cards per Gen3 x16 link (AWS DL1 blog, " FACTS ")", "host DMA rate per card when cards share a link"},
      {"pcie.completion_timeout_us", ASSUMED "50 ms: the upper end of the PCIe spec's default completion timeout range (50 us..50 ms); GAUDI's setting is not public", "when a read the host never answers fails (fault pcie_timeout)"},
      // Card
      {"card.hbm_bytes", "32 GiB HBM2 (gaudiP.h GAUDI_HBM_SIZE_32GB)", "capacity only"},
      {"card.sram_bytes", "20 MiB usable (gaudi.h SRAM_SIZE)", "capacity only"},
      {"card.noc_latency_ns", ASSUMED "one on-chip router hop, a few cycles", "latency of every on-chip access (small)"},
      {"card.reg_latency_ns", ASSUMED "register block access, about 15 cycles", "packet and doorbell latency (small)"},
      {"card.tpc_cores", "8 TPC cores (hl-thunk gaudi.h)", "TPC throughput, collectives' reductions"},
      {"card.mme_engines", "2 MME masters with a QMAN each (gaudi.h)", "GEMM throughput"},
      {"card.dma_channels", "8 DMA channels (gaudi.h)", "concurrent copies"},
      {"card.tpc_clock_mhz", ASSUMED "1650 MHz inside the 1.5-2.2 GHz working range (" FACTS ")", "compute-bound TPC kernels"},
      {"card.mme_clock_mhz", ASSUMED "1831 MHz: with 128 x 64 MAC arrays per master, 2 masters give the public 60 TFLOPS bf16 (Intel, Hot Chips 2024); inside the 2.2 GHz PLL cap", "GEMM throughput"},
      {"card.cpu_clock_mhz", ASSUMED "device CPU clock reported by INFO; no timing depends on it", "nothing (reported only)"},
      {"memory.hbm_gbps", "900 GB/s peak over 4 HBM2 stacks (Intel, Hot Chips 2024 generation comparison)", "memory-bound TPC kernels, HBM DMA, thin GEMMs"},
      {"memory.hbm_efficiency", ASSUMED "0.9: HBM2 devices sustain about 85-93 % of peak in streaming copies (refresh, bank conflicts, read/write turnarounds); GAUDI's figure is not published", "memory-bound TPC kernels, concurrent HBM DMA (810 GB/s of 900)"},
      {"memory.hbm_latency_ns", ASSUMED "HBM2 access through the controller, about 120 ns", "latency-bound small accesses"},
      {"memory.sram_gbps", ASSUMED "on-chip SRAM faster than HBM, 2 TB/s", "SRAM-resident kernels"},
      {"memory.sram_latency_ns", ASSUMED "on-chip SRAM, tens of cycles", "SRAM-resident kernels (small)"},
      // NIC
      {"nic.ports", "10 x 100 GbE RoCE v2 (product brief)", "topology, collective bandwidth"},
      {"nic.speed_gbps", "100 Gb/s per port, 2 x 50G PAM4 lanes (product brief, driver)", "every RDMA and collective figure"},
      {"nic.phy_latency_ns", ASSUMED "PCS/FEC/PMA latency of a 100G port, about 100 ns", "RDMA latency"},
      {"nic.mtu", "4096 B: the sensible default below the ~8 KiB limit (driver, " FACTS ")", "wire efficiency (97.9 % at 4096), packet count"},
      {"nic.ack_every", ASSUMED "coalesced ACKs every 8 packets", "reverse-path load, retransmission window"},
      {"nic.ack_delay_ns", ASSUMED "10 us ACK timer", "latency of the last ACK of a message"},
      {"nic.retrans_timeout_us", ASSUMED "200 us retransmission timer (per-macro timers, value not public)", "recovery time after loss"},
      {"nic.retry_count", "7: the InfiniBand maximum retry count", "when a lossy link fails a QP"},
      {"nic.window_packets", ASSUMED "no window limit (no DCQCN found in the public code; later uAPI adds a per-QP window)", "incast and congestion behaviour"},
      {"nic.priority", ASSUMED "PFC class 3, the usual RoCE lossless class", "PFC interactions"},
      // Device CPU and driver
      {"cpu.event_ns", ASSUMED "firmware turns an engine error into an event in a few us", "error-report latency"},
      {"cpu.msg_ns", ASSUMED "firmware serves a CPU-queue message in about 5 us", "probe time, NIC bring-up"},
      {"cpu.boot_us", ASSUMED "5 s from power-on or reset to firmware ready: no public boot time; the Linux driver's waits (preboot 4 s, boot loader 15 s, device CPU 30 s) bound the stages, which take 10/40/30/20 % of it", "probe time, downtime after every hard reset (fault recovery)"},
      {"cpu.reset_us", ASSUMED "1 s for the hard reset itself: the Linux driver allows 2 s (GAUDI_RESET_TIMEOUT_MSEC)", "downtime after every hard reset"},
      {"driver.boot_timeout_us", "30 s: the Linux driver's device-CPU wait (GAUDI_CPU_TIMEOUT_USEC)", "when probe of a dead card gives up"},
      {"driver.boot_poll_us", "10 ms: HL_FW_STATUS_POLL_INTERVAL_USEC of the Linux driver", "probe time granularity"},
      {"driver.cs_timeout_ms", "5 s (2019 habanalabs timeout_locked; 30 s upstream now)", "hung-CS detection, fault-recovery downtime"},
      {"driver.heartbeat_ms", "5 s (HL_HEARTBEAT_PER_USEC)", "detection of a hung device CPU"},
      {"driver.max_pending_cs", ASSUMED "4096 tracked CSs, a power of two like the Linux driver's per-ASIC max_pending_cs (its GAUDI value not checked here)", "when WAIT_CS of an old CS turns to the outcome store"},
      {"driver.cs_outcome_store", ASSUMED "256 outcomes of retired CSs (Linux keeps a per-context store of its own size)", "when WAIT_CS of a very old CS gives FLAG_GONE"},
      {"driver.kernel_cb_slot_bytes", ASSUMED "512-byte slots: a user CB's checked copy with the completion packets is a few hundred bytes in the workloads here (the Linux driver's own CB pool has larger CBs)", "host pages first touched per submission (simulator memory and CPU only: no simulated time)"},
      {"driver.kernel_cb_block_bytes", ASSUMED "one 4 KiB page of slots at a time", "host pages the pool takes at once (simulator memory only)"},
      // QMAN, engines
      {"qman.clock_mhz", ASSUMED "QMAN/CP clock as the TPC clock", "packet processing rate"},
      {"qman.cycles_per_packet", ASSUMED "8 CP cycles per packet", "CB processing time, small-CS latency"},
      {"qman.fetch_cycles", ASSUMED "16 cycles to take one PQ entry", "CS latency"},
      {"dma.engine_gbps", ASSUMED "one DMA channel moves up to 200 GB/s (not published)", "HBM-to-HBM copies, collectives' DMA legs"},
      {"dma.chunk_bytes", ASSUMED "32 KiB transfer granule: fine enough for fair sharing", "contention granularity (not rates)"},
      {"dma.setup_ns", ASSUMED "100 ns descriptor decode", "small-copy latency"},
      {"dma.outstanding_chunks", ASSUMED "4 chunks in flight hide memory and PCIe latency", "DMA rate at high latency"},
      {"tpc.ops_per_cycle", "64 fp32 lanes of a 2048-bit vector (TPC user guide)", "compute-bound TPC kernels"},
      {"tpc.bf16_ops_per_cycle", "128 16-bit lanes of the same vector (TPC user guide)", "compute-bound bf16 TPC kernels"},
      {"tpc.launch_ns", ASSUMED "500 ns kernel start", "small-kernel time"},
      {"tpc.port_gbps", ASSUMED "200 GB/s per core: 8 cores together exceed HBM, so memory-bound kernels see HBM", "single-core memory-bound kernels"},
      {"tpc.chunk_bytes", ASSUMED "32 KiB pipeline step", "contention granularity"},
      {"tpc.outstanding_chunks", ASSUMED "4 steps in flight", "latency hiding"},
      {"mme.array_rows", ASSUMED "128 rows per master (with its slave); with array_cols and the clock, 60 TFLOPS bf16", "GEMM peak and tile efficiency"},
      {"mme.array_cols", ASSUMED "64 columns: the public 60 TFLOPS at 1831 MHz (108 TFLOPS with 128 x 128 at 1650 MHz was 1.8x too high)", "GEMM peak and tile efficiency"},
      {"mme.fp32_slowdown", ASSUMED "fp32 at a quarter of the bf16 rate (15 TFLOPS); no public fp32 MME figure", "fp32 GEMM throughput"},
      {"mme.launch_ns", ASSUMED "1 us descriptor decode and array set-up", "small-GEMM time"},
      {"mme.port_gbps", ASSUMED "500 GB/s per master", "thin (memory-bound) GEMMs"},
      {"mme.chunk_bytes", ASSUMED "64 KiB request granule", "contention granularity"},
      {"mme.outstanding_chunks", ASSUMED "8 requests in flight", "latency hiding"},
      {"mme.outstanding_blocks", ASSUMED "4 operand blocks buffered", "pipelining of load/compute/store"},
      {"sync.monitor_latency_ns", ASSUMED "20 ns from SOB update to monitor write", "fence latency, collective step latency"},
      // Power
      {"power.max_w", "350 W HL-205 OAM (MAX_POWER_DEFAULT_PMC, Linux gaudiP.h); HL-200 PCIe 200 W", "sysfs max_power"},
      {"power.idle_w", ASSUMED "100 W idle; with the busy figures below, every engine busy at once comes to about 320 W, under the 350 W limit", "INFO TOTAL_ENERGY / POWER"},
      {"power.tpc_w", ASSUMED "10 W per busy TPC core", "energy of TPC-heavy work"},
      {"power.mme_w", ASSUMED "50 W per busy MME master with its slave", "energy of GEMM-heavy work"},
      {"power.dma_w", ASSUMED "3 W per busy DMA channel", "energy of copies"},
      {"power.hbm_pj_per_byte", ASSUMED "about 3.9 pJ/bit for HBM2 accesses, i.e. 30 pJ/B", "energy of memory-bound work"},
      {"power.ambient_c", ASSUMED "35 C server inlet air", "the temperature floor (hwmon temp1_input)"},
      {"power.thermal_c_per_w", ASSUMED "0.15 C/W: the 350 W limit lifts the die 52.5 C above ambient", "the temperature under load"},
      {"power.thermal_tau_s", ASSUMED "20 s for the die and heat sink", "how fast the temperature follows the load"},
      // Collective library
      {"comm.chunk_bytes", ASSUMED "1 MiB pipeline piece: large enough to amortise per-step costs", "collective bandwidth at mid sizes"},
      {"comm.reduce_cores", ASSUMED "4 TPC cores share the reductions", "all-reduce / reduce-scatter bandwidth"},
      {"comm.scaleout_ports", "3: HLS-1 cards have 3 external ports, 1, 8 and 9 (" FACTS ")", "all-reduce bandwidth across boxes"},
      // Fabric
      {"fabric.link_gbps", "100 GbE: third-party NICs and switch links at the GAUDI port speed", "scale-out bandwidth"},
      {"fabric.link_latency_ns", ASSUMED "100 ns: about 20 m of fibre or a short copper cable", "RDMA latency across the fabric"},
      {"fabric.switch_buffer_bytes", ASSUMED "16 MiB shared buffer of a 32 x 100G switch class", "incast loss/PFC onset"},
      {"fabric.switch_latency_ns", ASSUMED "300 ns port to port (cut-through class)", "latency across switches"},
      {"fabric.pfc_xoff_bytes", ASSUMED "96 KiB per ingress port and priority", "PFC pause onset"},
      {"fabric.pfc_xon_bytes", ASSUMED "64 KiB resume threshold", "PFC pause duration"},
      {"fabric.ecn_threshold_bytes", ASSUMED "128 KiB per egress queue", "ECN marking (counted; no reaction modelled)"},
      {"fabric.flow_overhead_ns", "calibrated against the packet model: a lone 2 MiB flow across 1 to 5 switches (docs/fabric.md)", "flow-model completion times"},
  };
  return table;
}
#undef FACTS
#undef ASSUMED

bool is_run_shape_key(const std::string& key) {
  static const std::set<std::string> sections = {"sim", "topology", "workload", "gemm", "rdma", "traffic", "fault"};
  static const std::set<std::string> keys = {
      "dma.bytes", "tpc.elements", "tpc.row", "tpc.cores", "tpc.inputs", "card.serial_base",
      "fabric.leaf_switches", "fabric.spine_switches", "fabric.third_party_nics", "fabric.fattree_k",
      "fabric.fattree_oversub", "fabric.fattree_edge_agg_gbps", "fabric.fattree_agg_core_gbps",
      "fabric.loss_rate", "fabric.corrupt_rate"};
  return sections.count(section_of(key)) > 0 || keys.count(key) > 0;
}

bool needs_calibration_source(const ParamInfo& p) {
  static const std::set<std::string> numeric = {"int32", "int64", "uint32", "uint64", "double"};
  return numeric.count(p.type) > 0 && !is_run_shape_key(p.key);
}

void print_calibration(std::ostream& os, const std::vector<ParamInfo>& params) {
  std::map<std::string, const CalibrationSource*> by_key;
  for (const CalibrationSource& s : calibration_sources()) {
    if (!by_key.emplace(s.key, &s).second) throw std::logic_error(std::string("calibration: '") + s.key + "' listed twice");
  }
  std::set<std::string> used;
  os << "| key | default | unit | source | moves most |\n|---|---|---|---|---|\n";
  for (const ParamInfo& p : params) {
    if (!needs_calibration_source(p)) continue;
    auto it = by_key.find(p.key);
    if (it == by_key.end()) throw std::logic_error("calibration: parameter '" + p.key + "' has no source in testbench/config/calibration.cpp");
    used.insert(p.key);
    os << "| `" << p.key << "` | " << p.default_value << " | " << (p.unit.empty() ? "-" : p.unit) << " | "
       << it->second->source << " | " << it->second->moves << " |\n";
  }
  for (const auto& [key, source] : by_key)
    if (!used.count(key)) throw std::logic_error("calibration: source for '" + key + "', which is not a calibrated parameter");
}

}  // namespace gs
