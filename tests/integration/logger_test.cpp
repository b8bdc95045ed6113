// The simulated software's log keeps the newest sim.log_keep_lines lines: a long run (the
// soak) must not grow host memory with every line it ever logged.
#include <gtest/gtest.h>

#include "testbench/host/logger.hpp"

namespace gs::test {

TEST(Logger, KeepsTheNewestLinesAndCountsTheRest) {
  Logger log(hl::os::LogLevel::error, /*echo*/ false, /*keep*/ 10);
  for (int i = 0; i < 1000; ++i) log.write(hl::os::LogLevel::info, "hl0", "line " + std::to_string(i));
  EXPECT_GE(log.lines().size(), 10u);
  EXPECT_LE(log.lines().size(), 16u);  // keep + keep/2 + 1 at most
  EXPECT_EQ(log.dropped() + log.lines().size(), 1000u);
  EXPECT_TRUE(log.contains("line 999"));
  EXPECT_TRUE(log.contains("line 990"));
  EXPECT_FALSE(log.contains("line 500"));
  EXPECT_NE(log.lines().back().find("hl0 info: line 999"), std::string::npos);
}

}  // namespace gs::test
