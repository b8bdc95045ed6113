// The program's file descriptors of device nodes. Each is a real descriptor (a dup-like open
// of /dev/null, so fd numbers stay unique and poll/select behave like a driver without a
// poll method) mapped to the driver's file; ioctl and mmap on it go to the driver through
// the program thread's simulated process.
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "driver/core/device_files.hpp"
#include "driver/core/hl_driver.hpp"
#include "driver/core/ioctl_table.hpp"
#include "driver/uapi/habanalabs.h"
#include "preload/checked_user_access.hpp"
#include "preload/fake_fs.hpp"
#include "preload/fork_channel.hpp"
#include "preload/open_files.hpp"
#include "preload/pinned_user_ranges.hpp"
#include "preload/shim_api.h"
#include "preload/simulator.hpp"

namespace gsp {
namespace {

struct DeviceFd {
  FileRef file;
  int driver_fd = -1;
  int node = 0;
};

constexpr int kFastFds = 1 << 16;
std::atomic<uint8_t> g_fast[kFastFds];  // fd -> is a device fd (the hot check, lock-free)
std::atomic<int> g_slow_fds{0};         // device fds >= kFastFds
std::atomic<int> g_mapping_count{0};
std::mutex g_mu;
std::unordered_map<int, DeviceFd> g_fds;
std::map<uintptr_t, size_t> g_maps;     // driver mappings handed to the program: start -> length
time_t g_start_time = 0;

unsigned card_of(int node) { return unsigned(node) >> 2; }
bool control_of(int node) { return node & 2; }
bool accel_of(int node) { return node & 1; }

std::string node_path(int node) {
  std::string n = std::to_string(card_of(node));
  if (accel_of(node)) return std::string("/dev/accel/accel") + (control_of(node) ? "_controlD" : "") + n;
  return std::string("/dev/hl") + (control_of(node) ? "_controlD" : "") + n;
}

bool lookup(int fd, DeviceFd* out) {
  std::lock_guard<std::mutex> g(g_mu);
  auto it = g_fds.find(fd);
  if (it == g_fds.end()) return false;
  *out = it->second;
  return true;
}

void mark(int fd, bool on) {
  if (fd < kFastFds) g_fast[fd].store(on);
  else on ? ++g_slow_fds : --g_slow_fds;
}

// At exit the kernel closes what the program left open; so do we, then stop the kernel.
void at_exit() {
  Simulator* sim = Simulator::running();
  if (sim) {
    std::unordered_map<int, DeviceFd> fds;
    std::set<int> files;
    std::map<uintptr_t, size_t> maps;
    {
      std::lock_guard<std::mutex> g(g_mu);
      fds.swap(g_fds);
      maps.swap(g_maps);
      g_mapping_count = 0;
    }
    for (const auto& kv : fds) mark(kv.first, false), files.insert(kv.second.driver_fd);
    sim->shutdown([&] {
      for (const auto& m : maps) sim->driver().munmap(reinterpret_cast<void*>(m.first), m.second);
      for (int f : files) sim->driver().close(f);
    });
  }
  remove_mirror();
}

// fork: the child inherits the device files (docs/preload.md); its calls are served by the
// process that holds the simulation (preload/fork_channel.hpp). The table's lock is held
// across fork so that the child's copy is consistent.
uint64_t g_fork_generation = 0;
bool g_fork_served = false;
unsigned g_fork_cards = 0;

void fork_prepare() {
  uint64_t gen = 0;
  bool served = fork_child_mode();
  if (served) {
    gen = fork_client_prepare();  // a child forking again: its files go to the grandchild
  } else if (Simulator* sim = Simulator::running()) {
    served = true;
    g_fork_cards = sim->cards();
  }
  g_mu.lock();
  if (served && !fork_child_mode()) {
    std::vector<FileRef> files;
    std::set<int> seen;
    for (const auto& kv : g_fds)
      if (seen.insert(kv.second.driver_fd).second) files.push_back(kv.second.file);
    gen = fork_server_prepare(std::move(files));
  }
  g_fork_generation = gen;
  g_fork_served = served;
  fork_client_lock();
}

void fork_parent() {
  fork_client_unlock();
  g_mu.unlock();
}

void fork_child() {
  fork_client_unlock();
  g_mu.unlock();
  if (!g_fork_served) return;
  if (!fork_child_mode()) fork_child_set_cards(g_fork_cards);
  // The copied references count the parent's holders: one fresh file per inherited one.
  std::map<int, FileRef> fresh;
  for (auto& kv : g_fds) {
    FileRef& f = fresh[kv.second.driver_fd];
    if (!f) f = std::make_shared<OpenFile>(*kv.second.file);
    kv.second.file = f;
  }
  // Linux does not copy the driver's mappings into a child (VM_DONTCOPY).
  for (const auto& m : g_maps) syscall(SYS_munmap, m.first, m.second);
  g_maps.clear();
  g_mapping_count = 0;
  pinned_forget_all();
  fork_client_connect(g_fork_generation);
}

void register_at_exit_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_start_time = std::time(nullptr);
    std::atexit(at_exit);
    pthread_atfork(fork_prepare, fork_parent, fork_child);
  });
}

Simulator* sim_or_errno() {
  Simulator* sim = Simulator::running();
  if (!sim) errno = ENODEV;  // the simulation is gone (after exit began)
  return sim;
}

// Releases the driver's file: in the simulation, or (a forked child) through its server.
void close_driver_file(Simulator* sim, int driver_fd) {
  if (sim) {
    sim->call([&] { sim->driver().close(driver_fd); });
  } else if (fork_child_mode()) {
    ForkRequest r{};
    r.op = ForkOp::close;
    r.driver_fd = driver_fd;
    fork_call(r);
  }
}

}  // namespace
}  // namespace gsp

using namespace gsp;

extern "C" int gsp_resolve(const char* path, int for_open, char* mirror, size_t cap, int* node) {
  if (!claims_path(path)) return GSP_NOT_OURS;
  int saved = errno;
  PathInfo p = resolve_path(path);
  if (p.kind != PathInfo::not_ours) register_at_exit_once();
  if (p.kind == PathInfo::device_node) {
    *node = int(p.card << 2 | (p.control ? 2 : 0) | (p.accel_name ? 1 : 0));
    errno = saved;
    return GSP_DEVICE_NODE;
  }
  if (p.kind == PathInfo::mirrored && p.mirror.size() < cap) {
    if (for_open) refresh_file(p);
    std::memcpy(mirror, p.mirror.c_str(), p.mirror.size() + 1);
    errno = saved;
    return GSP_MIRRORED;
  }
  errno = saved;
  return GSP_NOT_OURS;
}

extern "C" int gsp_open_node(int node, int flags) {
  Simulator* sim = fork_child_mode() ? nullptr : sim_or_errno();
  if (!sim && !fork_child_mode()) return -1;
  if (flags & O_DIRECTORY) {
    errno = ENOTDIR;
    return -1;
  }
  int rc = -ENODEV;
  std::string path = node_path(node);
  if (sim) {
    fork_server_settle();
    sim->call([&] { rc = sim->driver().open(path, getpid()); });
  } else {
    ForkRequest r{};
    r.op = ForkOp::open;
    r.a = uint64_t(node);
    std::snprintf(r.path, sizeof r.path, "%s", path.c_str());
    rc = int(fork_call(r));
  }
  if (rc < 0) {
    errno = -rc;
    return -1;
  }
  int fd = ::open("/dev/null", O_RDWR | (flags & (O_CLOEXEC | O_NONBLOCK)));
  if (fd < 0) {
    int e = errno;
    close_driver_file(sim, rc);
    errno = e;
    return -1;
  }
  {
    std::lock_guard<std::mutex> g(g_mu);
    g_fds[fd] = DeviceFd{std::make_shared<OpenFile>(OpenFile{rc, node}), rc, node};
  }
  mark(fd, true);
  return fd;
}

extern "C" void gsp_dup_device(int oldfd, int newfd) {
  std::lock_guard<std::mutex> g(g_mu);
  auto it = g_fds.find(oldfd);
  if (it == g_fds.end() || oldfd == newfd) return;
  g_fds[newfd] = it->second;
  mark(newfd, true);
}

// Drops fd's reference to its open file; true (with the driver fd) if it was the last one.
static bool drop_fd(int fd, int* driver_fd) {
  std::lock_guard<std::mutex> g(g_mu);
  auto it = g_fds.find(fd);
  if (it == g_fds.end()) return false;
  std::shared_ptr<OpenFile> file = it->second.file;
  g_fds.erase(it);
  mark(fd, false);
  *driver_fd = file->driver_fd;
  return file.use_count() == 1;
}

extern "C" void gsp_forget_device(int fd) {
  int driver_fd;
  if (!drop_fd(fd, &driver_fd)) return;
  close_driver_file(fork_child_mode() ? nullptr : Simulator::running(), driver_fd);
}

namespace gsp {
void release_file(FileRef f) {
  int driver_fd = f->driver_fd;
  {
    std::lock_guard<std::mutex> g(g_mu);
    if (f.use_count() != 1) return;  // a descriptor (or another child) still holds it
    f.reset();
  }
  close_driver_file(Simulator::running(), driver_fd);
}
}  // namespace gsp

extern "C" void gsp_stat_node(int node, struct stat* st) {
  std::memset(st, 0, sizeof *st);
  hl::NodeNumber nn = hl::node_number(card_of(node), control_of(node), accel_of(node));
  st->st_dev = makedev(0, 5);  // devtmpfs
  st->st_ino = 0x6a5d0000u + unsigned(node);
  st->st_mode = S_IFCHR | 0666;
  st->st_nlink = 1;
  st->st_rdev = makedev(nn.major, nn.minor);
  st->st_blksize = 4096;
  st->st_atime = st->st_mtime = st->st_ctime = g_start_time;
}

extern "C" int gsp_is_device_fd(int fd) {
  if (fd < 0) return 0;
  if (fd < kFastFds) return g_fast[fd].load(std::memory_order_relaxed);
  if (g_slow_fds.load() == 0) return 0;
  DeviceFd d;
  return lookup(fd, &d);
}

extern "C" int gsp_close_device(int fd) {
  gsp_forget_device(fd);
  return ::close(fd);
}

extern "C" int gsp_ioctl_device(int fd, unsigned long request, void* arg) {
  DeviceFd d;
  if (!lookup(fd, &d)) {
    errno = EBADF;
    return -1;
  }
  Simulator* sim = fork_child_mode() ? nullptr : sim_or_errno();
  if (!sim && !fork_child_mode()) return -1;
  long rc = -ENODEV;
  unsigned int cmd = unsigned(request);  // the kernel's ioctl takes a 32-bit command
  // WAIT_CS sleeps interruptibly in the driver: a signal to this thread ends it (EINTR).
  bool interruptible = hl::is_wait_cs_request(cmd);
  // A MEMORY ioctl may pin a host buffer: remember what the program asked (the union is
  // overwritten by the answer).
  bool memory = (cmd & 0xFFFF) == (HL_IOCTL_MEMORY & 0xFFFF) || (cmd & 0xFFFF) == (DRM_IOCTL_HL_MEMORY & 0xFFFF);
  hl_mem_args before{};
  if (memory && gsp::CheckedUserAccess().read(&before, arg, sizeof before)) memory = false;
  if (sim) {
    sim->call([&] { rc = sim->driver().ioctl(d.driver_fd, cmd, arg); }, interruptible);
    sim->count_ioctl();
  } else {
    ForkRequest r{};
    r.op = ForkOp::ioctl;
    r.driver_fd = d.driver_fd;
    r.a = cmd;
    r.b = reinterpret_cast<uint64_t>(arg);
    rc = long(fork_call(r));
  }
  if (memory && rc == 0) gsp::pinned_track_memory_ioctl(d.driver_fd, &before, arg);
  if (rc < 0) {
    errno = int(-rc);
    return -1;
  }
  return int(rc);
}

// A forked child's CB mapping is its own memory, filled from the driver's CB, and read back
// by its server before each CS (preload/fork_server.cpp).
static void* map_in_child(int driver_fd, size_t len, int prot, off_t off) {
  void* q = reinterpret_cast<void*>(syscall(SYS_mmap, nullptr, len, PROT_READ | PROT_WRITE,
                                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  if (q == MAP_FAILED) return MAP_FAILED;
  ForkRequest r{};
  r.op = ForkOp::mmap;
  r.driver_fd = driver_fd;
  r.a = uint64_t(off);
  r.b = len;
  r.c = reinterpret_cast<uint64_t>(q);
  int64_t rc = fork_call(r);
  if (rc < 0 || (prot != (PROT_READ | PROT_WRITE) && syscall(SYS_mprotect, q, len, prot) != 0)) {
    int e = rc < 0 ? int(-rc) : errno;
    syscall(SYS_munmap, q, len);
    errno = e;
    return MAP_FAILED;
  }
  std::lock_guard<std::mutex> g(g_mu);
  g_maps[uintptr_t(q)] = len;
  ++g_mapping_count;
  return q;
}

extern "C" void* gsp_mmap_device(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  DeviceFd d;
  if (!lookup(fd, &d)) {
    errno = EBADF;
    return MAP_FAILED;
  }
  // The CB is the driver's memory in this process: it cannot be placed at a fixed address.
  if ((flags & MAP_FIXED) || (off & 4095) || len == 0) {
    errno = EINVAL;
    return MAP_FAILED;
  }
  if (fork_child_mode()) return map_in_child(d.driver_fd, len, prot, off);
  Simulator* sim = sim_or_errno();
  if (!sim) return MAP_FAILED;
  void* p = nullptr;
  int err = -ENODEV;
  sim->call([&] { p = sim->driver().mmap(d.driver_fd, uint64_t(off), len, &err); });
  if (!p) {
    errno = -err;
    return MAP_FAILED;
  }
  std::lock_guard<std::mutex> g(g_mu);
  g_maps[uintptr_t(p)] = len;
  ++g_mapping_count;
  return p;
}

extern "C" int gsp_munmap(void* addr, size_t len, int* handled) {
  *handled = 0;
  uintptr_t a = uintptr_t(addr);
  if (gsp::pinned_overlaps(a, len)) {  // keep the range reserved, without access
    *handled = 1;
    void* p = reinterpret_cast<void*>(syscall(SYS_mmap, addr, len, PROT_NONE,
                                              MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
    if (p == MAP_FAILED) return -1;  // errno from the kernel (EINVAL for a bad range)
    return 0;
  }
  if (g_mapping_count.load(std::memory_order_relaxed) == 0) return 0;
  {
    std::lock_guard<std::mutex> g(g_mu);
    auto it = g_maps.upper_bound(a);
    if (it == g_maps.begin()) return 0;
    --it;
    if (a >= it->first + it->second) return 0;
    *handled = 1;
    if (fork_child_mode()) *handled = 0;  // the child's own memory: really unmapped
    if (a != it->first) return 0;  // a piece of a CB mapping: it stays until its start is unmapped
    g_maps.erase(it);
    --g_mapping_count;
  }
  if (fork_child_mode()) {
    ForkRequest r{};
    r.op = ForkOp::munmap;
    r.c = uint64_t(a);
    fork_call(r);
    return 0;
  }
  if (Simulator* sim = Simulator::running()) sim->call([&] { sim->driver().munmap(addr, len); });
  return 0;
}

extern "C" int gsp_fstat_device(int fd, struct stat* st) {
  DeviceFd d;
  if (!lookup(fd, &d)) {
    errno = EBADF;
    return -1;
  }
  gsp_stat_node(d.node, st);
  return 0;
}
