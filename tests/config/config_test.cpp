// Loading: defaults, INI files, --set precedence, and the wording of every error.
#include <gmock/gmock.h>

#include "test_root.hpp"

namespace gs::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ConfigLoad, EmptyInputKeepsDefaults) {
  TestRoot root;
  load(root, RawConfig{});
  EXPECT_EQ(root.link.latency_ns, 1000);
  EXPECT_EQ(root.topology.cards, 1u);
  EXPECT_EQ(root.workload.name, "info");
  EXPECT_EQ(root.dma.bytes, 1u << 20);
}

TEST(ConfigLoad, IniFileSetsValuesWithSectionsAndComments) {
  TempDir dir;
  const std::string file = dir.write("a.ini",
                                     "# whole-line comment\n"
                                     "[topology]\n"
                                     "cards = 8   # trailing comment\n"
                                     "\n"
                                     "[workload]\n"
                                     "name=dma\n"
                                     "label = \"two words\"\n"
                                     "[dma]\n"
                                     "bytes = 64Mi\n");
  RawConfig raw;
  raw.load_file(file);
  EXPECT_EQ(raw.find("topology.cards")->origin, file + ":3");
  TestRoot root;
  load(root, raw);
  EXPECT_EQ(root.topology.cards, 8u);
  EXPECT_EQ(root.workload.name, "dma");
  EXPECT_EQ(root.workload.label, "two words");
  EXPECT_EQ(root.dma.bytes, 64ull << 20);
  EXPECT_EQ(root.link.lanes, 16u);  // untouched keys keep defaults
}

TEST(ConfigLoad, DuplicateKeyInFileLastWins) {
  TempDir dir;
  RawConfig raw;
  raw.load_file(dir.write("d.ini", "[topology]\ncards = 2\ncards = 3\n"));
  EXPECT_EQ(raw.find("topology.cards")->text, "3");
  EXPECT_THAT(raw.find("topology.cards")->origin, HasSubstr("d.ini:3"));
}

TEST(ConfigLoad, LaterFilesThenSetsWin) {
  TempDir dir;
  CliOptions cli;
  cli.config_files = {dir.write("1.ini", "[topology]\ncards = 2\noffset = 5\n"),
                      dir.write("2.ini", "[topology]\ncards = 3\n")};
  cli.sets = {"topology.offset=7", "topology.offset = 9"};
  TestRoot root;
  load(root, build_raw(cli));
  EXPECT_EQ(root.topology.cards, 3u);
  EXPECT_EQ(root.topology.offset, 9);
}

TEST(ConfigLoad, FailedLoadLeavesTargetUntouched) {
  TestRoot root;
  root.topology.cards = 5;
  EXPECT_THROW(load(root, raw_of({"topology.cards=7", "topology.offset=nope"})), ConfigError);
  EXPECT_EQ(root.topology.cards, 5u);
}

TEST(ConfigErrors, MissingFileIsNamed) {
  TempDir dir;
  const std::string missing = dir.path("x.ini");
  EXPECT_EQ(config_error_of([&] { RawConfig().load_file(missing); }),
            "config: cannot open file '" + missing + "'");
}

TEST(ConfigErrors, MalformedIniLineNamesFileAndLine) {
  TempDir dir;
  const std::string file = dir.write("bad.ini", "[pcie]\n\njust words\n");
  const std::string msg = config_error_of([&] { RawConfig().load_file(file); });
  EXPECT_THAT(msg, StartsWith("config: file '" + file + "' line 3:"));
  EXPECT_THAT(msg, HasSubstr("just words"));
}

TEST(ConfigErrors, SetWithoutEqualsSign) {
  EXPECT_EQ(config_error_of([] { RawConfig().apply_set("foo"); }),
            "--set expects key=value, got 'foo'");
  EXPECT_EQ(config_error_of([] { RawConfig().apply_set("=3"); }),
            "--set expects key=value, got '=3'");
}

TEST(ConfigErrors, UnknownKeyListsSectionAndSuggests) {
  EXPECT_EQ(load_error({"link.latency=5"}),
            "config: unknown key 'link.latency' (section 'link' has: latency_ns, lanes, "
            "enabled); did you mean 'link.latency_ns'? (from --set)");
}

TEST(ConfigErrors, UnknownKeyWithoutCloseMatchHasNoSuggestion) {
  const std::string msg = load_error({"link.zzzzzzzz=5"});
  EXPECT_THAT(msg, StartsWith("config: unknown key 'link.zzzzzzzz' (section 'link' has:"));
  EXPECT_THAT(msg, Not(HasSubstr("did you mean")));
}

TEST(ConfigErrors, UnknownSectionIsReported) {
  EXPECT_EQ(load_error({"lnik.lanes=4"}),
            "config: unknown section 'lnik' in key 'lnik.lanes' (sections are: link, topology, "
            "workload, dma); did you mean 'link'? (from --set)");
}

TEST(ConfigErrors, KeyOutsideAnySectionIsReported) {
  TempDir dir;
  const std::string file = dir.write("top.ini", "cards = 4\n[topology]\n");
  RawConfig raw;
  raw.load_file(file);
  TestRoot root;
  const std::string msg = config_error_of([&] { load(root, raw); });
  EXPECT_THAT(msg, StartsWith("config: key 'cards' has no section"));
  EXPECT_THAT(msg, HasSubstr("did you mean 'topology.cards'?"));
  EXPECT_THAT(msg, HasSubstr("(at " + file + ":1)"));
}

TEST(ConfigErrors, NotAnUnsignedInteger) {
  EXPECT_THAT(load_error({"topology.cards=abc"}),
              StartsWith("config: key 'topology.cards' = 'abc': not an unsigned integer"));
  EXPECT_THAT(load_error({"topology.cards=-1"}),
              StartsWith("config: key 'topology.cards' = '-1': not an unsigned integer"));
}

TEST(ConfigErrors, OutOfRangeShowsAllowedRange) {
  EXPECT_EQ(load_error({"topology.cards=0"}),
            "config: key 'topology.cards' = 0: out of range 1..1024 (from --set)");
  EXPECT_THAT(load_error({"topology.offset=-101"}), HasSubstr("out of range -100..100"));
  EXPECT_THAT(load_error({"link.latency_ns=0.5"}), HasSubstr("= 0.5: out of range 1..1e9"));
}

TEST(ConfigErrors, ChoiceListsAllowedValues) {
  EXPECT_EQ(load_error({"workload.name=foo"}),
            "config: key 'workload.name' = 'foo': allowed values are info, dma (from --set)");
  EXPECT_THAT(load_error({"workload.name=dam"}), HasSubstr("did you mean 'dma'?"));
}

TEST(ConfigErrors, MessagesPointAtFileLine) {
  TempDir dir;
  const std::string file = dir.write("e.ini", "[link]\nlanes = 4\nenabled = maybe\n");
  RawConfig raw;
  raw.load_file(file);
  TestRoot root;
  EXPECT_THAT(config_error_of([&] { load(root, raw); }),
              HasSubstr("key 'link.enabled' = 'maybe': not a boolean"));
  EXPECT_THAT(config_error_of([&] { load(root, raw); }), HasSubstr("(at " + file + ":3)"));
}

TEST(ConfigErrors, FirstProblemInFileOrderIsReported) {
  TempDir dir;
  // Declaration order is link, topology, ...; file order puts topology first.
  const std::string file = dir.write("o.ini",
                                     "[topology]\ncards = 0\n[bogus]\nx = 1\n[link]\nlanes = 99\n");
  RawConfig raw;
  raw.load_file(file);
  TestRoot root;
  const std::string first = config_error_of([&] { load(root, raw); });
  EXPECT_THAT(first, StartsWith("config: key 'topology.cards' = 0"));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(config_error_of([&] { load(root, raw); }), first);
}

TEST(ConfigErrors, OverriddenBadValueIsNotReported) {
  TempDir dir;
  CliOptions cli;
  cli.config_files = {dir.write("b.ini", "[topology]\ncards = abc\n")};
  cli.sets = {"topology.cards=4"};
  TestRoot root;
  load(root, build_raw(cli));
  EXPECT_EQ(root.topology.cards, 4u);
}

TEST(ConfigErrors, SetAfterFileIsReportedAfterFileProblems) {
  TempDir dir;
  CliOptions cli;
  cli.config_files = {dir.write("c.ini", "[link]\nlanes = 0\n")};
  cli.sets = {"topology.cards=0"};
  TestRoot root;
  EXPECT_THAT(config_error_of([&] { load(root, build_raw(cli)); }),
              StartsWith("config: key 'link.lanes' = 0"));
}

}  // namespace
}  // namespace gs::test
