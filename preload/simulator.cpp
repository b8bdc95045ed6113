#include "preload/simulator.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <systemc>

#include "driver/core/hl_driver.hpp"
#include "preload/caller_process.hpp"
#include "preload/checked_user_access.hpp"
#include "testbench/checks/config_checks.hpp"
#include "preload/sim_bridge.hpp"
#include "testbench/config/config.hpp"
#include "testbench/host/sim_os.hpp"
#include "testbench/system.hpp"

namespace gsp {

namespace {

std::mutex g_build_mutex;
Simulator* g_sim = nullptr;  // never deleted: it lives until the process ends
bool g_build_tried = false;

// A program thread's simulated process. The destructor runs when the thread ends (for the
// main thread: in exit(), before the atexit shutdown) and lets its process go.
struct ThreadClient {
  std::shared_ptr<Client> client;
  SimBridge* bridge = nullptr;
  int pid = 0;
  ~ThreadClient() {
    if (client && bridge && pid == getpid()) bridge->retire(client);
  }
};
thread_local ThreadClient t_client;

// The calling program process's descriptor as one of ours: its own table, or a forked
// child's through a pidfd (the kernel checks that we may; Linux 5.6).
int duplicate_caller_fd(int fd) {
  int pid = caller_pid();
  if (pid == int(getpid())) {
    int dup = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return dup < 0 ? -errno : dup;
  }
  int pidfd = int(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return -EBADF;
  int got = int(syscall(SYS_pidfd_getfd, pidfd, fd, 0));  // close-on-exec already
  ::close(pidfd);
  return got < 0 ? -EBADF : got;
}

bool env_flag(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && std::string(v) != "0";
}

}  // namespace

Simulator* Simulator::get() {
  std::lock_guard<std::mutex> g(g_build_mutex);
  if (g_build_tried) return g_sim && !g_sim->stopped_ && g_sim->pid_ == getpid() ? g_sim : nullptr;
  g_build_tried = true;
  auto* s = new Simulator;
  if (!s->build()) return nullptr;  // kept allocated: its kernel thread may still be unwinding
  g_sim = s;
  return g_sim;
}

Simulator* Simulator::running() {
  std::lock_guard<std::mutex> g(g_build_mutex);
  return g_sim && !g_sim->stopped_ && g_sim->pid_ == getpid() ? g_sim : nullptr;
}

hl::HlDriver& Simulator::driver() { return sys_->hosts()[0]->driver(); }

bool Simulator::build() {
  pid_ = getpid();
  verbose_ = env_flag("GAUDISIM_VERBOSE");
  if (const char* p = std::getenv("GAUDISIM_PACE_US")) pace_us_ = std::max(0.0, std::atof(p));
  if (const char* t = std::getenv("GAUDISIM_TIME")) {
    if (std::strcmp(t, "wall") != 0 && std::strcmp(t, "events") != 0) {
      std::fprintf(stderr, "gaudisim preload: GAUDISIM_TIME=%s: allowed values are wall, events\n", t);
      return false;  // as for a bad configuration: the program sees no cards
    }
    wall_time_ = std::strcmp(t, "wall") == 0;
  }
  try {
    gs::RawConfig raw;
    if (const char* cfg = std::getenv("GAUDISIM_CONFIG"); cfg && *cfg) raw.load_file(cfg);
    if (const char* set = std::getenv("GAUDISIM_SET")) {
      std::string all = set;
      for (size_t i = 0; i <= all.size();) {
        size_t j = all.find(';', i);
        if (j == std::string::npos) j = all.size();
        std::string item = all.substr(i, j - i);
        if (item.find_first_not_of(" \t") != std::string::npos) raw.apply_set(item, "GAUDISIM_SET");
        i = j + 1;
      }
    }
    gs::load(params_, raw);
    gs::check_config(params_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gaudisim preload: %s\n", e.what());
    return false;
  }
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);  // the program's stdout is its own
  access_ = std::make_unique<CheckedUserAccess>();
  hl::set_user_access(access_.get());
  kernel_ = std::thread([this] { kernel_thread(); });
  {
    std::unique_lock<std::mutex> l(m_);
    cv_.wait(l, [&] { return stage_ != Stage::starting; });
  }
  if (stage_ == Stage::failed) {
    std::fprintf(stderr, "gaudisim preload: cannot build the simulated machine: %s\n", error_.c_str());
    kernel_.join();
    return false;
  }
  // The first request is served once the driver has probed every card.
  if (!call([this] { cards_ = unsigned(driver().devices().size()); })) return false;
  pthread_atfork(nullptr, nullptr, [] {
    // The child has no kernel thread: its copies of device files are dead.
    if (g_sim) g_sim->stopped_ = true;
  });
  return true;
}

void Simulator::kernel_thread() {
  // The program's signals are for its own threads: a process-directed one must not run its
  // handler here, and a thread waiting in the driver must be the one that sees it.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  try {
    sys_ = std::make_unique<gs::System>(params_, /*echo_log*/ verbose_);
    // Device DMA into the program's mapped buffers goes through the kernel's checks: pages
    // the program unmapped after mapping them for DMA fail the transfer, not the process.
    // A buffer a forked child mapped (its request served here) is the child's memory.
    for (auto& h : sys_->hosts()) {
      h->rc().memory().set_external_access(
          [a = access_.get()](bool write, uint8_t* user, uint8_t* local, uint64_t n, int owner) {
            int pid = owner ? owner : int(getpid());
            return (write ? a->write_to(pid, user, local, n) : a->read_from(pid, local, user, n)) == 0;
          });
      h->rc().memory().set_owner_source([] {
        int pid = caller_pid();
        return pid == int(getpid()) ? 0 : pid;
      });
    }
    gs::SimOs::set_fd_duplicator(duplicate_caller_fd);
    bridge_ = std::make_unique<SimBridge>(*sys_->hosts()[0], sc_core::sc_time(pace_us_, sc_core::SC_US), wall_time_);
    // "Info: /OSCI/SystemC: Simulation stopped by user." would land in the program's stdout.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> g(m_);
    error_ = e.what();
    stage_ = Stage::failed;
    cv_.notify_all();
    return;
  }
  {
    std::lock_guard<std::mutex> g(m_);
    stage_ = Stage::built;
  }
  cv_.notify_all();
  try {
    sc_core::sc_start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gaudisim preload: the simulation stopped: %s\n", e.what());
  }
  stopped_ = true;
  bridge_->mark_dead();
}

bool Simulator::call(const std::function<void()>& fn, bool interruptible) {
  // The kernel thread itself cannot wait for the kernel (a model touching a device path).
  if (stopped_ || getpid() != pid_ || std::this_thread::get_id() == kernel_.get_id()) return false;
  ThreadClient& tc = t_client;
  if (!tc.client) {
    tc.client = std::make_shared<Client>();
    tc.client->id = next_client_++;
    tc.bridge = bridge_.get();
    tc.pid = pid_;
    ++bridge_->running_outside;
  }
  return bridge_->call(tc.client, fn, interruptible);
}

void Simulator::shutdown(const std::function<void()>& leftovers) {
  if (stopped_ || getpid() != pid_) return;
  hl::HlDriver::Usage before, after;
  bool ok = bridge_->call_dispatcher([&] {
    before = driver().usage();
    leftovers();  // what the program left open: as the kernel does at exit
    after = driver().usage();
    for (auto& h : sys_->hosts()) h->driver().shutdown();
    sim_time_ms_ = sc_core::sc_time_stamp().to_seconds() * 1e3;
    sc_core::sc_stop();
  });
  if (kernel_.joinable()) kernel_.join();
  if (ok && verbose_) {
    std::fprintf(stderr,
                 "gaudisim preload: %u card%s, simulated %.3f ms, %llu ioctls served; at exit the program still "
                 "held %zu open files, %zu CB mappings, %zu CBs, %zu host mappings, %zu DRAM allocations "
                 "(%zu CBs after closing them)\n",
                 cards_, cards_ == 1 ? "" : "s", sim_time_ms_, static_cast<unsigned long long>(ioctls_.load()),
                 before.open_files, before.mappings, before.cbs, before.host_maps, before.dram_allocs, after.cbs);
  }
}

}  // namespace gsp
