#include "models/common/lazy_wake.hpp"

#include <new>

#include "models/common/spawn_method.hpp"

namespace gs {

void LazyWake::make() {
  name_ = std::string(owner_->name()) + suffix_;
  new (&wake_) TimedWake(name_.c_str(), action_);
  made_ = true;
}

void LazyWake::notify(sc_core::sc_time delay) {
  if (!made_) make();
  if (delay == sc_core::SC_ZERO_TIME && !method_) {  // a delta notification: a method runs it
    method_ = true;
    spawn_method_on(owner_, wake_.event(), action_, stem_);  // the owner's child, not the notifier's
  }
  wake_.notify(delay);
}

}  // namespace gs
