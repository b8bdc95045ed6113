#include "driver/core/device_files.hpp"

#include <cstdio>

#include "driver/core/hl_device.hpp"
#include "driver/core/ioctl_info_status.hpp"

namespace hl {

NodeNumber node_number(unsigned id, bool control, bool accel_name) {
  if (accel_name) return {control ? kAccelControlMajor : kAccelMajor, id};
  return {kHabanalabsMajor, 2 * id + (control ? 1 : 0)};
}

const std::vector<std::string>& sysfs_attributes() {
  static const std::vector<std::string> names = {
      "armcp_kernel_ver", "armcp_ver", "cpld_ver", "cpucp_kernel_ver", "cpucp_ver", "device_type",
      "fuse_ver", "hard_reset_cnt", "infineon_ver", "max_power", "pci_addr", "preboot_btl_ver",
      "soft_reset_cnt", "status", "thermal_ver", "uboot_ver"};
  return names;
}

// The words the 5.x driver's status file uses.
static const char* status_text(DeviceStatus s) {
  switch (s) {
    case DeviceStatus::operational: return "Operational";
    case DeviceStatus::in_reset: return "In reset";
    case DeviceStatus::malfunction: return "Malfunction";
    case DeviceStatus::needs_reset: return "Needs Reset";
    case DeviceStatus::in_creation: return "In device creation";
  }
  return "Unknown";
}

bool sysfs_read(HlDevice& d, const std::string& n, std::string* out) {
  if (n == "pci_addr") *out = d.pci_name();
  else if (n == "device_type") *out = d.asic().name();
  else if (n == "status") *out = status_text(d.status());
  else if (n == "hard_reset_cnt") *out = std::to_string(d.hard_resets());
  else if (n == "soft_reset_cnt") *out = "0";  // GAUDI has hard resets only
  else if (n == "max_power") *out = std::to_string(d.props().max_power_mw);  // mW: 350000 on the HL-205
  // The versions the firmware's cpucp_info gave (INFO_GET at probe), as Linux shows them: the
  // kernel and thermal versions with the firmware's own line end, the others with one added.
  else if (n == "cpucp_ver" || n == "armcp_ver") *out = d.props().cpucp_version;
  else if (n == "fuse_ver") *out = d.props().fuse_version;
  else if (n == "cpucp_kernel_ver" || n == "armcp_kernel_ver" || n == "thermal_ver") {
    *out = n == "thermal_ver" ? d.props().thermal_version : d.props().kernel_version;
    return true;
  }
  else if (n == "cpld_ver") *out = "0x00000000";
  else if (n == "infineon_ver" || n == "preboot_btl_ver" || n == "uboot_ver")
    *out = "gaudisim";
  else return false;
  *out += "\n";
  return true;
}

const std::vector<std::string>& debugfs_files() {
  static const std::vector<std::string> names = {"command_buffers", "command_submission", "userptr", "vm"};
  return names;
}

template <class... A> static std::string fmt(const char* f, A... args) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

static const char* cs_type(CsType t) {
  return t == CsType::signal ? "signal" : t == CsType::wait ? "wait" : "default";
}

bool debugfs_read(HlDevice& d, const std::string& n, std::string* out) {
  using ull = unsigned long long;
  std::string& s = *out;
  const MemoryManager* m = d.context_memory();
  if (n == "command_buffers") {
    s = " CB ID   owner fd   CB size    jobs using   mapped   destroyed\n";
    for (const auto& kv : d.cbs().all()) {
      const CommandBuffer& cb = kv.second;
      s += fmt(" %-7llu %-10d %-10u %-12u %-8s %s\n", ull(cb.id), cb.owner_fd, cb.size, cb.jobs, cb.maps ? "yes" : "no",
               cb.destroyed ? "yes" : "no");
    }
  } else if (n == "command_submission") {
    s = " CS seq    jobs   pending   type\n";
    for (const auto& kv : d.cs().submissions()) {
      const CommandSubmission& cs = *kv.second;
      if (cs.state != CsState::in_flight) continue;  // like Linux: the active ones only
      s += fmt(" %-9llu %-6zu %-9u %s\n", ull(cs.seq), cs.jobs.size(), cs.pending, cs_type(cs.type));
    }
  } else if (n == "userptr") {
    s = " user virtual address    size               device address\n";
    if (m)
      for (const auto& kv : m->host_maps())
        s += fmt(" %-23p %-18llu 0x%llx\n", kv.second.ptr, ull(kv.second.size), ull(kv.first));
  } else if (n == "vm") {
    s = " device address          size               kind\n";
    if (m) {
      for (const auto& kv : m->dram_allocations()) s += fmt(" 0x%-21llx %-18llu dram\n", ull(kv.first), ull(kv.second));
      for (const auto& kv : m->host_maps()) s += fmt(" 0x%-21llx %-18llu host\n", ull(kv.first), ull(kv.second.size));
    }
  } else {
    return false;
  }
  return true;
}

}  // namespace hl
