// Which program process a request in the simulation serves. The simulation lives in the
// process that built it; a forked child's calls on its inherited device files are served
// there too (preload/fork_channel), and the driver must then reach the child's memory, as
// Linux's copy_from_user and get_user_pages reach the calling process's. The request runs in
// a simulated process (a SystemC coroutine) that may block: the caller is remembered per
// simulated process, not per OS thread.
#pragma once

namespace gsp {

// The pid whose memory the current request's user pointers point into (getpid() outside a
// forwarded request).
int caller_pid();

// For the lifetime of the scope, the current simulated process serves `pid`.
class CallerScope {
 public:
  explicit CallerScope(int pid);
  ~CallerScope();
  CallerScope(const CallerScope&) = delete;
  CallerScope& operator=(const CallerScope&) = delete;

 private:
  const void* process_;
};

}  // namespace gsp
