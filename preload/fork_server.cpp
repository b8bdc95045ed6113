// The parent's side of preload/fork_channel.hpp: a listening socket, one thread per connected
// child, each call run in the simulation on the child's behalf.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "driver/core/hl_driver.hpp"
#include "driver/uapi/habanalabs.h"
#include "preload/caller_process.hpp"
#include "preload/checked_user_access.hpp"
#include "preload/fork_channel.hpp"
#include "preload/simulator.hpp"

namespace gsp {

// Shared with fork_client.cpp: the name of the abstract socket children connect to.
extern char g_fork_socket_name[64];

namespace {

std::mutex g_mu;
int g_listen = -1;
uint64_t g_next_generation = 0;
std::map<uint64_t, std::vector<FileRef>> g_pending;  // generation -> files a child inherits

// Connected children (connection -> pid): a child that exited is settled (its files released)
// before the parent opens a device, as Linux closes an exiting process's files at once.
std::mutex g_live_mu;
std::condition_variable g_live_cv;
std::map<int, int> g_live;

// A process's state letter and parent from /proc/<pid>/stat; false if it is gone.
bool proc_stat(int pid, char* state, int* ppid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE* f = std::fopen(path, "r");
  if (!f) return false;
  bool ok = std::fscanf(f, "%*d (%*[^)]) %c %d", state, ppid) == 2;
  std::fclose(f);
  return ok;
}

bool exited(int pid) {
  if (kill(pid, 0) != 0) return errno == ESRCH;
  char state = 0;
  int ppid = 0;
  return !proc_stat(pid, &state, &ppid) || state == 'Z' || state == 'X';
}

bool is_cs(uint64_t cmd) {
  return (cmd & 0xFFFF) == (HL_IOCTL_CS & 0xFFFF) || (cmd & 0xFFFF) == (DRM_IOCTL_HL_CS & 0xFFFF);
}

// One connected child: the files it holds and the CBs it mapped (its copy -> the driver's).
class Session {
 public:
  Session(int fd, int pid, std::vector<FileRef> files) : fd_(fd), pid_(pid) {
    for (auto& f : files) files_[f->driver_fd] = std::move(f);
    std::lock_guard<std::mutex> g(g_live_mu);
    g_live[fd_] = pid_;
  }

  void run() {
    ForkRequest r;
    while (recv(fd_, &r, sizeof r, 0) == ssize_t(sizeof r)) {
      ForkReply reply{serve(r)};
      if (send(fd_, &reply, sizeof reply, MSG_NOSIGNAL) != ssize_t(sizeof reply)) break;
    }
    finish();
  }

 private:
  Simulator* sim() { return Simulator::running(); }

  // Runs fn in the simulation as the child's request; -ENODEV if the simulation is gone.
  template <class F>
  int64_t in_sim(F&& fn) {
    Simulator* s = sim();
    int64_t rc = -ENODEV;
    if (!s || !s->call([&] {
          CallerScope as(pid_);
          rc = fn(*s);
        }))
      return -ENODEV;
    return rc;
  }

  int64_t serve(const ForkRequest& r) {
    if (r.op != ForkOp::open && r.op != ForkOp::munmap && r.op != ForkOp::fork_prep && !files_.count(r.driver_fd))
      return -EBADF;  // only what this child holds
    switch (r.op) {
      case ForkOp::open: {
        std::string path(r.path, strnlen(r.path, sizeof r.path));
        int64_t rc = in_sim([&](Simulator& s) { return int64_t(s.driver().open(path, pid_)); });
        if (rc >= 0) files_[int(rc)] = std::make_shared<OpenFile>(OpenFile{int(rc), int(r.a)});
        return rc;
      }
      case ForkOp::close:
        release_file(std::move(files_[r.driver_fd]));
        files_.erase(r.driver_fd);
        return 0;
      case ForkOp::ioctl:
        if (is_cs(r.a)) pull_cbs();  // the CBs the child wrote, as the device will read them
        return in_sim([&](Simulator& s) {
          s.count_ioctl();
          return int64_t(s.driver().ioctl(r.driver_fd, unsigned(r.a), reinterpret_cast<void*>(r.b)));
        });
      case ForkOp::mmap: return map_cb(r);
      case ForkOp::munmap: {
        auto it = maps_.find(r.c);
        if (it == maps_.end()) return -EINVAL;
        Map m = it->second;
        maps_.erase(it);
        return in_sim([&](Simulator& s) { return int64_t(s.driver().munmap(m.driver_ptr, m.len)); });
      }
      case ForkOp::fork_prep: {
        std::vector<FileRef> copy;
        for (auto& kv : files_) copy.push_back(kv.second);
        return int64_t(fork_server_prepare(std::move(copy)));
      }
      case ForkOp::hello: return 0;
    }
    return -EINVAL;
  }

  // The child's mapping is its own memory at child_addr; the driver's CB at driver_ptr.
  int64_t map_cb(const ForkRequest& r) {
    void* p = nullptr;
    int err = -ENODEV;
    int64_t rc = in_sim([&](Simulator& s) {
      p = s.driver().mmap(r.driver_fd, r.a, size_t(r.b), &err);
      return int64_t(p ? 0 : err);
    });
    if (rc < 0) return rc;
    if (process_copy(pid_, true, reinterpret_cast<void*>(r.c), p, size_t(r.b)) != ssize_t(r.b)) {
      in_sim([&](Simulator& s) { return int64_t(s.driver().munmap(p, size_t(r.b))); });
      return -EFAULT;
    }
    maps_[r.c] = Map{p, size_t(r.b)};
    return 0;
  }

  void pull_cbs() {
    for (auto& kv : maps_) process_copy(pid_, false, reinterpret_cast<void*>(kv.first), kv.second.driver_ptr, kv.second.len);
  }

  // The child exited (or exec'd): as the kernel does, its mappings go, then its files.
  void finish() {
    for (auto& kv : maps_) {
      Map m = kv.second;
      in_sim([&](Simulator& s) { return int64_t(s.driver().munmap(m.driver_ptr, m.len)); });
    }
    maps_.clear();
    for (auto& kv : files_) release_file(std::move(kv.second));
    files_.clear();
    {
      std::lock_guard<std::mutex> g(g_live_mu);
      g_live.erase(fd_);
    }
    g_live_cv.notify_all();
    ::close(fd_);
  }

  struct Map {
    void* driver_ptr;
    size_t len;
  };
  int fd_;
  int pid_;
  std::map<int, FileRef> files_;
  std::map<uint64_t, Map> maps_;
};

// Only our own descendants are served (the socket's name is public to the host).
bool is_descendant(int pid) {
  for (int hops = 0; pid > 1 && hops < 64; ++hops) {
    char state = 0;
    int ppid = 0;
    if (!proc_stat(pid, &state, &ppid)) return false;
    if (ppid == int(getpid())) return true;
    pid = ppid;
  }
  return false;
}

void serve_connection(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  ForkRequest hello;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.uid != getuid() ||
      !is_descendant(int(cred.pid)) ||
      recv(fd, &hello, sizeof hello, 0) != ssize_t(sizeof hello) || hello.op != ForkOp::hello) {
    ::close(fd);
    return;
  }
  std::vector<FileRef> files;
  {
    std::lock_guard<std::mutex> g(g_mu);
    auto it = g_pending.find(hello.a);
    if (it != g_pending.end()) files = std::move(it->second), g_pending.erase(it);
  }
  ForkReply ok{0};
  send(fd, &ok, sizeof ok, MSG_NOSIGNAL);
  Session(fd, int(cred.pid), std::move(files)).run();
}

void accept_loop(int listen_fd) {
  for (;;) {
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    std::thread(serve_connection, fd).detach();  // a child may block in WAIT_CS: its own thread
  }
}

bool ensure_listening() {
  if (g_listen >= 0) return true;
  std::snprintf(g_fork_socket_name, sizeof g_fork_socket_name, "gaudisim-fork-%d", int(getpid()));
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  socklen_t len;
  sockaddr_un a = fork_socket_address(&len);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 || listen(fd, 64) != 0) {
    if (fd >= 0) ::close(fd);
    g_fork_socket_name[0] = 0;
    return false;
  }
  g_listen = fd;
  std::thread(accept_loop, fd).detach();
  return true;
}

}  // namespace

void fork_server_settle() {
  std::unique_lock<std::mutex> l(g_live_mu);
  auto settled = [] {
    for (const auto& kv : g_live)
      if (exited(kv.second)) return false;
    return true;
  };
  // Bounded: a session stuck in a long call of the exited child's is not waited for forever.
  g_live_cv.wait_for(l, std::chrono::seconds(5), settled);
}

uint64_t fork_server_prepare(std::vector<FileRef> inherited) {
  std::lock_guard<std::mutex> g(g_mu);
  if (!ensure_listening()) return 0;
  uint64_t gen = ++g_next_generation;
  g_pending[gen] = std::move(inherited);
  return gen;
}

}  // namespace gsp
