// gaudisim-linux-host: serves simulated GAUDI cards to a User Mode Linux guest over
// vhost-user virt-pci sockets (docs/linux-host.md). Runs until the guest disconnects.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <systemc>

#include "linux_host/device_server.hpp"

static int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--cards N] [--socket-dir DIR] [--verbose] [--hang-cpu-after N] [--time-travel]\n"
                       "  --cards N        cards to serve, 1..8 (virt-pci's device limit), default 1\n"
                       "  --socket-dir DIR where card<i>.sock are created, default .\n"
                       "  --hang-cpu-after N  card 0's device CPU stops answering after N CPU-CP\n"
                       "                   messages, until a hard reset (fault injection)\n"
                       "  --time-travel    be the guest's calendar on DIR/time.sock (boot UML with\n"
                       "                   time-travel=ext:0:DIR/time.sock): its clock is simulated time\n", argv0);
  return 2;
}

int sc_main(int argc, char** argv) {
  gs::DeviceServerOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--cards" && i + 1 < argc) {
      char* end = nullptr;
      long n = std::strtol(argv[++i], &end, 10);
      if (*end || n < 1 || n > 8) {
        std::fprintf(stderr, "--cards: expected 1..8, got '%s'\n", argv[i]);
        return 2;
      }
      o.cards = unsigned(n);
    } else if (a == "--socket-dir" && i + 1 < argc) {
      o.socket_dir = argv[++i];
    } else if (a == "--hang-cpu-after" && i + 1 < argc) {
      char* end = nullptr;
      long long n = std::strtoll(argv[++i], &end, 10);
      if (*end || n < 1) {
        std::fprintf(stderr, "--hang-cpu-after: expected a message count >= 1, got '%s'\n", argv[i]);
        return 2;
      }
      o.hang_cpu_after = uint64_t(n);
    } else if (a == "--time-travel") {
      o.time_travel = true;
    } else if (a == "--verbose") {
      o.verbose = true;
    } else {
      return usage(argv[0]);
    }
  }
  gs::CardParams cp;
  gs::PcieParams pp;
  pp.hbm_bar_bytes = gs::kLinuxHostHbmBarBytes;
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  gs::DeviceServer server("server", o, cp, pp);
  std::printf("device-server: %u card(s), sockets %s/card*.sock\n", o.cards, o.socket_dir.c_str());
  std::fflush(stdout);
  sc_core::sc_start();
  server.print_summary();
  return 0;
}
