// HL_IOCTL_INFO: facts about the device for user space.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "driver/core/hl_device.hpp"
#include "driver/core/hl_driver.hpp"
#include "driver/core/ioctl_table.hpp"
#include "driver/uapi/habanalabs.h"

namespace hl {

namespace {

constexpr uint64_t kDramReserved = 512ull << 20;  // firmware image and page tables
constexpr uint64_t kSramBase = 0x7FF0000000ull;

// Copies the answer out as the kernel's copy_to_user would: at most what the user asked for.
long answer(const hl_info_args& a, const void* data, size_t size) {
  if (!a.return_pointer || !a.return_size) return -EINVAL;
  size_t n = a.return_size < size ? a.return_size : size;
  std::memcpy(reinterpret_cast<void*>(uintptr_t(a.return_pointer)), data, n);
  return 0;
}

long hw_ip_info(HlDevice& d, const hl_info_args& a) {
  const AsicProps& p = d.props();
  hl_info_hw_ip_info hw{};
  hw.sram_base_address = kSramBase + GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START;
  hw.sram_size = p.sram_bytes - GAUDI_DRIVER_SRAM_RESERVED_SIZE_FROM_START;
  hw.dram_base_address = kDramReserved;
  hw.dram_size = p.hbm_bytes > kDramReserved ? p.hbm_bytes - kDramReserved : 0;
  hw.device_id = p.device_id;
  hw.module_id = p.card_index;
  hw.server_type = HL_SERVER_GAUDI_HLS1;
  hw.tpc_enabled_mask = uint8_t(p.tpc_cores >= 8 ? 0xFF : (1u << p.tpc_cores) - 1);
  hw.dram_enabled = 1;
  hw.dram_page_size = 2ull << 20;
  std::snprintf(reinterpret_cast<char*>(hw.cpucp_version), sizeof hw.cpucp_version, "gaudisim-fw-1");
  std::snprintf(reinterpret_cast<char*>(hw.card_name), sizeof hw.card_name, "HL205");
  return answer(a, &hw, sizeof hw);
}

}  // namespace

long ioctl_info(HlFile& f, void* karg) {
  auto& a = *static_cast<hl_info_args*>(karg);
  HlDevice& d = *f.dev;
  switch (a.op) {
    case HL_INFO_HW_IP_INFO:
      return hw_ip_info(d, a);
    case HL_INFO_DEVICE_STATUS: {
      hl_info_device_status s{};
      s.status = uint32_t(d.status());
      return answer(a, &s, sizeof s);
    }
    case HL_INFO_CLK_RATE: {
      hl_info_clk_rate c{d.props().tpc_mhz, 2200};
      return answer(a, &c, sizeof c);
    }
    case HL_INFO_RESET_COUNT: {
      hl_info_reset_count r{d.hard_resets(), 0};
      return answer(a, &r, sizeof r);
    }
    case HL_INFO_TIME_SYNC: {
      hl_info_time_sync t{};
      t.host_time = d.os().now_ns();
      t.device_time = t.host_time;  // the device counter runs on the same simulated clock
      return answer(a, &t, sizeof t);
    }
    default:
      d.log(os::LogLevel::debug, "INFO opcode " + std::to_string(a.op) + " is not modelled");
      return -EINVAL;
  }
}

}  // namespace hl
