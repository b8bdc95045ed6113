#include "preload/checked_user_access.hpp"

#include "preload/caller_process.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace gsp {

namespace {
constexpr size_t kPage = 4096;
}  // namespace

ssize_t process_copy(int pid, bool to_user, void* user, void* local, size_t n) {
  iovec l{local, n}, r{user, n};
  return to_user ? process_vm_writev(pid, &l, 1, &r, 1, 0) : process_vm_readv(pid, &l, 1, &r, 1, 0);
}

int CheckedUserAccess::read(void* dst, const void* user_src, size_t n) { return read_from(caller_pid(), dst, user_src, n); }
int CheckedUserAccess::write(void* user_dst, const void* src, size_t n) { return write_to(caller_pid(), user_dst, src, n); }

int CheckedUserAccess::read_from(int pid, void* dst, const void* user_src, size_t n) {
  if (!n) return 0;
  const bool own = pid == getpid();  // another process is never reached without the kernel's check
  if (unavailable_ && own) return UserAccess::read(dst, user_src, n);
  ssize_t got = process_copy(pid, false, const_cast<void*>(user_src), dst, n);
  if (got == ssize_t(n)) return 0;
  if (got < 0 && (errno == ENOSYS || errno == EPERM) && own) {
    unavailable_ = true;
    std::fprintf(stderr, "gaudisim preload: process_vm_readv unavailable; user pointers are not checked\n");
    return UserAccess::read(dst, user_src, n);
  }
  return -EFAULT;
}

int CheckedUserAccess::write_to(int pid, void* user_dst, const void* src, size_t n) {
  if (!n) return 0;
  if (unavailable_ && pid == getpid()) return UserAccess::write(user_dst, src, n);
  ssize_t put = process_copy(pid, true, user_dst, const_cast<void*>(src), n);
  return put == ssize_t(n) ? 0 : -EFAULT;
}

// Every page of the range must be readable: read one byte of each, many pages per syscall.
int CheckedUserAccess::pin(void* user_ptr, size_t n) {
  if (!user_ptr || !n) return -EFAULT;
  const int pid = caller_pid();
  if (unavailable_ && pid == getpid()) return 0;
  uintptr_t first = uintptr_t(user_ptr), last = first + n - 1;
  if (last < first) return -EFAULT;
  std::vector<char> sink(1024);
  std::vector<iovec> local, remote;
  for (uintptr_t p = first; ; p = (p / kPage + 1) * kPage) {
    local.push_back({&sink[local.size()], 1});
    remote.push_back({reinterpret_cast<void*>(p), 1});
    bool end = p / kPage == last / kPage;
    if (local.size() == sink.size() || end) {
      ssize_t got = process_vm_readv(pid, local.data(), local.size(), remote.data(), remote.size(), 0);
      if (got != ssize_t(local.size())) return -EFAULT;
      local.clear();
      remote.clear();
    }
    if (end) return 0;
  }
}

}  // namespace gsp
