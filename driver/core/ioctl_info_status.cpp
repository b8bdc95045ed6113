#include "driver/core/ioctl_info_status.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "driver/core/hl_device.hpp"
#include "driver/core/hl_driver.hpp"
#include "driver/core/user_access.hpp"
#include "driver/uapi/habanalabs.h"

namespace hl {

namespace {

// PLL output frequencies in MHz (four outputs each): the engine clocks the card reports,
// the rest from the GAUDI PLL plan (gaudisim assumptions, docs/uapi.md).
long pll_frequency(HlDevice& d, const hl_info_args& a) {
  const AsicProps& p = d.props();
  uint16_t mhz;
  switch (a.pll_index) {
    case HL_GAUDI_CPU_PLL: mhz = uint16_t(p.cpu_mhz); break;
    case HL_GAUDI_PCI_PLL: mhz = 100; break;
    case HL_GAUDI_SRAM_PLL: mhz = 1800; break;
    case HL_GAUDI_HBM_PLL: mhz = 1000; break;
    case HL_GAUDI_NIC_PLL: mhz = 625; break;
    case HL_GAUDI_DMA_PLL: mhz = 1800; break;
    case HL_GAUDI_MESH_PLL: mhz = 1800; break;
    case HL_GAUDI_MME_PLL: mhz = uint16_t(p.mme_mhz); break;
    case HL_GAUDI_TPC_PLL: mhz = uint16_t(p.tpc_mhz); break;
    case HL_GAUDI_IF_PLL: mhz = 1800; break;
    default: return -EINVAL;
  }
  hl_pll_frequency_info f{};
  for (auto& o : f.output) o = mhz;
  return info_answer(a, &f, sizeof f);
}

// A captured error: nothing is written (and 0 returned) while there is none, as Linux does.
long captured(const hl_info_args& a, const CapturedError& e, const void* data, size_t size, bool need_full) {
  if (!a.return_pointer) return -EINVAL;
  if (!e.valid) return 0;
  if (need_full && a.return_size < size) return -ENOMEM;
  return info_answer(a, data, size);
}

// Text, one line per engine, as the driver's idle check prints it; the size goes back in
// user_buffer_actual_size.
long engine_status(HlDevice& d, hl_info_args& a) {
  if (a.return_size < 1024 || a.return_size > (1u << 20) || !a.return_pointer) return -EINVAL;
  static const char* const kNames[] = {"DMA", "MME", "TPC", "NIC"};
  static const unsigned kFirst[] = {GAUDI_ENGINE_ID_DMA_0, GAUDI_ENGINE_ID_MME_0, GAUDI_ENGINE_ID_TPC_0,
                                    GAUDI_ENGINE_ID_NIC_0, GAUDI_ENGINE_ID_SIZE};
  uint64_t busy = d.busy_engines();
  std::string text = "engine  id  status\n";
  for (unsigned k = 0; k < 4; ++k)
    for (unsigned e = kFirst[k]; e < kFirst[k + 1]; ++e)
      text += std::string(kNames[k]) + std::string(6 - std::strlen(kNames[k]), ' ') + (e - kFirst[k] < 10 ? "  " : " ") +
              std::to_string(e - kFirst[k]) + "  " + ((busy >> e) & 1 ? "busy" : "idle") + "\n";
  a.user_buffer_actual_size = uint32_t(text.size());
  return info_answer(a, text.data(), text.size());
}

}  // namespace

long info_answer(const hl_info_args& a, const void* data, size_t size) {
  if (!a.return_pointer || !a.return_size) return -EINVAL;
  size_t n = a.return_size < size ? a.return_size : size;
  return copy_to_user(reinterpret_cast<void*>(uintptr_t(a.return_pointer)), data, n) ? -EFAULT : 0;
}

long info_status_any(HlFile& f, hl_info_args& a) {
  HlDevice& d = *f.dev;
  DeviceStats& s = d.stats();
  switch (a.op) {
    case HL_INFO_CLK_THROTTLE_REASON: {
      hl_info_clk_throttle t{};  // the card model never throttles its clocks
      return info_answer(a, &t, sizeof t);
    }
    case HL_INFO_OPEN_STATS: {
      hl_open_stats_info o{};
      o.open_counter = s.open_counter;
      o.last_open_period_ms = s.last_open_period_ms;
      o.is_compute_ctx_active = d.compute_owner() >= 0;
      o.compute_ctx_in_release = d.releasing();
      return info_answer(a, &o, sizeof o);
    }
    case HL_INFO_LAST_ERR_OPEN_DEV_TIME: {
      hl_info_last_err_open_dev_time t{s.last_open_ns};
      return info_answer(a, &t, sizeof t);
    }
    case HL_INFO_CS_TIMEOUT_EVENT: {
      hl_info_cs_timeout_event t{s.cs_timeout.timestamp_ns, s.cs_timeout.seq};
      return info_answer(a, &t, sizeof t);
    }
    case HL_INFO_RAZWI_EVENT: {
      hl_info_razwi_event r{};
      r.timestamp = s.razwi.timestamp_ns;
      r.addr = s.razwi.addr;
      r.engine_id[0] = uint16_t(s.razwi.engine_id);
      r.num_of_possible_engines = 1;
      r.flags = uint8_t(s.razwi.flags);
      return captured(a, s.razwi, &r, sizeof r, false);
    }
    case HL_INFO_UNDEFINED_OPCODE_EVENT: {
      hl_info_undefined_opcode_event u{};
      u.timestamp = s.undef_opcode.timestamp_ns;
      u.cq_addr = s.undef_opcode.addr;
      u.cq_size = s.undef_opcode.size;
      u.engine_id = s.undef_opcode.engine_id;
      u.stream_id = s.undef_opcode.stream;
      u.cb_addr_streams_len = s.undef_opcode.valid ? 1 : 0;
      u.cb_addr_streams[0][0] = s.undef_opcode.addr;
      return info_answer(a, &u, sizeof u);
    }
    case HL_INFO_HW_ERR_EVENT: {
      hl_info_hw_err_event e{s.hw_err.timestamp_ns, uint16_t(s.hw_err.event_id), {0, 0, 0}};
      return captured(a, s.hw_err, &e, sizeof e, true);
    }
    case HL_INFO_FW_ERR_EVENT: {
      hl_info_fw_err_event e{s.fw_err.timestamp_ns, uint16_t(s.fw_err.flags), uint16_t(s.fw_err.event_id), 0};
      return captured(a, s.fw_err, &e, sizeof e, true);
    }
    case HL_INFO_USER_ENGINE_ERR_EVENT:   // GAUDI 1 reports engine errors through the events above
    case HL_INFO_PAGE_FAULT_EVENT:        // no device MMU: no page faults
    case HL_INFO_USER_MAPPINGS:
      return a.return_pointer ? 0 : -EINVAL;
    case HL_INFO_DEV_MEM_ALLOC_PAGE_SIZES: {
      hl_info_dev_memalloc_page_sizes p{0};  // one page size only (HW_IP_INFO dram_page_size)
      return info_answer(a, &p, sizeof p);
    }
    case HL_INFO_GET_EVENTS: {
      if (f.control) return -EOPNOTSUPP;
      if (a.return_size < sizeof(uint64_t) || !a.return_pointer) return -EINVAL;
      uint64_t mask = d.compute_owner() == f.fd ? s.notifier_events : 0;
      if (d.compute_owner() == f.fd) s.notifier_events = 0;
      return info_answer(a, &mask, sizeof mask);
    }
  }
  return -ENOTTY;
}

long info_status_operational(HlFile& f, hl_info_args& a) {
  HlDevice& d = *f.dev;
  switch (a.op) {
    case HL_INFO_DEVICE_UTILIZATION: {
      if (a.period_ms < 100 || a.period_ms > 1000 || a.period_ms % 100) return -EINVAL;
      hl_info_device_utilization u{};
      uint64_t now_mw = 0;
      if (d.asic().power_mw(d, &now_mw)) return -EINVAL;  // Linux: any failure of the reading
      const uint64_t max_mw = d.props().max_power_mw > kDcPowerMw ? d.props().max_power_mw : kDcPowerMw + 1;
      const uint64_t mw = std::min(std::max(now_mw, kDcPowerMw), max_mw);
      u.utilization = uint32_t((mw - kDcPowerMw) * 100 / (max_mw - kDcPowerMw));
      return info_answer(a, &u, sizeof u);
    }
    case HL_INFO_TOTAL_ENERGY: {  // the firmware's errno on failure, as Linux
      hl_info_energy e{};
      if (int rc = d.asic().energy_mj(d, &e.total_energy_consumption)) return rc;
      return info_answer(a, &e, sizeof e);
    }
    case HL_INFO_POWER: {
      hl_power_info p{};
      if (int rc = d.asic().power_mw(d, &p.power)) return rc;
      return info_answer(a, &p, sizeof p);
    }
    case HL_INFO_PLL_FREQUENCY:
      return pll_frequency(d, a);
    case HL_INFO_DRAM_PENDING_ROWS: {
      uint32_t rows = 0;  // HBM row replacement is not modelled: nothing is ever pending
      return info_answer(a, &rows, sizeof rows);
    }
    case HL_INFO_ENGINE_STATUS:
      return engine_status(d, a);
  }
  return -ENOTTY;
}

}  // namespace hl
