#include "driver/core/cb_manager.hpp"

#include <cerrno>
#include <vector>

#include "driver/uapi/habanalabs.h"

namespace hl {

CbManager::~CbManager() {
  for (auto& kv : cbs_) os_.dma_free_coherent(kv.second.cpu, kv.second.size, kv.second.bus);
}

int64_t CbManager::create(uint32_t size, int owner_fd) {
  if (size == 0 || size > HL_MAX_CB_SIZE) return -EINVAL;
  uint32_t rounded = (size + 4095u) & ~4095u;
  CommandBuffer cb;
  cb.cpu = static_cast<uint8_t*>(os_.dma_alloc_coherent(rounded, &cb.bus));
  if (!cb.cpu) return -ENOMEM;
  cb.id = next_id_++;
  cb.size = rounded;
  cb.owner_fd = owner_fd;
  cbs_[cb.id] = cb;
  return int64_t(HL_MMAP_CB_HANDLE(cb.id));
}

CommandBuffer* CbManager::find(uint64_t handle, int fd) {
  if ((handle & HL_MMAP_TYPE_MASK) != HL_MMAP_TYPE_CB) return nullptr;
  auto it = cbs_.find(HL_MMAP_CB_ID(handle));
  if (it == cbs_.end() || it->second.destroyed || it->second.owner_fd != fd) return nullptr;
  return &it->second;
}

void CbManager::free_cb(uint64_t id) {
  auto it = cbs_.find(id);
  if (it == cbs_.end()) return;
  os_.dma_free_coherent(it->second.cpu, it->second.size, it->second.bus);
  cbs_.erase(it);
}

int CbManager::destroy(uint64_t handle, int fd) {
  CommandBuffer* cb = find(handle, fd);
  if (!cb) return -EINVAL;
  cb->destroyed = true;
  if (cb->jobs == 0 && cb->maps == 0) free_cb(cb->id);
  return 0;
}

void CbManager::put(CommandBuffer& cb) {
  if (--cb.jobs == 0 && cb.maps == 0 && cb.destroyed) free_cb(cb.id);
}

void CbManager::unmap(uint64_t id) {
  auto it = cbs_.find(id);
  if (it == cbs_.end() || it->second.maps == 0) return;
  CommandBuffer& cb = it->second;
  if (--cb.maps == 0 && cb.jobs == 0 && cb.destroyed) free_cb(id);
}

void CbManager::release_owner(int fd) {
  std::vector<uint64_t> ids;
  for (auto& kv : cbs_)
    if (kv.second.owner_fd == fd && !kv.second.destroyed) ids.push_back(kv.first);
  for (uint64_t id : ids) destroy(HL_MMAP_CB_HANDLE(id), fd);
}

}  // namespace hl
