// The device address a BAR window has while no iATU inbound region translates it: accesses
// through it are Unsupported Requests (the host reads all-ones). Shared by the endpoint and
// the PCIe core that sets it.
#pragma once
#include <cstdint>

namespace gs {
constexpr uint64_t kBarUntranslated = ~0ull;
}
