#include "linux_host/device_server.hpp"

#include "models/qman/qman_error.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace gs {

static int listen_unix(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (fd < 0 || path.size() >= sizeof a.sun_path) throw std::runtime_error("socket path too long: " + path);
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  unlink(path.c_str());
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || listen(fd, 1) < 0)
    throw std::runtime_error("cannot listen on " + path);
  return fd;
}

DeviceServer::DeviceServer(sc_core::sc_module_name name, const DeviceServerOptions& o,
                           const CardParams& cp, const PcieParams& pp)
    : sc_module(name), o_(o), seen_(o.cards, false) {
  for (unsigned i = 0; i < o.cards; ++i) {
    std::string n = "card" + std::to_string(i);
    cards_.push_back(std::make_unique<Card>(n.c_str(), cp, pp, i, false));
    ports_.push_back(std::make_unique<VirtPciCard>(("virt_pci" + std::to_string(i)).c_str(), *cards_[i], pp));
    listen_fds_.push_back(listen_unix(socket_path(i)));
    if (o.time_travel) ports_.back()->set_time_travel(&call_raised_);
  }
  if (o.time_travel) tt_ = std::make_unique<tt::Link>(time_socket_path());
  SC_HAS_PROCESS(DeviceServer);
  SC_THREAD(run);
}

DeviceServer::~DeviceServer() {
  for (unsigned i = 0; i < listen_fds_.size(); ++i) {
    close(listen_fds_[i]);
    unlink(socket_path(i).c_str());
  }
}

std::string DeviceServer::socket_path(unsigned card) const {
  return o_.socket_dir + "/card" + std::to_string(card) + ".sock";
}

void DeviceServer::accept_card(unsigned i) {
  int fd = accept4(listen_fds_[i], nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  auto conn = std::make_unique<VhostUserConn>(fd, socket_path(i), o_.time_travel);
  if (o_.time_travel) {
    // An in-band kick is answered once what it asked for is done at the current time.
    conn->on_inband_kick([this, i](unsigned q) {
      if (q == pcidev::kCmdQueue) ports_[i]->serve_commands(); else ports_[i]->flush_interrupts();
      settle();
    });
  }
  ports_[i]->attach(std::move(conn));
  seen_[i] = true;
  if (o_.verbose) std::fprintf(stderr, "device-server: card %u connected\n", i);
}

void DeviceServer::inject_faults() {
  if (o_.hang_cpu_after && !hang_injected_ && cards_[0]->cpu().messages_served() >= o_.hang_cpu_after) {
    cards_[0]->cpu().hang();
    hang_injected_ = true;
    std::fprintf(stderr, "device-server: card 0's CPU hangs after %llu messages\n",
                 (unsigned long long)o_.hang_cpu_after);
  }
}

bool DeviceServer::guest_gone() const {
  bool all_seen = true, none_left = true;
  for (unsigned i = 0; i < ports_.size(); ++i) {
    all_seen &= bool(seen_[i]);
    none_left &= ports_[i]->conn() == nullptr;
  }
  return all_seen && none_left;
}

bool DeviceServer::poll_once(int timeout_ms) {
  std::vector<pollfd> fds;
  std::vector<std::pair<unsigned, int>> what;  // card, 0 listen / 1 control / 2 cmd kick / 3 irq kick
  for (unsigned i = 0; i < ports_.size(); ++i) {
    VhostUserConn* c = ports_[i]->conn();
    if (!c) {
      fds.push_back({listen_fds_[i], POLLIN, 0});
      what.emplace_back(i, 0);
      continue;
    }
    fds.push_back({c->fd(), POLLIN, 0});
    what.emplace_back(i, 1);
    for (unsigned q = 0; q < 2; ++q)
      if (c->queue(q).kick_fd() >= 0) {
        fds.push_back({c->queue(q).kick_fd(), POLLIN, 0});
        what.emplace_back(i, 2 + int(q));
      }
  }
  if (poll(fds.data(), fds.size(), timeout_ms) <= 0) {
    // Rings are also checked without a kick: a kick may have raced the last drain.
    bool any = false;
    for (auto& p : ports_) any |= p->serve_commands() > 0;
    return any;
  }
  bool any = false;
  for (size_t k = 0; k < fds.size(); ++k) {
    if (!fds[k].revents) continue;
    auto [i, kind] = what[k];
    VirtPciCard& port = *ports_[i];
    any = true;
    if (kind == 0) {
      accept_card(i);
    } else if (kind == 1) {
      if (!port.conn()->service()) {
        if (o_.verbose) std::fprintf(stderr, "device-server: card %u disconnected\n", i);
        port.detach();
        break;  // fds of that connection are gone
      }
    } else if (kind == 3) {
      port.conn()->queue(1).drain_kick();
      port.flush_interrupts();
    }
  }
  for (auto& p : ports_) {
    if (p->conn() && p->conn()->inband_kick_pending(1)) p->flush_interrupts();
    any |= p->serve_commands() > 0;
  }
  return any;
}

void DeviceServer::run() {
  if (o_.time_travel) {
    run_time_travel();
    sc_core::sc_stop();
    return;
  }
  unsigned idle = 0;
  for (;;) {
    bool pending = sc_core::sc_pending_activity_at_future_time();
    const sc_core::sc_time slice(100, sc_core::SC_US);
    // Busy while the guest talks or the model has work due within a slice (a DMA of many
    // chunks runs at full speed even while the guest only polls memory); sleep on poll()
    // once idle.
    bool due = pending && sc_core::sc_time_to_pending_activity() <= slice;
    int timeout = idle < 2000 || due ? 0 : (pending ? 1 : 20);
    bool served = poll_once(timeout);
    idle = served ? 0 : idle + 1;
    inject_faults();
    if (guest_gone()) break;  // the guest shut down
    // A slice of simulated time (every event in it runs) before the sockets are looked at again.
    wait(pending ? slice : sc_core::sc_time(1, sc_core::SC_US));
  }
  sc_core::sc_stop();
}

void DeviceServer::print_summary() const {
  if (o_.time_travel)
    std::printf("time travel: guest ended at %.6f s simulated; %llu calendar messages, %llu runs granted, "
                "%llu in-band interrupts\n",
                sc_core::sc_time_stamp().to_seconds(), (unsigned long long)messages_, (unsigned long long)runs_,
                (unsigned long long)calls_);
  for (unsigned i = 0; i < ports_.size(); ++i)
    std::printf("card %u: DMA %llu bytes (%llu errors), %llu MSI, %u hard resets\n", i,
                (unsigned long long)ports_[i]->dma_bytes(), (unsigned long long)ports_[i]->dma_errors(),
                (unsigned long long)ports_[i]->msis(), cards_[i]->hard_resets());
  // What went wrong inside the cards, for the log the run keeps.
  for (unsigned i = 0; i < cards_.size(); ++i) {
    Card& c = *cards_[i];
    std::printf("card %u: %llu CPU-CP messages, MMU %llu walks %llu faults %llu invalidations, "
                "%llu unmapped accesses (last 0x%llx), %zu QMAN errors\n",
                i, (unsigned long long)c.cpu().messages_served(), (unsigned long long)c.mmu().walks(),
                (unsigned long long)c.mmu().faults(), (unsigned long long)c.mmu().invalidations(),
                (unsigned long long)c.noc().decode_errors(), (unsigned long long)c.noc().last_error_address(),
                c.qman_errors().size());
    // The register blocks the driver touched that no model answers (reads gave all-ones,
    // writes were dropped), busiest first: docs/linux-host.md says what each one is.
    std::vector<std::pair<uint64_t, VirtPciCard::Unmodelled>> blocks(ports_[i]->unmodelled().begin(),
                                                                     ports_[i]->unmodelled().end());
    std::stable_sort(blocks.begin(), blocks.end(), [](const auto& a, const auto& b) {
      return a.second.reads + a.second.writes > b.second.reads + b.second.writes;
    });
    std::printf("card %u: %zu unmodelled register blocks:", i, blocks.size());
    // The register BAR shows the on-chip space from the SPI flash up: name CFG offsets.
    constexpr uint64_t kCfgInBar2 = devmap::kCfgBase - GAUDI_SPI_FLASH_BASE_ADDR;
    for (const auto& [key, u] : blocks) {
      unsigned bar = unsigned(key >> 56);
      uint64_t off = key & ((1ull << 56) - 1);
      if (bar == 2 && off >= kCfgInBar2)
        std::printf(" cfg+0x%llx", (unsigned long long)(off - kCfgInBar2));
      else
        std::printf(" bar%u+0x%llx", bar, (unsigned long long)off);
      std::printf(" (%llu r %llu w)", (unsigned long long)u.reads, (unsigned long long)u.writes);
    }
    std::printf("\n");
    size_t shown = 0;
    for (const QmanError& e : c.qman_errors()) {
      if (++shown > 8) break;
      std::printf("  %s stream %u: %s at CB 0x%llx + %u (opcode %u): %s\n", e.qman.c_str(), e.stream,
                  to_string(e.kind), (unsigned long long)e.cb_addr, e.offset, e.opcode, e.reason.c_str());
    }
  }
}

}  // namespace gs
