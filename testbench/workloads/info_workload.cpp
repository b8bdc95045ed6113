#include "testbench/workloads/info_workload.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "driver/lib/thunk.hpp"
#include "testbench/output/errno_text.hpp"
#include "testbench/system.hpp"

namespace gs {

void InfoWorkload::setup(System& sys) {
  for (auto& h : sys.hosts()) {
    unsigned idx = h->index();
    h->spawn_process("info", [this, &sys, idx] { query_host(sys, idx); });
  }
}

void InfoWorkload::query_host(System& sys, unsigned host) {
  Host& h = *sys.hosts()[host];
  hlthunk::Thunk thunk(h.driver(), /*pid*/ 100 + int(host));
  for (auto& dev : h.driver().devices()) {
    const hl::AsicProps& p = dev->props();
    Row r;
    r.host = host;
    r.index = host * sys.params().topology.cards + dev->pci_dev();
    r.pci = dev->pci_name();
    r.vendor_id = p.vendor_id;
    r.device_id = p.device_id;
    r.probe_us = double(dev->probe_ns()) / 1000.0;
    int fd = thunk.open(dev->id());
    if (fd < 0) {
      r.status = dev->probe_error().empty() ? output::failure_text("open failed", fd) : dev->probe_error();
      rows_.push_back(r);
      continue;
    }
    hl_info_hw_ip_info hw{};
    uint32_t status = 0;
    if (thunk.hw_ip_info(fd, &hw) == 0 && thunk.device_status(fd, &status) == 0) {
      r.device_id = hw.device_id;
      r.sram_bytes = p.sram_bytes;
      r.hbm_bytes = p.hbm_bytes;
      r.user_dram_bytes = hw.dram_size;
      r.tpc = unsigned(__builtin_popcount(hw.tpc_enabled_mask));
      r.mme = p.mme_engines;
      r.dma = p.dma_channels;
      r.nic_ports = p.nic_ports;
      r.msi_vectors = p.msi_vectors;
      r.serial = p.serial;
      r.status = status == HL_DEVICE_STATUS_OPERATIONAL ? "up" : hl::to_string(hl::DeviceStatus(status));
    } else {
      r.status = "INFO failed";
    }
    thunk.close(fd);
    rows_.push_back(r);
  }
}

int InfoWorkload::report(System& sys, std::ostream& out, nlohmann::json& record) {
  std::sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) { return a.index < b.index; });
  out << fmt::format("{:>4} {:>4} {:<13} {:>6} {:>6} {:>8} {:>8} {:>3} {:>3} {:>3} {:>5} {:>3} {:>10}  {}\n", "card",
                     "host", "pci", "vendor", "device", "HBM GiB", "SRAM MiB", "TPC", "MME", "DMA", "ports",
                     "MSI", "probe us", "status");
  nlohmann::json cards = nlohmann::json::array();
  int bad = 0;
  for (const Row& r : rows_) {
    out << fmt::format("{:>4} {:>4} {:<13} {:>#6x} {:>#6x} {:>8.1f} {:>8.1f} {:>3} {:>3} {:>3} {:>5} {:>3} {:>10.1f}  {}\n",
                       r.index, r.host, r.pci, r.vendor_id, r.device_id, r.hbm_bytes / double(1ull << 30),
                       r.sram_bytes / double(1 << 20), r.tpc, r.mme, r.dma, r.nic_ports, r.msi_vectors,
                       r.probe_us, r.status);
    if (r.status != "up") ++bad;
    cards.push_back({{"card", r.index}, {"host", r.host}, {"pci", r.pci}, {"vendor_id", r.vendor_id},
                     {"device_id", r.device_id}, {"hbm_bytes", r.hbm_bytes}, {"sram_bytes", r.sram_bytes},
                     {"user_dram_bytes", r.user_dram_bytes}, {"tpc", r.tpc}, {"mme", r.mme}, {"dma", r.dma},
                     {"nic_ports", r.nic_ports}, {"msi_vectors", r.msi_vectors}, {"serial", r.serial},
                     {"probe_us", r.probe_us}, {"status", r.status}, {"error", r.status == "up" ? "" : r.status}});
  }
  unsigned expected = unsigned(sys.cards().size());
  out << fmt::format("total: {} of {} cards up\n", rows_.size() - bad, expected);
  record["results"] = std::move(cards);
  record["summary"] = {{"cards", expected}};
  record["totals"] = {{"cards_up", rows_.size() - bad}, {"cards", expected}};
  // A card that did not come up is reported and fails the run (exit 1), asked for or not:
  // scripts must not mistake a machine with a dead card for a healthy one.
  return rows_.size() == expected && bad == 0 ? 0 : 1;
}

}  // namespace gs
