// The card's four sync managers.
#include "models/card/card.hpp"

namespace gs {

void Card::build_sync_managers() {}

}  // namespace gs
