// The device server: N simulated cards, each offered to a UML guest as a virt-pci device on
// its own vhost-user socket (<dir>/card<N>.sock). One SystemC thread polls the sockets and
// the virtqueue kicks and serves them. Free-running: between slices of simulated time (the
// model runs ahead while the guest waits, and idles on poll() when nothing is scheduled).
// Time travel: the server is the guest's calendar (<dir>/time.sock, UML's time-travel=ext):
// the guest's clock is SystemC time, which moves only while the guest waits.
#pragma once
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "linux_host/time_travel.hpp"
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
  // The guest's clock is SystemC time (UML time-travel=ext:0:<socket_dir>/time.sock).
  bool time_travel = false;
  // Time travel: the guest's time of day at time 0 (ns since the epoch), fixed so that runs
  // repeat: 2026-01-01 00:00:00 UTC.
  uint64_t time_of_day_ns = 1767225600ull * 1000000000ull;
};

class DeviceServer : public sc_core::sc_module {
 public:
  DeviceServer(sc_core::sc_module_name name, const DeviceServerOptions& o, const CardParams& cp,
               const PcieParams& pp);
  ~DeviceServer() override;
  std::string socket_path(unsigned card) const;
  std::string time_socket_path() const { return o_.socket_dir + "/time.sock"; }
  void print_summary() const;

 private:
  void run();
  bool poll_once(int timeout_ms);  // true if anything was served
  void accept_card(unsigned i);
  void inject_faults();
  bool guest_gone() const;
  // Time travel (device_server_tt.cpp).
  void run_time_travel();
  bool guest_turn();                      // the guest runs: serve it until it waits; false when it left
  bool calendar_turn();                   // the guest waits: advance SystemC to its request; false when it left
  bool handle_tt(const tt::Msg& m);       // one message from the guest's calendar link
  bool deliver_calls();                   // in-band interrupts, while the guest waits
  void settle();                          // run every delta cycle at the current time
  uint64_t now_ns() const;

  DeviceServerOptions o_;
  std::vector<std::unique_ptr<Card>> cards_;
  std::vector<std::unique_ptr<VirtPciCard>> ports_;
  std::vector<int> listen_fds_;
  std::vector<bool> seen_;
  bool hang_injected_ = false;
  std::unique_ptr<tt::Link> tt_;
  sc_core::sc_event call_raised_;
  uint64_t request_ns_ = 0;   // the guest's next event (REQUEST)
  bool guest_waiting_ = false;
  uint64_t runs_ = 0, calls_ = 0, messages_ = 0;
};

}  // namespace gs
