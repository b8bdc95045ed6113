// HL_IOCTL_INFO: facts about the device for user space. The control node may ask too; what
// belongs to a compute context (its DRAM, its CS counters) then reads zero.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "driver/core/hl_device.hpp"
#include "driver/core/hl_driver.hpp"
#include "driver/core/ioctl_info_status.hpp"
#include "driver/core/ioctl_table.hpp"
#include "driver/core/user_access.hpp"
#include "driver/uapi/habanalabs.h"
#include "specs/gaudi/regs.h"

namespace hl {

namespace {

constexpr uint64_t kDramReserved = GAUDI_DRAM_BASE_ADDR_USER;  // firmware image and page tables
constexpr uint64_t kSramBase = 0x7FF0000000ull;
constexpr uint64_t kDramPage = 2ull << 20;      // GAUDI 1 DRAM page (Linux PAGE_SIZE_2MB)

long answer(const hl_info_args& a, const void* data, size_t size) { return info_answer(a, data, size); }

long hw_ip_info(HlDevice& d, const hl_info_args& a) {
  const AsicProps& p = d.props();
  hl_info_hw_ip_info hw{};
  hw.sram_base_address = kSramBase + GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START;
  hw.sram_size = p.sram_bytes - GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START;
  hw.dram_base_address = kDramReserved;
  hw.dram_page_size = kDramPage;
  hw.device_mem_alloc_default_page_size = kDramPage;  // GAUDI 1: the DRAM page
  hw.dram_size = (p.hbm_bytes > kDramReserved ? p.hbm_bytes - kDramReserved : 0) / kDramPage * kDramPage;
  hw.reserved_dram_size = kDramReserved - GAUDI_DRAM_PHYS_BASE;
  hw.num_of_events = uint32_t(d.events().size());
  hw.device_id = p.device_id;
  hw.module_id = p.card_index;
  hw.server_type = HL_SERVER_GAUDI_HLS1;
  hw.tpc_enabled_mask_ext = p.tpc_cores >= 64 ? ~0ull : (1ull << p.tpc_cores) - 1;
  hw.tpc_enabled_mask = uint8_t(hw.tpc_enabled_mask_ext);
  hw.dram_enabled = hw.dram_size > 4096;
  hw.revision_id = p.revision_id;
  // As the firmware's cpucp_info gave them (INFO_GET at probe).
  std::snprintf(reinterpret_cast<char*>(hw.cpucp_version), sizeof hw.cpucp_version, "%s", p.cpucp_version.c_str());
  std::snprintf(reinterpret_cast<char*>(hw.card_name), sizeof hw.card_name, "%s", p.card_name.c_str());
  return answer(a, &hw, sizeof hw);
}

long hw_idle(HlDevice& d, const hl_info_args& a) {
  uint64_t busy = d.busy_engines();
  hl_info_hw_idle h{};
  h.is_idle = busy == 0;
  h.busy_engines_mask = uint32_t(busy);
  h.busy_engines_mask_ext[0] = busy;  // 30 engines: the other words stay 0
  return answer(a, &h, sizeof h);
}

long cs_counters(HlFile& f, const hl_info_args& a) {
  const CsCounters& t = f.dev->cs().counters();
  CsCounters c = f.control ? CsCounters{} : f.dev->cs().context_counters();
  hl_info_cs_counters o{};
  o.total_parsing_drop_cnt = t.parsing;
  o.ctx_parsing_drop_cnt = c.parsing;
  o.total_queue_full_drop_cnt = t.queue_full;
  o.ctx_queue_full_drop_cnt = c.queue_full;
  o.total_device_in_reset_drop_cnt = t.in_reset;
  o.ctx_device_in_reset_drop_cnt = c.in_reset;
  o.total_validation_drop_cnt = t.rejected - t.parsing;
  o.ctx_validation_drop_cnt = c.rejected - c.parsing;
  return answer(a, &o, sizeof o);
}

long dram_usage(HlFile& f, const hl_info_args& a) {
  HlDevice& d = *f.dev;
  const MemoryManager* m = d.context_memory();
  uint64_t total = d.props().hbm_bytes > kDramReserved ? d.props().hbm_bytes - kDramReserved : 0;
  hl_info_dram_usage u{};
  u.dram_free_mem = m ? m->dram_free() : total;
  u.ctx_dram_mem = m && !f.control ? m->dram_used() : 0;
  return answer(a, &u, sizeof u);
}

long sync_manager(const hl_info_args& a) {
  if (a.dcore_id > HL_GAUDI_ES_DCORE) return -EINVAL;
  hl_info_sync_manager s{};
  if (a.dcore_id == HL_GAUDI_WS_DCORE) {  // the only manager with objects for users
    s.first_available_sync_object = GAUDI_FIRST_AVAILABLE_W_S_SYNC_OBJECT;
    s.first_available_monitor = GAUDI_FIRST_AVAILABLE_W_S_MONITOR;
  }
  return answer(a, &s, sizeof s);
}

}  // namespace

long ioctl_info(HlFile& f, void* karg) {
  auto& a = *static_cast<hl_info_args*>(karg);
  HlDevice& d = *f.dev;
  if (a.pad) return -EINVAL;
  switch (a.op) {
    case HL_INFO_GET_EVENTS:
    case HL_INFO_REGISTER_EVENTFD:
    case HL_INFO_UNREGISTER_EVENTFD:
      if (f.control) return -EOPNOTSUPP;  // the compute user's events only (Linux)
      if (a.op == HL_INFO_REGISTER_EVENTFD) return d.register_eventfd(int(a.eventfd));
      if (a.op == HL_INFO_UNREGISTER_EVENTFD) return d.unregister_eventfd();
      break;
  }
  switch (a.op) {  // these answer whatever state the device is in
    case HL_INFO_HW_IP_INFO:
      return hw_ip_info(d, a);
    case HL_INFO_DEVICE_STATUS: {
      hl_info_device_status s{};
      s.status = uint32_t(d.status());
      return answer(a, &s, sizeof s);
    }
    case HL_INFO_RESET_COUNT: {
      hl_info_reset_count r{d.hard_resets(), 0};
      return answer(a, &r, sizeof r);
    }
    case HL_INFO_HW_EVENTS:
    case HL_INFO_HW_EVENTS_AGGREGATE: {
      const EventCounts& ev = a.op == HL_INFO_HW_EVENTS ? d.events() : d.events_aggregate();
      std::vector<uint32_t> counts(ev.size());
      ev.copy_to(counts.data());
      return answer(a, counts.data(), counts.size() * sizeof counts[0]);
    }
    case HL_INFO_CS_COUNTERS:
      return cs_counters(f, a);
    case HL_INFO_SYNC_MANAGER:
      return sync_manager(a);
    case HL_INFO_DRAM_USAGE:
      return dram_usage(f, a);
  }
  long rc = info_status_any(f, a);
  if (rc != -ENOTTY) return rc;
  if (d.status() != DeviceStatus::operational) return -EBUSY;
  switch (a.op) {
    case HL_INFO_HW_IDLE:
      return hw_idle(d, a);
    case HL_INFO_CLK_RATE: {
      hl_info_clk_rate c{d.props().tpc_mhz, 2200};
      return answer(a, &c, sizeof c);
    }
    case HL_INFO_TIME_SYNC: {
      hl_info_time_sync t{};
      t.host_time = d.os().now_ns();
      t.device_time = t.host_time;  // the device counter runs on the same simulated clock
      t.tsc_time = t.host_time;     // the simulated host's TSC runs at 1 GHz
      return answer(a, &t, sizeof t);
    }
    case HL_INFO_PCI_COUNTERS: {
      hl_info_pci_counters p{};  // firmware's link counters are not modelled; no replays happen
      return answer(a, &p, sizeof p);
    }
    case HL_INFO_MAC_ADDR: {  // the 2020 NIC series: each port's MAC, valid where the mask says
      hl_info_mac_addr m{};
      for (unsigned p = 0; p < d.nic().ports() && p < HL_INFO_MAC_ADDR_MAX_NUM; ++p) {
        uint64_t mac = d.nic().port(p)->mac;
        for (int i = HL_NIC_ETH_ALEN - 1; i >= 0; --i, mac >>= 8) m.array[p].addr[i] = uint8_t(mac);
        m.mask[p / 64] |= 1ull << (p % 64);
      }
      return answer(a, &m, sizeof m);
    }
  }
  rc = info_status_operational(f, a);
  if (rc != -ENOTTY) return rc;
  d.log(os::LogLevel::debug, "INFO opcode " + std::to_string(a.op) + " is not answered for GAUDI 1");
  return -EINVAL;
}

}  // namespace hl
