// 24-bit packet sequence numbers (BTH): distances across the wrap.
#pragma once
#include <cstdint>

#include "specs/roce/rc.h"

namespace gs {

// Signed distance a - b of two 24-bit PSNs.
inline int32_t psn_diff(uint32_t a, uint32_t b) { return int32_t(((a - b) & GSIM_RC_PSN_MASK) << 8) >> 8; }

}  // namespace gs
