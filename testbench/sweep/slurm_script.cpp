#include "testbench/sweep/slurm_script.hpp"

#include <sys/stat.h>

#include <fstream>

#include "testbench/config/config_error.hpp"

namespace gs {
namespace {

void write_script(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
  if (!f) throw ConfigError("--emit-slurm: cannot write '" + path + "'");
  f.close();
  chmod(path.c_str(), 0755);
}

// The bash lines every task runs after choosing its arguments: run the point unless it is
// finished, then record its status exactly as the local runner does.
const char* kTaskBody = R"SH(n=$(printf '%04d' "$i")
[ -f "$DIR/points/$n.status" ] && exit 0  # finished by an earlier run: resume
"$GAUDISIM" "${args[@]}" --json "$DIR/points/$n.json.part" > "$DIR/points/$n.log" 2>&1
rc=$?
[ -f "$DIR/points/$n.json.part" ] && mv "$DIR/points/$n.json.part" "$DIR/points/$n.json"
if [ "$rc" -gt 128 ]; then echo "signal $((rc - 128))"; else echo "exit $rc"; fi > "$DIR/points/$n.status.tmp"
mv "$DIR/points/$n.status.tmp" "$DIR/points/$n.status"
exit "$rc"
)SH";

}  // namespace

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void write_slurm_scripts(const SweepPlan& plan, const std::string& program) {
  const std::string dir = shell_quote(plan.dir);
  const std::string gaudisim = "GAUDISIM=\"${GAUDISIM:-" + program + "}\"\n";
  std::string array = "#!/bin/bash\n"
                      "# gaudisim sweep: one Slurm array task per point (" +
                      std::to_string(plan.points.size()) + " points); submit with submit.sh\n"
                      "#SBATCH --job-name=gaudisim-sweep\n"
                      "#SBATCH --array=0-" + std::to_string(plan.points.size() - 1) + "\n"
                      "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"
                      "#SBATCH --output=" + plan.dir + "/points/slurm-%a.out\n"
                      "set -u\n" + gaudisim + "DIR=" + dir + "\n"
                      "i=\"${SLURM_ARRAY_TASK_ID:?run as a Slurm array task}\"\n"
                      "case \"$i\" in\n";
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    std::vector<std::string> args = point_args(plan, p);
    args.resize(args.size() - 2);  // the task adds its own --json
    array += "  " + std::to_string(p) + ") args=(";
    for (std::size_t a = 0; a < args.size(); ++a) array += (a ? " " : "") + shell_quote(args[a]);
    array += ") ;;\n";
  }
  array += "  *) echo \"gaudisim sweep: no point $i\" >&2; exit 2 ;;\nesac\n";
  array += kTaskBody;
  write_script(plan.dir + "/sweep.sbatch", array);

  write_script(plan.dir + "/merge.sbatch",
               "#!/bin/bash\n# gaudisim sweep: merge every point into results.csv and results.json\n"
               "#SBATCH --job-name=gaudisim-sweep-merge\n#SBATCH --ntasks=1\n"
               "#SBATCH --output=" + plan.dir + "/merge.out\n"
               "set -u\n" + gaudisim + "DIR=" + dir + "\n"
               "exec \"$GAUDISIM\" --merge-sweep \"$DIR\" --csv \"$DIR/results.csv\" "
               "--json \"$DIR/results.json\"\n");
  write_script(plan.dir + "/submit.sh",
               "#!/bin/bash\n# Submits the array job, then the merge once every task has ended.\n"
               "set -euo pipefail\ncd \"$(dirname \"$0\")\"\n"
               "jid=$(sbatch --parsable sweep.sbatch)\n"
               "sbatch --dependency=afterany:\"${jid%%;*}\" merge.sbatch\n");
}

}  // namespace gs
