#include "preload/fake_fs.hpp"

#include "preload/fork_channel.hpp"

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "driver/core/device_files.hpp"
#include "driver/core/hl_driver.hpp"
#include "preload/simulator.hpp"

namespace gsp {

namespace {

const char* const kMirroredRoots[] = {"/dev/accel", "/sys/class/accel", "/sys/class/habanalabs",
                                      "/sys/kernel/debug/habanalabs", "/sys/kernel/debug/accel"};
constexpr char kDevChar[] = "/sys/dev/char/";

// "/sys/dev/char/<major>:<minor>[/...]" of one of our nodes' majors: the node's class
// directory in the mirror (a symlink there, as in sysfs). *rest gets what follows it.
bool dev_char_node(const std::string& p, unsigned* major, unsigned* minor, std::string* rest) {
  if (p.compare(0, sizeof kDevChar - 1, kDevChar) != 0) return false;
  unsigned ma = 0, mi = 0;
  int used = 0;
  if (std::sscanf(p.c_str() + sizeof kDevChar - 1, "%u:%u%n", &ma, &mi, &used) != 2) return false;
  if (ma != hl::kAccelMajor && ma != hl::kAccelControlMajor && ma != hl::kHabanalabsMajor) return false;
  *major = ma;
  *minor = mi;
  *rest = p.substr(sizeof kDevChar - 1 + size_t(used));
  return rest->empty() || (*rest)[0] == '/';
}

// The class-directory path a /sys/dev/char path stands for ("" if it is not one of ours).
std::string class_path_of(const std::string& p, unsigned cards) {
  unsigned ma, mi;
  std::string rest;
  if (!dev_char_node(p, &ma, &mi, &rest)) return "";
  for (unsigned c = 0; c < cards; ++c)
    for (int control = 0; control < 2; ++control)
      for (int accel = 0; accel < 2; ++accel) {
        hl::NodeNumber nn = hl::node_number(c, control, accel);
        if (nn.major != ma || nn.minor != mi) continue;
        std::string name = std::string(accel ? "accel" : "hl") + (control ? "_controlD" : "") + std::to_string(c);
        return std::string(accel ? "/sys/class/accel/" : "/sys/class/habanalabs/") + name + rest;
      }
  return "";
}

std::mutex g_mirror_mutex;
std::string g_root;  // empty until built; "-" if building failed
pid_t g_root_owner = 0;  // a forked child must not remove its parent's tree

// "//sys/class//accel/" -> "/sys/class/accel"; relative paths stay empty (not ours).
std::string normalize(const char* path) {
  std::string out;
  if (!path || path[0] != '/') return out;
  for (const char* p = path; *p; ++p)
    if (!(*p == '/' && (out.empty() ? false : out.back() == '/'))) out += *p;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool under(const std::string& p, const std::string& root) {
  return p.compare(0, root.size(), root) == 0 && (p.size() == root.size() || p[root.size()] == '/');
}

// "<prefix><N>" -> N
bool numbered(const std::string& s, const char* prefix, unsigned* n) {
  size_t k = std::strlen(prefix);
  if (s.compare(0, k, prefix) != 0 || s.size() == k || s.size() > k + 4) return false;
  unsigned v = 0;
  for (size_t i = k; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + unsigned(s[i] - '0');
  }
  *n = v;
  return true;
}

// A node name of either scheme: which card, control or compute, accel or older name.
bool node_name(const std::string& s, unsigned* card, bool* control, bool* accel) {
  if (numbered(s, "accel_controlD", card)) return *control = true, *accel = true;
  if (numbered(s, "accel", card)) return *control = false, *accel = true, true;
  if (numbered(s, "hl_controlD", card)) return *control = true, *accel = false, true;
  if (numbered(s, "hl", card)) return *control = false, *accel = false, true;
  return false;
}

std::vector<std::string> split(const std::string& p) {
  std::vector<std::string> parts;
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    if (j > i) parts.push_back(p.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

// Writes a file atomically (readers with the old file open keep the old value).
bool put_file(const std::string& path, const std::string& text, mode_t mode) {
  std::string tmp = path + ".new" + std::to_string(gettid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
  ::fchmod(fd, mode);
  ::close(fd);
  return ok && ::rename(tmp.c_str(), path.c_str()) == 0;
}

bool make_dirs(const std::string& path) {
  for (size_t i = 1; i <= path.size(); ++i)
    if (i == path.size() || path[i] == '/') {
      std::string d = path.substr(0, i);
      if (::mkdir(d.c_str(), 0755) != 0 && errno != EEXIST) return false;
    }
  return true;
}

// Builds the whole tree once, with the values of now.
bool build_mirror(Simulator& sim) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/gaudisim-preload-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) return false;
  std::string root = buf.data();
  struct Card {
    std::vector<std::pair<std::string, std::string>> attrs;  // sysfs
    std::vector<std::pair<std::string, std::string>> debug;
  };
  std::vector<Card> cards(sim.cards());
  bool ok = sim.call([&] {
    for (unsigned c = 0; c < cards.size(); ++c) {
      hl::HlDevice& d = *sim.driver().device(c);
      for (const auto& a : hl::sysfs_attributes()) {
        std::string v;
        if (hl::sysfs_read(d, a, &v)) cards[c].attrs.push_back({a, v});
      }
      for (const auto& f : hl::debugfs_files()) {
        std::string v;
        if (hl::debugfs_read(d, f, &v)) cards[c].debug.push_back({f, v});
      }
    }
  });
  if (!ok) return false;
  ok = make_dirs(root + "/dev/accel");
  for (unsigned c = 0; c < cards.size() && ok; ++c) {
    for (int control = 0; control < 2; ++control)
      for (int accel = 0; accel < 2; ++accel) {
        std::string name = std::string(accel ? "accel" : "hl") + (control ? "_controlD" : "") + std::to_string(c);
        std::string dir = root + (accel ? "/sys/class/accel/" : "/sys/class/habanalabs/") + name;
        hl::NodeNumber nn = hl::node_number(c, control, accel);
        ok = ok && make_dirs(dir + "/device") &&
             put_file(dir + "/dev", std::to_string(nn.major) + ":" + std::to_string(nn.minor) + "\n", 0444) &&
             put_file(dir + "/device/vendor", "0x1da3\n", 0444) && put_file(dir + "/device/device", "0x1000\n", 0444);
        for (const auto& a : cards[c].attrs) {
          ok = ok && put_file(dir + "/device/" + a.first, a.second, 0444);
          // 5.x: on the class device; the primary accel node shows them there too (issue 15)
          if (!control) ok = ok && put_file(dir + "/" + a.first, a.second, 0444);
        }
        if (accel) ok = ok && put_file(root + "/dev/accel/" + name, "", 0666);  // listing only: nodes are served apart
        // /sys/dev/char/<major>:<minor> leads to the node's class directory.
        std::string link = root + "/sys/dev/char/" + std::to_string(nn.major) + ":" + std::to_string(nn.minor);
        ok = ok && make_dirs(root + "/sys/dev/char") && ::symlink(dir.c_str(), link.c_str()) == 0;
      }
    for (const std::string& dbg : {root + "/sys/kernel/debug/habanalabs/hl" + std::to_string(c),
                                   root + "/sys/kernel/debug/accel/" + std::to_string(c)}) {
      ok = ok && make_dirs(dbg);
      for (const auto& f : cards[c].debug) ok = ok && put_file(dbg + "/" + f.first, f.second, 0444);
    }
  }
  g_root = root;
  g_root_owner = getpid();
  return ok;
}

}  // namespace

bool claims_path(const char* path) {
  if (!path || path[0] != '/') return false;
  const char* p = path;
  while (p[1] == '/') ++p;
  if (std::strncmp(p, "/dev/", 5) != 0 && std::strncmp(p, "/sys/", 5) != 0) return false;  // the common case
  std::string n = normalize(path);
  if (n.compare(0, 7, "/dev/hl") == 0) return true;
  unsigned ma, mi;
  std::string rest;
  if (dev_char_node(n, &ma, &mi, &rest)) return true;
  for (const char* r : kMirroredRoots)
    if (under(n, r)) return true;
  return false;
}

PathInfo resolve_path(const char* path) {
  PathInfo info;
  if (!claims_path(path)) return info;
  std::string p = normalize(path);
  // A forked child sees its ancestor's cards (its calls are served there, fork_channel.hpp).
  Simulator* sim = fork_child_mode() ? nullptr : Simulator::get();
  if (!sim && !fork_child_mode()) return info;
  const unsigned cards = sim ? sim->cards() : fork_child_cards();
  std::vector<std::string> parts = split(p);
  unsigned card;
  bool control, accel;
  // Device nodes: /dev/hl<N>, /dev/hl_controlD<N>, /dev/accel/accel<N>, /dev/accel/accel_controlD<N>.
  bool dev_hl = parts.size() == 2 && parts[0] == "dev" && node_name(parts[1], &card, &control, &accel) && !accel;
  bool dev_accel = parts.size() == 3 && parts[0] == "dev" && parts[1] == "accel" && node_name(parts[2], &card, &control, &accel) && accel;
  if ((dev_hl || dev_accel) && card < cards) {
    info.kind = PathInfo::device_node;
    info.card = card;
    info.control = control;
    info.accel_name = accel;
    return info;
  }
  bool mirrored = false;
  for (const char* r : kMirroredRoots) mirrored = mirrored || under(p, r);
  std::string as_class = class_path_of(p, cards);  // /sys/dev/char/<M>:<m>/...
  if (!mirrored && as_class.empty()) return info;
  {
    std::lock_guard<std::mutex> g(g_mirror_mutex);
    if (g_root.empty() && (!sim || !build_mirror(*sim))) {
      std::fprintf(stderr, "gaudisim preload: cannot build the sysfs/debugfs mirror under $TMPDIR\n");
      g_root = "-";
    }
    if (g_root == "-") return info;
    info.mirror = g_root + p;
  }
  info.kind = PathInfo::mirrored;
  if (!as_class.empty()) parts = split(as_class);  // the mirror's symlink leads there
  // Which card a live attribute belongs to: the node directory, or the debugfs directory.
  bool debug = parts.size() == 6 && parts[1] == "kernel" && parts[2] == "debug";
  if (debug && (parts[3] == "habanalabs" ? numbered(parts[4], "hl", &card) : numbered("n" + parts[4], "n", &card)) &&
      card < cards) {
    info.content = PathInfo::debugfs_file;
    info.card = card;
    info.attr = parts[5];
  } else if (parts.size() >= 5 && parts[1] == "class" && node_name(parts[3], &card, &control, &accel) &&
             card < cards) {
    for (const auto& a : hl::sysfs_attributes())
      if (parts.back() == a) info.content = PathInfo::sysfs_attr;
    info.card = card;
    info.attr = parts.back();
  }
  return info;
}

bool refresh_file(const PathInfo& p) {
  if (p.kind != PathInfo::mirrored || p.content == PathInfo::fixed) return true;
  Simulator* sim = Simulator::running();
  if (!sim) return false;
  struct stat st;
  if (::stat(p.mirror.c_str(), &st) != 0) return true;  // not a file of ours: let open fail
  std::string text;
  bool found = false;
  sim->call([&] {
    hl::HlDevice* d = sim->driver().device(p.card);
    if (!d) return;
    found = p.content == PathInfo::sysfs_attr ? hl::sysfs_read(*d, p.attr, &text) : hl::debugfs_read(*d, p.attr, &text);
  });
  return !found || put_file(p.mirror, text, 0444);
}

void remove_mirror() {
  std::lock_guard<std::mutex> g(g_mirror_mutex);
  if (g_root.empty() || g_root == "-" || g_root_owner != getpid()) return;
  nftw(g_root.c_str(), [](const char* f, const struct stat*, int, FTW*) { return ::remove(f); }, 16, FTW_DEPTH | FTW_PHYS);
  g_root = "-";
}

}  // namespace gsp
