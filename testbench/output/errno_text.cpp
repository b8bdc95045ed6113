#include "testbench/output/errno_text.hpp"

#include <string.h>

#include "specs/gaudi/nic.h"

namespace gs::output {

std::string errno_name(int err) {
  const int e = err < 0 ? -err : err;
  const char* name = strerrorname_np(e);  // glibc >= 2.32
  return name ? name : "E" + std::to_string(e);
}

std::string errno_text(int err) {
  const int e = err < 0 ? -err : err;
  return "-" + errno_name(e) + ": " + strerror(e);
}

std::string failure_text(const std::string& what, int rc) { return rc ? what + ": " + errno_text(rc) : what; }

nlohmann::json error_entry(const std::string& what, int rc) {
  nlohmann::json j = {{"what", what}, {"message", failure_text(what, rc)}};
  if (rc) {
    j["errno"] = rc < 0 ? rc : -rc;
    j["errno_name"] = errno_name(rc);
  }
  return j;
}

const char* qp_syndrome_name(uint32_t s) {
  switch (s) {
    case GSIM_NIC_ERR_NONE: return "NONE";
    case GSIM_NIC_ERR_BAD_QP: return "BAD_QP";
    case GSIM_NIC_ERR_PORT_DOWN: return "PORT_DOWN";
    case GSIM_NIC_ERR_BAD_LENGTH: return "BAD_LENGTH";
    case GSIM_NIC_ERR_BAD_LOCAL_ADDR: return "BAD_LOCAL_ADDR";
    case GSIM_NIC_ERR_BAD_OPCODE: return "BAD_OPCODE";
    case GSIM_NIC_ERR_QP_IN_ERROR: return "QP_IN_ERROR";
    case GSIM_NIC_ERR_BAD_SOB: return "BAD_SOB";
    case GSIM_NIC_ERR_RETRY_EXCEEDED: return "RETRY_EXCEEDED";
    case GSIM_NIC_ERR_REMOTE_ACCESS: return "REMOTE_ACCESS";
    case GSIM_NIC_ERR_RX_ACCESS: return "RX_ACCESS";
    case GSIM_NIC_ERR_RX_SEQUENCE: return "RX_SEQUENCE";
    case GSIM_NIC_ERR_REMOTE_INVALID: return "REMOTE_INVALID";
    case GSIM_NIC_ERR_LOCAL_READ: return "LOCAL_READ";
    case GSIM_NIC_ERR_FLUSHED: return "FLUSHED";
  }
  return "UNKNOWN";
}

}  // namespace gs::output
