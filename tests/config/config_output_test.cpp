// What is derived from the declarations: describe(), --help text, JSON records, and the
// command line that selects files and overrides.
#include <gmock/gmock.h>

#include <sstream>

#include "test_root.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ConfigDescribe, ListsEveryParamInDeclarationOrder) {
  TestRoot root;
  const std::vector<ParamInfo> params = describe(root);
  ASSERT_EQ(params.size(), 10u);
  EXPECT_EQ(params[0].key, "link.latency_ns");
  EXPECT_EQ(params[0].type, "double");
  EXPECT_EQ(params[0].default_value, "1000");
  EXPECT_EQ(params[0].unit, "ns");
  EXPECT_EQ(params[0].range.max, 1e9);
  EXPECT_EQ(params[6].key, "workload.name");
  EXPECT_EQ(params[6].type, "choice");
  EXPECT_EQ(params[6].choices, (std::vector<std::string>{"info", "dma"}));
  EXPECT_EQ(params[8].default_value, "1048576");
}

struct BrokenRoot {
  uint32_t n = 0;
  std::string mode = "x";
  int variant = 0;
  template <class V>
  void visit(V& v) {
    if (variant == 0) v.param("a.n", n, "", "default outside range", Range{1, 4});
    if (variant == 1) v.choice("a.mode", mode, {"y"}, "default not allowed");
    if (variant == 2) v.param("nosection", n, "", "bad key");
    if (variant == 3) {
      v.param("a.n", n, "", "twice");
      v.param("a.n", n, "", "twice");
    }
  }
};

TEST(ConfigDescribe, RejectsDeclarationMistakes) {
  for (int variant = 0; variant < 4; ++variant) {
    BrokenRoot root;
    root.variant = variant;
    EXPECT_THROW(describe(root), std::logic_error) << variant;
  }
}

TEST(ConfigHelp, ShowsEveryKeyTypeDefaultUnitAndConstraint) {
  TestRoot root;
  std::ostringstream out;
  print_help(out, describe(root));
  const std::string text = out.str();
  for (const ParamInfo& p : describe(root)) {
    EXPECT_THAT(text, HasSubstr(p.name())) << p.key;
    EXPECT_THAT(text, HasSubstr(p.help)) << p.key;
    if (!p.default_value.empty()) {
      EXPECT_THAT(text, HasSubstr(p.default_value)) << p.key;
    }
  }
  for (const char* s : {"[link]", "[topology]", "[workload]", "[dma]", "1..1e9", "info|dma",
                        "GB/s", "uint64", "\"\""}) {
    EXPECT_THAT(text, HasSubstr(s)) << s;
  }
  // Rows line up: the type column starts at the same offset on every parameter row.
  std::istringstream lines(text);
  std::string line;
  std::size_t type_column = 0;
  while (std::getline(lines, line)) {
    const auto at = line.find(" uint32 ");
    if (at == std::string::npos) continue;
    if (type_column == 0) type_column = at;
    EXPECT_EQ(at, type_column) << line;
  }
  EXPECT_NE(type_column, 0u);
}

TEST(ConfigJson, RecordsEffectiveValuesBySection) {
  TestRoot root = loaded({"dma.bytes=64Mi", "workload.name=dma", "link.enabled=off"});
  const nlohmann::json j = to_json(root);
  EXPECT_EQ(j["dma"]["bytes"], 64ull << 20);
  EXPECT_EQ(j["workload"]["name"], "dma");
  EXPECT_EQ(j["link"]["enabled"], false);
  EXPECT_EQ(j["link"]["latency_ns"], 1000.0);
  EXPECT_EQ(j["topology"]["offset"], -3);
  EXPECT_EQ(j.size(), 4u);
}

TEST(ConfigJson, RoundTripsThroughRawFromJson) {
  TestRoot original = loaded({"dma.rate_gbps=0.1", "topology.skew_ps=-9223372036854775808",
                              "workload.label=a b", "link.enabled=no", "dma.bytes=3Gi"});
  const nlohmann::json recorded = nlohmann::json::parse(to_json(original).dump());
  TestRoot replayed;
  load(replayed, raw_from_json(recorded));
  EXPECT_EQ(to_json(replayed), to_json(original));
  EXPECT_EQ(replayed.dma.rate_gbps, 0.1);
  EXPECT_THROW(raw_from_json(nlohmann::json::parse(R"({"dma": 3})")), ConfigError);
  EXPECT_THROW(raw_from_json(nlohmann::json::parse(R"({"dma": {"bytes": [1]}})")), ConfigError);
}

// parse_cli over a list of arguments (argv[0] is added).
CliOptions cli_of(std::vector<std::string> args) {
  args.insert(args.begin(), "gaudisim");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return parse_cli(static_cast<int>(args.size()), argv.data());
}

TEST(ConfigCli, ParsesRepeatableOptionsInOrder) {
  const CliOptions cli = cli_of({"--config", "a.ini", "--set", "x.y=1", "--config=b.ini",
                                 "--set=x.z=2", "--json", "out.json"});
  EXPECT_EQ(cli.config_files, (std::vector<std::string>{"a.ini", "b.ini"}));
  EXPECT_EQ(cli.sets, (std::vector<std::string>{"x.y=1", "x.z=2"}));
  EXPECT_EQ(cli.json_path, "out.json");
  EXPECT_FALSE(cli.help);
  EXPECT_TRUE(cli_of({"-h"}).help);
  EXPECT_TRUE(cli_of({"--help"}).help);
  EXPECT_TRUE(cli_of({}).config_files.empty());
}

TEST(ConfigCli, BadCommandLinesAreConfigErrors) {
  EXPECT_THAT(config_error_of([] { cli_of({"--bogus"}); }),
              AllOf(StartsWith("command line:"), HasSubstr("--bogus")));
  EXPECT_THAT(config_error_of([] { cli_of({"--config"}); }),
              AllOf(StartsWith("command line:"), HasSubstr("config"), HasSubstr("missing")));
  EXPECT_THAT(config_error_of([] { cli_of({"--conf", "a.ini"}); }), HasSubstr("--conf"));
  EXPECT_THAT(config_error_of([] { cli_of({"a.ini"}); }),
              HasSubstr("unexpected argument 'a.ini'"));
  EXPECT_THAT(config_error_of([] { cli_of({"--json", "a", "--json", "b"}); }),
              HasSubstr("json"));
}

TEST(ConfigCli, BuildRawReportsBadSetAndMissingFile) {
  CliOptions cli;
  cli.sets = {"foo"};
  EXPECT_EQ(config_error_of([&] { build_raw(cli); }), "--set expects key=value, got 'foo'");
  cli.sets.clear();
  cli.config_files = {"/nonexistent/x.ini"};
  EXPECT_EQ(config_error_of([&] { build_raw(cli); }),
            "config: cannot open file '/nonexistent/x.ini'");
}

TEST(ConfigCli, UsageNamesEveryOption) {
  std::ostringstream out;
  print_usage(out, "gaudisim");
  for (const char* s : {"--config", "--set", "--json", "--help"}) {
    EXPECT_THAT(out.str(), HasSubstr(s)) << s;
  }
}

}  // namespace
}  // namespace gs::test
