#include "testbench/sweep/sweep_plan.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "testbench/config/config_error.hpp"

namespace gs {
namespace fs = std::filesystem;
namespace {

nlohmann::json manifest_json(const SweepPlan& plan) {
  nlohmann::json axes = nlohmann::json::array();
  for (const SweepAxis& axis : plan.axes) axes.push_back({{"key", axis.key}, {"values", axis.values}});
  return {{"base_args", plan.base_args}, {"axes", axes}, {"points", plan.points.size()}};
}

std::string manifest_path(const std::string& dir) { return dir + "/manifest.json"; }

void write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp);
    f << text;
    if (!f) throw ConfigError("sweep: cannot write '" + tmp + "'");
  }
  fs::rename(tmp, path);
}

}  // namespace

std::string point_path(const SweepPlan& plan, std::size_t index, const std::string& ext) {
  char name[32];
  std::snprintf(name, sizeof name, "%04zu", index);
  return plan.dir + "/points/" + name + ext;
}

std::vector<std::string> point_args(const SweepPlan& plan, std::size_t index) {
  std::vector<std::string> args = plan.base_args;
  for (const auto& [key, value] : plan.points.at(index)) {
    args.push_back("--set");
    args.push_back(key + "=" + value);
  }
  args.push_back("--json");
  args.push_back(point_path(plan, index, ".json.part"));
  return args;
}

void prepare_sweep_dir(const SweepPlan& plan) {
  std::error_code ec;
  fs::create_directories(plan.dir + "/points", ec);
  if (ec) throw ConfigError("sweep: cannot create '" + plan.dir + "/points': " + ec.message());
  const nlohmann::json wanted = manifest_json(plan);
  std::ifstream existing(manifest_path(plan.dir));
  if (existing) {
    nlohmann::json found = nlohmann::json::parse(existing, nullptr, false);
    if (found != wanted) {
      throw ConfigError("sweep: '" + plan.dir + "' holds another sweep (manifest.json differs); "
                        "remove it or choose another --sweep-dir");
    }
    return;  // same sweep: resume
  }
  write_atomically(manifest_path(plan.dir), wanted.dump(2) + "\n");
}

SweepPlan read_sweep_dir(const std::string& dir) {
  std::ifstream f(manifest_path(dir));
  if (!f) throw ConfigError("--merge-sweep: no manifest.json in '" + dir + "'");
  const nlohmann::json m = nlohmann::json::parse(f, nullptr, false);
  if (m.is_discarded() || !m.contains("axes") || !m.contains("base_args")) {
    throw ConfigError("--merge-sweep: '" + manifest_path(dir) + "' is not a sweep manifest");
  }
  SweepPlan plan;
  plan.dir = dir;
  plan.base_args = m["base_args"].get<std::vector<std::string>>();
  for (const auto& axis : m["axes"]) {
    plan.axes.push_back({axis["key"].get<std::string>(),
                         axis["values"].get<std::vector<std::string>>()});
  }
  plan.points = expand_grid(plan.axes);
  return plan;
}

void finish_point(const SweepPlan& plan, std::size_t index, const std::string& status) {
  const std::string part = point_path(plan, index, ".json.part");
  std::error_code ec;
  if (fs::exists(part, ec)) fs::rename(part, point_path(plan, index, ".json"), ec);
  write_atomically(point_path(plan, index, ".status"), status + "\n");
}

void abandon_point(const SweepPlan& plan, std::size_t index) {
  std::error_code ec;
  fs::remove(point_path(plan, index, ".json.part"), ec);
}

bool point_finished(const SweepPlan& plan, std::size_t index) {
  std::error_code ec;
  return fs::exists(point_path(plan, index, ".status"), ec);
}

}  // namespace gs
