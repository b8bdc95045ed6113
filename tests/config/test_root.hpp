// A small stand-in for gaudisim's real parameter tree, plus temp-file helpers, shared by
// the config tests. It exercises every field type and both range-declaration forms.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "testbench/config/config.hpp"

namespace gs::test {

struct LinkParams {
  double latency_ns = 1000;
  uint32_t lanes = 16;
  bool enabled = true;
  template <class V>
  void visit(V& v) {
    v.param("link.latency_ns", latency_ns, "ns", "one-way latency", 1, 1e9);  // (min, max) form
    v.param("link.lanes", lanes, "", "lanes per link", Range{1, 32});
    v.param("link.enabled", enabled, "", "whether the link exists");
  }
};

struct TopologyParams {
  uint32_t cards = 1;
  int32_t offset = -3;
  int64_t skew_ps = 0;
  template <class V>
  void visit(V& v) {
    v.param("topology.cards", cards, "", "number of cards", Range{1, 1024});
    v.param("topology.offset", offset, "", "signed test value", Range{-100, 100});
    v.param("topology.skew_ps", skew_ps, "ps", "unbounded signed 64-bit value");
  }
};

struct WorkloadParams {
  std::string name = "info";
  std::string label = "";
  template <class V>
  void visit(V& v) {
    v.choice("workload.name", name, {"info", "dma"}, "workload to run");
    v.param("workload.label", label, "", "free text tag");
  }
};

struct DmaParams {
  uint64_t bytes = 1 << 20;
  double rate_gbps = 25.5;
  template <class V>
  void visit(V& v) {
    v.param("dma.bytes", bytes, "B", "transfer size", Range{1, 1ULL << 40});
    v.param("dma.rate_gbps", rate_gbps, "GB/s", "copy engine bandwidth", Range{0, 1e4});
  }
};

struct TestRoot {
  LinkParams link;
  TopologyParams topology;
  WorkloadParams workload;
  DmaParams dma;
  template <class V>
  void visit(V& v) {
    link.visit(v);
    topology.visit(v);
    workload.visit(v);
    dma.visit(v);
  }
};

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gs_config_XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& content) const {
    const auto file = path_ / name;
    std::ofstream(file) << content;
    return file.string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The ConfigError message thrown by f, or "" if it did not throw.
inline std::string config_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

inline RawConfig raw_of(std::initializer_list<std::string> sets) {
  RawConfig raw;
  for (const std::string& s : sets) raw.apply_set(s);
  return raw;
}

// load() of --set style assignments into a default TestRoot.
inline TestRoot loaded(std::initializer_list<std::string> sets) {
  TestRoot root;
  load(root, raw_of(sets));
  return root;
}

inline std::string load_error(std::initializer_list<std::string> sets) {
  return config_error_of([&] { loaded(sets); });
}

}  // namespace gs::test
