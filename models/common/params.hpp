// Moved: the protocol is shared with driver/, which may not include models/.
#pragma once
#include "common/params.hpp"
