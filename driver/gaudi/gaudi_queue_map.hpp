// GAUDI's queue numbering (uAPI queue ids) mapped onto QMAN blocks and streams.
#pragma once
#include "driver/core/asic_props.hpp"
#include "driver/core/hw_queue.hpp"

namespace hl {

// Description of uAPI queue `qid` on a card with these properties; type none for ids out of
// range or engines the card does not have.
QueueDesc gaudi_queue_desc(unsigned qid, const AsicProps& p);

}  // namespace hl
