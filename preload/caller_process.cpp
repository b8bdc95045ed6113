#include "preload/caller_process.hpp"

#include <unistd.h>

#include <map>
#include <mutex>
#include <systemc>

namespace gsp {
namespace {
std::mutex g_mu;  // DMA completions may ask from the kernel thread while a server registers
std::map<const void*, int> g_callers;
}  // namespace

int caller_pid() {
  const void* p = sc_core::sc_get_current_process_b();
  std::lock_guard<std::mutex> g(g_mu);
  auto it = p ? g_callers.find(p) : g_callers.end();
  return it == g_callers.end() ? int(getpid()) : it->second;
}

CallerScope::CallerScope(int pid) : process_(sc_core::sc_get_current_process_b()) {
  std::lock_guard<std::mutex> g(g_mu);
  g_callers[process_] = pid;
}

CallerScope::~CallerScope() {
  std::lock_guard<std::mutex> g(g_mu);
  g_callers.erase(process_);
}

}  // namespace gsp
