// Helpers for integration tests: run the info workload on a whole simulated system, and
// run the built gaudisim binary capturing exit code, stdout and stderr.
#pragma once
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "testbench/sim_params.hpp"
#include "testbench/system.hpp"
#include "testbench/workloads/info_workload.hpp"

namespace gs::test {

namespace fs = std::filesystem;

// One run of the info workload. The parameters live here because the models keep
// references to them. A process may build only one of these (one elaboration per process).
struct InfoRun {
  SimParams params;
  std::unique_ptr<System> sys;
  InfoWorkload wl;
  bool finished = false;
  int rc = -1;
  std::string table;
  nlohmann::json record;

  void build() {
    sys = std::make_unique<System>(params, /*echo_log*/ false);
    wl.setup(*sys);
  }
  void run() {
    if (!sys) build();
    finished = sys->run();
    std::ostringstream out;
    rc = wl.report(*sys, out, record);
    table = out.str();
  }
  const std::vector<InfoWorkload::Row>& rows() const { return wl.rows(); }
};

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int n = 0;
    path_ = fs::temp_directory_path() /
            ("gs_integration_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name)) << text;
    return file(name);
  }

 private:
  fs::path path_;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The gaudisim binary of this build tree: the test runs from <build>/tests/.
inline std::string gaudisim_path() {
  fs::path self = fs::read_symlink("/proc/self/exe");
  return (self.parent_path().parent_path() / "gaudisim").string();
}

// configs/default.ini of the source tree (CTest sets GS_SOURCE_DIR), or "" if unknown.
inline std::string default_ini() {
  const char* src = std::getenv("GS_SOURCE_DIR");
#ifdef GS_TEST_SOURCE_DIR
  if (!src) src = GS_TEST_SOURCE_DIR;
#endif
  return src ? std::string(src) + "/configs/default.ini" : std::string();
}

inline std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Exec {
  int code = -1;
  std::string out, err;
};

// Runs gaudisim with `args` (each passed as one argument).
inline Exec run_gaudisim(const std::vector<std::string>& args) {
  TempDir tmp;
  std::string cmd = "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 " + quote(gaudisim_path());
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " >" + quote(tmp.file("out")) + " 2>" + quote(tmp.file("err")) + " </dev/null";
  int status = std::system(cmd.c_str());
  Exec e;
  e.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  e.out = slurp(tmp.file("out"));
  e.err = slurp(tmp.file("err"));
  return e;
}

}  // namespace gs::test
