// The card's queue managers and the engines behind them.
#include "models/card/card.hpp"

namespace gs {

void Card::build_engines() {}

}  // namespace gs
