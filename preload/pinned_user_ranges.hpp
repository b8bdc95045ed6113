// Host buffers the program mapped for device DMA (MEMORY MAP with HL_MEM_USERPTR). Linux pins
// their pages, so a program's munmap cannot hand the range to anyone else while the device may
// still reach it. The simulator shares the program's address space: if such a range were really
// unmapped, the simulator's own next allocation could land there and the device's DMA would
// write into it. munmap of a pinned range therefore leaves it reserved without access (the
// device's DMA then faults and fails its CS, docs/uapi.md).
#pragma once
#include <cstddef>
#include <cstdint>

namespace gsp {

void pinned_add(int driver_fd, uint64_t device_va, uintptr_t host, size_t len);
void pinned_remove(int driver_fd, uint64_t device_va);
bool pinned_overlaps(uintptr_t host, size_t len);
// In a forked child (single-threaded, just after fork): the parent's pins are not its own.
void pinned_forget_all();

// After a successful MEMORY ioctl (`before` = the argument as the program passed it, `after` =
// as the driver returned it), keeps the registry in step.
void pinned_track_memory_ioctl(int driver_fd, const void* before, const void* after);

}  // namespace gsp
