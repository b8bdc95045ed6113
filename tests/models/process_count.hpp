// Counts the SystemC processes under an object: what the method-driven models (QMAN streams,
// DMA cores) promise is that busy work creates no thread (no coroutine stack).
#pragma once
#include <string>
#include <systemc>

namespace gs::test {

struct Processes {
  unsigned threads = 0, methods = 0;
};

// The processes under `o` (a module's children, and a process's dynamic ones).
inline void count_processes(const sc_core::sc_object* o, Processes& n) {
  const std::string kind = o->kind();
  if (kind == "sc_thread_process" || kind == "sc_cthread_process") ++n.threads;
  if (kind == "sc_method_process") ++n.methods;
  for (const sc_core::sc_object* c : o->get_child_objects()) count_processes(c, n);
}

}  // namespace gs::test
