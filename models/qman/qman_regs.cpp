// The QMAN register block (offsets from specs/gaudi/regs.h). Registers with an effect on the
// streams (enables, doorbells, fence increments) act at the write's annotated time; the rest
// are storage the CPs read when they need them (PQ bases and sizes, message bases).
// Offsets not declared here answer with an address error.
#include "models/qman/qman.hpp"

#include <charconv>

namespace gs {

namespace {
// "BASE_i" in one reused buffer (the layout interns the name).
const std::string& idx(const char* base, unsigned i) {
  static std::string name;
  name.assign(base);
  name += '_';
  char digits[12];
  name.append(digits, std::to_chars(digits, digits + sizeof digits, i).ptr);
  return name;
}
}  // namespace

// Every QMAN's registers, declared once per process (reg_layout.hpp).
const RegLayoutOf<Qman>& Qman::reg_layout() {
  static const RegLayoutOf<Qman> layout = build_reg_layout();
  return layout;
}

RegLayoutOf<Qman> Qman::build_reg_layout() {
  using sc_core::sc_time;
  RegLayoutOf<Qman> l;

  l.add(GAUDI_QM_GLBL_CFG0, "GLBL_CFG0").on_write([](Qman& q, uint32_t, uint32_t& v, sc_time d) {
    q.at_effect_time(d, [&q, v] { q.apply_cfg0(v); });
  });
  l.add(GAUDI_QM_GLBL_CFG1, "GLBL_CFG1").on_write([](Qman& q, uint32_t, uint32_t& v, sc_time d) {
    q.at_effect_time(d, [&q, v] { q.apply_cfg1(v); });
  });
  l.add(GAUDI_QM_GLBL_PROT, "GLBL_PROT");
  l.add(GAUDI_QM_GLBL_ERR_CFG, "GLBL_ERR_CFG");
  l.add(GAUDI_QM_GLBL_STS0, "GLBL_STS0", 0, false).on_read([](const Qman& q, uint32_t) { return q.compose_sts0(); });
  // Software-written error-message target: on an error the QMAN stores the offending
  // packet's address and ctl word here (see raise_error).
  l.add(GAUDI_QM_GLBL_ERR_ADDR_LO, "GLBL_ERR_ADDR_LO");
  l.add(GAUDI_QM_GLBL_ERR_ADDR_HI, "GLBL_ERR_ADDR_HI");
  l.add(GAUDI_QM_GLBL_ERR_WDATA, "GLBL_ERR_WDATA");
  l.add(GAUDI_QM_GLBL_MEM_INIT_BUSY, "GLBL_MEM_INIT_BUSY", 0, false);
  // Arbitration is not modelled; the driver's set-up writes are accepted.
  l.add(GAUDI_QM_ARB_CFG_0, "ARB_CFG_0");
  l.add(GAUDI_QM_ARB_ERR_MSG_EN, "ARB_ERR_MSG_EN");
  l.add(GAUDI_QM_ARB_SLV_CHOISE_WDT, "ARB_SLV_CHOISE_WDT");

  for (unsigned c = 0; c < kCps; ++c) {
    l.add(GAUDI_QM_GLBL_SECURE_PROPS(c), idx("GLBL_SECURE_PROPS", c));
    l.add(GAUDI_QM_GLBL_NON_SECURE_PROPS(c), idx("GLBL_NON_SECURE_PROPS", c));
    l.add(GAUDI_QM_GLBL_MSG_EN(c), idx("GLBL_MSG_EN", c));
    l.add(GAUDI_QM_GLBL_STS1(c), idx("GLBL_STS1", c))
        .on_read([](const Qman& q, uint32_t c) { return q.sts1_[c]; }, c)
        .on_write([](Qman& q, uint32_t c, uint32_t& v, sc_time) { q.sts1_[c] &= ~v; }, c);  // write 1 to clear
    for (unsigned b = 0; b < 4; ++b) {
      std::string n = "CP_MSG_BASE" + std::to_string(b) + "_ADDR_";
      l.add(GAUDI_QM_CP_MSG_BASE_ADDR_LO(b, c), idx((n + "LO").c_str(), c));
      l.add(GAUDI_QM_CP_MSG_BASE_ADDR_HI(b, c), idx((n + "HI").c_str(), c));
    }
    l.add(GAUDI_QM_CP_LDMA_TSIZE_OFFSET(c), idx("CP_LDMA_TSIZE_OFFSET", c));
    l.add(GAUDI_QM_CP_LDMA_SRC_BASE_LO_OFFSET(c), idx("CP_LDMA_SRC_BASE_LO_OFFSET", c));
    l.add(GAUDI_QM_CP_LDMA_DST_BASE_LO_OFFSET(c), idx("CP_LDMA_DST_BASE_LO_OFFSET", c));
    for (unsigned f = 0; f < kFences; ++f) {
      const uint32_t cf = c * kFences + f;  // the hooks' argument: CP and fence
      std::string n = "CP_FENCE" + std::to_string(f);
      l.add(GAUDI_QM_CP_FENCE_RDATA(f, c), idx((n + "_RDATA").c_str(), c))
          .on_write([](Qman& q, uint32_t cf, uint32_t& v, sc_time d) {
            q.at_effect_time(d, [&q, cf, v] { q.add_fence(cf / kFences, cf % kFences, v); });
          }, cf);
      l.add(GAUDI_QM_CP_FENCE_CNT(f, c), idx((n + "_CNT").c_str(), c))
          .on_read([](const Qman& q, uint32_t cf) { return q.fence_[cf / kFences][cf % kFences]; }, cf)
          .on_write([](Qman& q, uint32_t cf, uint32_t& v, sc_time d) {  // direct set, for debug and tests
            q.at_effect_time(d, [&q, cf, v] {
              const unsigned c = cf / kFences;
              q.fence_[c][cf % kFences] = v;
              if (c < kStreams) q.wake(c);
            });
          }, cf);
    }
    l.add(GAUDI_QM_CP_STS(c), idx("CP_STS", c), 0, false)
        .on_read([](const Qman& q, uint32_t c) { return q.compose_cp_sts(c); }, c);
    l.add(GAUDI_QM_CP_CURRENT_INST_LO(c), idx("CP_CURRENT_INST_LO", c), 0, false)
        .on_read([](const Qman& q, uint32_t c) { return c < kStreams ? uint32_t(q.st_[c].cur_inst) : 0u; }, c);
    l.add(GAUDI_QM_CP_CURRENT_INST_HI(c), idx("CP_CURRENT_INST_HI", c), 0, false)
        .on_read([](const Qman& q, uint32_t c) { return c < kStreams ? uint32_t(q.st_[c].cur_inst >> 32) : 0u; }, c);
    l.add(GAUDI_QM_CP_BARRIER_CFG(c), idx("CP_BARRIER_CFG", c));
  }

  for (unsigned s = 0; s < kStreams; ++s) {
    l.add(GAUDI_QM_PQ_BASE_LO(s), idx("PQ_BASE_LO", s));
    l.add(GAUDI_QM_PQ_BASE_HI(s), idx("PQ_BASE_HI", s));
    l.add(GAUDI_QM_PQ_SIZE(s), idx("PQ_SIZE", s));
    // Reads give what software wrote last (the doorbell acts hop + latency later).
    l.add(GAUDI_QM_PQ_PI(s), idx("PQ_PI", s)).on_write([](Qman& q, uint32_t s, uint32_t& v, sc_time d) {
      q.at_effect_time(d, [&q, s, v] { q.apply_doorbell(s, v); });
    }, s);
    // CI belongs to the QMAN: software writes (the Linux driver zeroes it) are ignored.
    l.add(GAUDI_QM_PQ_CI(s), idx("PQ_CI", s), 0, false).on_read([](const Qman& q, uint32_t s) { return q.st_[s].ci; }, s);
    l.add(GAUDI_QM_PQ_CFG0(s), idx("PQ_CFG0", s));
    l.add(GAUDI_QM_PQ_CFG1(s), idx("PQ_CFG1", s));
  }
  return l;
}

// GLBL_STS0 (public layout): PQF idle 0..3, CQF idle 4..8 (no CQ fetchers: always idle),
// CP idle 9..13, PQF stopped 16..19, CQF stopped 20..24, CP stopped 25..29.
uint32_t Qman::compose_sts0() const {
  uint32_t v = GAUDI_QM_GLBL_CQF_MASK;
  bool lower_busy = false;
  for (unsigned s = 0; s < kStreams; ++s) {
    const Stream& st = st_[s];
    uint32_t mask = 2 * entries(s) - 1;
    bool halted = st.stopped || st.error;
    if (((st.pi - st.ci) & mask) == 0) v |= qm_sts0::pqf_idle(s);
    if (!st.busy) v |= qm_sts0::cp_idle(s);
    lower_busy |= st.nested;
    if (halted || (cfg1_ >> s & 1)) v |= qm_sts0::pqf_stopped(s);
    if (halted || (cfg1_ >> (GAUDI_QM_GLBL_CP_SHIFT + s) & 1)) v |= qm_sts0::cp_stopped(s);
  }
  if (!lower_busy) v |= qm_sts0::cp_idle(4);
  if (cfg1_ >> (GAUDI_QM_GLBL_CP_SHIFT + 4) & 1) v |= qm_sts0::cp_stopped(4);
  return v;
}

uint32_t Qman::compose_cp_sts(unsigned cp) const {
  if (cp >= kStreams || !st_[cp].fence_wait) return 0;
  return GAUDI_QM_CP_STS_FENCE_IN_PROGRESS_MASK |
         GAUDI_FIELD_PREP(GAUDI_QM_CP_STS_FENCE_ID_MASK, GAUDI_QM_CP_STS_FENCE_ID_SHIFT, st_[cp].fence_id);
}

}  // namespace gs
