#include "models/common/lazy_thread.hpp"

namespace gs {

uint64_t LazyThread::alive_ = 0;

LazyThread::LazyThread(std::string name, size_t stack_bytes, std::function<void()> body)
    : name_(std::move(name)), stack_bytes_(stack_bytes), body_(std::move(body)) {}

void LazyThread::kick() {
  if (running_) return;
  running_ = true;
  ++alive_;
  ++starts_;
  sc_core::sc_spawn_options opts;
  opts.set_stack_size(stack_bytes_);
  opts.set_sensitivity(&start_);
  opts.dont_initialize();
  sc_core::sc_spawn(
      [this] {
        body_();
        running_ = false;
        --alive_;
      },
      sc_core::sc_gen_unique_name(name_.c_str()), &opts);
  start_.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace gs
