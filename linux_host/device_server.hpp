// The device server: N simulated cards, each offered to a UML guest as a virt-pci device on
// its own vhost-user socket (<dir>/card<N>.sock). One SystemC thread polls the sockets and
// the virtqueue kicks and serves them between slices of simulated time (free-running: the
// model runs ahead while the guest waits, and idles on poll() when nothing is scheduled).
#pragma once
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "linux_host/virt_pci_card.hpp"
#include "models/card/card.hpp"

namespace gs {

// The upstream driver writes its MMU page tables (HBM + 256..448 MiB) through the HBM BAR
// while the BAR points at the start of HBM: the window must reach past 448 MiB.
constexpr uint64_t kLinuxHostHbmBarBytes = 512ull << 20;

struct DeviceServerOptions {
  unsigned cards = 1;
  std::string socket_dir = ".";
  bool verbose = false;
  // Fault injection: card 0's device CPU stops answering once it has served this many
  // messages (0: never), until a hard reset reboots it; shows the driver's heartbeat failing.
  uint64_t hang_cpu_after = 0;
};

class DeviceServer : public sc_core::sc_module {
 public:
  DeviceServer(sc_core::sc_module_name name, const DeviceServerOptions& o, const CardParams& cp,
               const PcieParams& pp);
  ~DeviceServer() override;
  std::string socket_path(unsigned card) const;
  void print_summary() const;

 private:
  void run();
  bool poll_once(int timeout_ms);  // true if anything was served

  DeviceServerOptions o_;
  std::vector<std::unique_ptr<Card>> cards_;
  std::vector<std::unique_ptr<VirtPciCard>> ports_;
  std::vector<int> listen_fds_;
  std::vector<bool> seen_;
  bool hang_injected_ = false;
};

}  // namespace gs
