// Waiting for the end of the current instant: the caller resumes, still at the same
// simulated time, once no other process has anything left to do at that time. What a
// reader sees then does not depend on the order in which the kernel ran the processes of
// the instant (that order differs between a single-process and a partitioned run).
#pragma once

namespace gs {

// From a thread process. One checker per simulation serves every caller (per-caller
// checkers would each see the others' pending checks and never finish).
void wait_instant_end();

}  // namespace gs
