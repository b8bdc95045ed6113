// A SystemC thread created on first use. Each SystemC thread owns a coroutine stack (a
// memory mapping of its own); a card with a thread per QMAN stream and engine would hold
// about 130 of them, and the kernel's 65,530-mapping limit would cap a simulation at about
// 240 cards. Models whose loops are "sleep until there is work, do it" use a LazyThread
// instead: the body does the work there is and returns; kick() runs it again (in a thread
// created by the first kick and parked between runs), so streams and engines that are never
// used cost no coroutine. Every event that can create work must kick(); the body must
// re-check its work condition before returning (it runs in the same delta cycle as its last
// check, so no work is lost). Threads are not ended when idle: SystemC frees the stack of a
// dynamic thread that ends while others may still switch through it (seen as crashes of the
// preload soak test), so a parked thread is the safe form.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <systemc>

namespace gs {

class LazyThread {
 public:
  // name: the process name's stem (a counter is appended). stack_bytes: coroutine stack.
  // Construct it in the owning module's constructor: its threads are that module's
  // children (not of whichever process happened to kick it, which may end or be killed).
  LazyThread(std::string name, size_t stack_bytes, std::function<void()> body);
  // Made later (when first needed): `owner` is the module whose children its threads are.
  LazyThread(sc_core::sc_module* owner, std::string name, size_t stack_bytes, std::function<void()> body);
  LazyThread(const LazyThread&) = delete;
  LazyThread& operator=(const LazyThread&) = delete;

  // Starts the body in the next delta cycle (where a thread waiting for a delta
  // notification would have woken) unless it runs or is about to.
  void kick();
  bool running() const { return running_; }
  uint64_t starts() const { return starts_; }

  // Threads created, over every LazyThread of the process (statistics).
  static uint64_t alive() { return alive_; }

 private:
  std::string name_;
  sc_core::sc_module* owner_;  // the module being constructed when this was
  size_t stack_bytes_;
  std::function<void()> body_;
  // Made by the first kick, with the thread: an event made during elaboration is named and
  // registered by SystemC (a card would register 112 of them for streams never used).
  std::unique_ptr<sc_core::sc_event> start_;
  bool running_ = false, created_ = false;
  uint64_t starts_ = 0;
  static uint64_t alive_;
};

}  // namespace gs
