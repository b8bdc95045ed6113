// Names for the numbers a run reports: errnos ("-ETIMEDOUT: Connection timed out") and
// the NIC's QP error syndromes (specs/gaudi/nic.h), so that an error row explains itself.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace gs::output {

std::string errno_name(int err);  // sign ignored: "ETIMEDOUT"; unknown: "E<n>"
std::string errno_text(int err);  // "-ETIMEDOUT: Connection timed out"
// "what failed: -ETIMEDOUT: Connection timed out"; rc 0 leaves `what` alone.
std::string failure_text(const std::string& what, int rc);
// An errors[] entry: {"what", "errno", "errno_name", "message"} (errno keys only when rc != 0).
nlohmann::json error_entry(const std::string& what, int rc);
const char* qp_syndrome_name(uint32_t syndrome);  // "RETRY_EXCEEDED"; unknown: "UNKNOWN"

}  // namespace gs::output
