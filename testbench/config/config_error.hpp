// The one exception type the config layer throws for bad user input (files, --set,
// command line). main() turns it into exit code 2; every message names the key, file
// or argument at fault and what would have been accepted.
#pragma once
#include <stdexcept>
#include <string>

namespace gs {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace gs
