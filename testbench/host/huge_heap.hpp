// Backs the process heap with transparent huge pages. A 128-card run builds ~300 MB of small
// objects (registers, modules, events); on this machine kind each first touch of a 4 KiB page
// costs several microseconds in the kernel, about half of such a run's CPU time. A 2 MiB page
// takes one fault for 512 of them. THP is "madvise" here, so the heap has to ask for it.
#pragma once

namespace gs {

// Once, before anything big is built: the heap then grows in large steps (so a step can be
// advised before most of it is touched) and everything up to `mmap_threshold` stays on it.
void enable_huge_heap();
// After the heap may have grown: advises the part not advised yet. Cheap (no system call
// unless the heap grew by 2 MiB or more since the last call).
void advise_huge_heap();

}  // namespace gs
