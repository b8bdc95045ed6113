#include "driver/core/cs_parser_launch.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "driver/core/cs_parser.hpp"
#include "specs/gaudi/regs.h"
#include "specs/gaudi/tpc_mme.h"

namespace hl {

namespace {

uint64_t reg64(const EngineRegs& r, uint32_t lo) {
  auto get = [&](uint32_t off) {
    auto it = r.find(off);
    return it == r.end() ? 0u : it->second;
  };
  return uint64_t(get(lo + 4)) << 32 | get(lo);
}

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

// Bytes from the tensor's address to one past its last element (strides in elements).
bool tensor_extent(const gsim_tensor& t, uint64_t* bytes) {
  if (t.ndims == 0 || t.ndims > GSIM_MAX_DIMS) return false;
  uint64_t last = 0;
  for (unsigned d = 0; d < t.ndims; ++d) {
    if (t.shape[d] == 0) return false;
    last += uint64_t(t.shape[d] - 1) * t.stride[d];
  }
  *bytes = (last + 1) * gsim_dtype_size(t.dtype);
  return true;
}

std::string check_tensor(const char* what, const gsim_tensor& t, const MemoryManager& mem) {
  uint64_t n = 0;
  if (!tensor_extent(t, &n)) return std::string(what) + " tensor has a bad shape";
  if (!mem.may_access(t.addr, n)) return std::string(what) + " tensor at " + hex(t.addr) + " + " + std::to_string(n) +
                                   " is host memory the context has not mapped";
  return "";
}

// A SOB_OBJ register of any sync manager (the sync manager polices the driver's range).
bool sync_object(uint64_t addr) {
  static const uint32_t glbl[] = {GAUDI_BLK_SYNC_MNGR_GLBL_E_N, GAUDI_BLK_SYNC_MNGR_GLBL_E_S,
                                  GAUDI_BLK_SYNC_MNGR_GLBL_W_N, GAUDI_BLK_SYNC_MNGR_GLBL_W_S};
  for (uint32_t g : glbl) {
    uint64_t sobs = GAUDI_CFG_BASE + GAUDI_BLK_SYNC_MNGR_OBJS(g);
    if (addr % 4 == 0 && addr >= sobs + GAUDI_SM_SOB_OBJ(0) && addr < sobs + GAUDI_SM_SOB_OBJ(GAUDI_SM_NUM_SOBS))
      return true;
  }
  return false;
}

}  // namespace

bool is_compute_queue(const QueueDesc& q) { return std::strncmp(q.name, "TPC", 3) == 0 || std::strncmp(q.name, "MME", 3) == 0; }

std::string check_engine_launch(const QueueDesc& q, const MemoryManager& mem, const EngineRegs& regs,
                                uint32_t launch_flags) {
  if (launch_flags & GSIM_ENG_LAUNCH_COMP_EN) {
    uint64_t comp = reg64(regs, GSIM_ENG_COMP_ADDR_LO);
    if (!sync_object(comp) && !mem.may_access(comp, 4))
      return "completion write to " + hex(comp) + " is neither a sync object nor memory the context may reach";
  }
  bool tpc = std::strncmp(q.name, "TPC", 3) == 0;
  uint64_t desc = reg64(regs, GSIM_ENG_DESC_ADDR_LO);
  const uint64_t size = tpc ? sizeof(gsim_tpc_desc) : sizeof(gsim_mme_desc);
  if (!mem.may_access(desc, size)) return "descriptor at " + hex(desc) + " is host memory the context has not mapped";
  uint8_t bytes[sizeof(gsim_tpc_desc) > sizeof(gsim_mme_desc) ? sizeof(gsim_tpc_desc) : sizeof(gsim_mme_desc)];
  int rc = mem.read_host(desc, bytes, size);
  if (rc == -ENOENT) return "";  // in device memory: the engine checks what it reads
  if (rc) return "descriptor at " + hex(desc) + " is in a mapped host buffer whose pages are gone";
  std::string why;
  if (tpc) {
    gsim_tpc_desc d;
    std::memcpy(&d, bytes, sizeof d);
    if (d.num_inputs > GSIM_TPC_MAX_INPUTS) return "TPC descriptor has " + std::to_string(d.num_inputs) + " inputs";
    for (uint32_t i = 0; i < d.num_inputs && why.empty(); ++i) why = check_tensor("input", d.input[i], mem);
    if (why.empty()) why = check_tensor("output", d.output, mem);
  } else {
    gsim_mme_desc d;
    std::memcpy(&d, bytes, sizeof d);
    why = check_tensor("A", d.a, mem);
    if (why.empty()) why = check_tensor("B", d.b, mem);
    if (why.empty()) why = check_tensor("C", d.c, mem);
    if (why.empty() && (d.flags & GSIM_MME_BIAS)) why = check_tensor("bias", d.bias, mem);
  }
  return why;
}

}  // namespace hl
