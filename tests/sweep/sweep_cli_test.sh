#!/usr/bin/env bash
# End-to-end tests of gaudisim's sweep mode (docs/sweeps.md): one subtest per CTest test.
#   sweep_cli_test.sh GAUDISIM SOURCE_DIR SUBTEST
set -uo pipefail
G=$1; SRC=$2; T=$3
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; cd "$W"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
fail() { echo "FAIL: $*"; exit 1; }
# The info workload is the cheapest run there is: sweeps of it take a fraction of a second.
INFO=(--set workload.name=info --set cpu.boot_us=100)

case "$T" in
grid_csv)
  "$G" "${INFO[@]}" --sweep topology.cards=1,2 --sweep pcie.lanes=8,16 -j 2 --csv out.csv \
    --json out.json 2> progress.txt || fail "sweep exit $?"
  head -1 out.csv | grep -q '^point,topology.cards,pcie.lanes,point_status,point_error,' ||
    fail "columns: $(head -1 out.csv)"
  # 4 points; the info workload has one row per card: 1+1+2+2 rows.
  [ "$(tail -n +2 out.csv | wc -l)" -eq 6 ] || fail "rows: $(cat out.csv)"
  [ "$(grep -c ',exit 0,' out.csv)" -eq 6 ] || fail "statuses: $(cat out.csv)"
  grep -q '^3,2,16,exit 0,' out.csv || fail "last point: $(cat out.csv)"
  grep -q 'sweep: 4/4 points done, .* ETA' progress.txt || fail "progress: $(cat progress.txt)"
  python3 -c "import json,sys; d=json.load(open('out.json')); assert len(d['points'])==4 and d['points'][3]['params']=={'topology.cards':'2','pcie.lanes':'16'}, d" ||
    fail "json"
  ;;
failed_point)
  # A time guard far too short makes point 0 fail (exit 1); point 1 must still run.
  "$G" --set workload.name=dma --set topology.cards=1 --set dma.bytes=64Ki --set cpu.boot_us=100 --set driver.boot_poll_us=100 \
    --sweep sim.max_time_ms=0.001,100 --csv out.csv > report.txt 2>&1
  [ $? -eq 1 ] || fail "a failed point must make the sweep exit 1"
  grep -q '^0,0.001,exit 1,gaudisim: stopped at the time guard' out.csv || fail "$(cat out.csv)"
  grep -q '^1,100,exit 0,' out.csv || fail "the other point did not finish: $(cat out.csv)"
  grep -q 'point 0 (sim.max_time_ms=0.001) exit 1' report.txt || fail "$(cat report.txt)"
  ;;
resume)
  "$G" "${INFO[@]}" --sweep topology.cards=1,2,3 --csv out.csv 2>/dev/null || fail "first run"
  cp out.csv first.csv
  # As if killed while point 1 ran: its status file never got written.
  rm out.csv.d/points/0001.status out.csv.d/points/0001.json
  touch -d '2000-01-01' out.csv.d/points/0000.json
  "$G" "${INFO[@]}" --sweep topology.cards=1,2,3 --csv out.csv 2> progress.txt || fail "resume"
  grep -q 'resuming .*: 2 of 3 points already finished' progress.txt || fail "$(cat progress.txt)"
  grep -q 'sweep: 1/1 points done' progress.txt || fail "$(cat progress.txt)"
  [ "$(stat -c %Y out.csv.d/points/0000.json)" -lt 1000000000 ] || fail "point 0 was run again"
  cmp -s first.csv out.csv || fail "resumed CSV differs: $(diff first.csv out.csv)"
  # Another sweep into the same directory is refused before anything runs.
  "$G" "${INFO[@]}" --sweep topology.cards=4 --csv out.csv 2> err.txt
  [ $? -eq 2 ] && grep -q 'holds another sweep' err.txt || fail "$(cat err.txt)"
  ;;
bad_point)
  # Every point is validated before any runs: exit 2, naming the point and the key.
  "$G" "${INFO[@]}" --sweep topology.cards=1,0 --csv out.csv 2> err.txt
  [ $? -eq 2 ] || fail "exit code"
  grep -q "sweep point 1 (topology.cards=0): config: key 'topology.cards' = 0: out of range" err.txt ||
    fail "$(cat err.txt)"
  [ ! -e out.csv.d/points/0000.status ] || fail "a point ran"
  "$G" --csv x.csv 2> err.txt; [ $? -eq 2 ] && grep -q 'need --sweep' err.txt || fail "$(cat err.txt)"
  "$G" "${INFO[@]}" --sweep topology.cards=1 --csv /nonexistent/x.csv 2> err.txt
  [ $? -eq 2 ] && grep -q "cannot write '/nonexistent/x.csv'" err.txt || fail "$(cat err.txt)"
  ;;
slurm)
  "$G" "${INFO[@]}" --sweep topology.cards=1,2 --emit-slurm job > emit.txt || fail "emit"
  for f in sweep.sbatch merge.sbatch submit.sh; do bash -n "job/$f" || fail "syntax of $f"; done
  grep -q '^#SBATCH --array=0-1$' job/sweep.sbatch || fail "array range"
  # Run the array tasks and the merge step here, as Slurm would on the nodes.
  for i in 0 1; do SLURM_ARRAY_TASK_ID=$i GAUDISIM="$G" bash job/sweep.sbatch || fail "task $i"; done
  GAUDISIM="$G" bash job/merge.sbatch 2>/dev/null || fail "merge"
  "$G" "${INFO[@]}" --sweep topology.cards=1,2 --csv direct.csv 2>/dev/null || fail "direct"
  cmp -s direct.csv job/results.csv || fail "merged CSV differs: $(diff direct.csv job/results.csv)"
  ;;
plot)
  "$G" "${INFO[@]}" --sweep topology.cards=1..4+1 --csv out.csv 2>/dev/null || fail "sweep"
  python3 "$SRC/tools/plot_sweep.py" out.csv --x topology.cards --y run.sim_time_us \
    --out chart.png || fail "plot"
  [ "$(head -c 8 chart.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "not a PNG"
  python3 "$SRC/tools/plot_sweep.py" out.csv --x nosuch --y run.sim_time_us --out c.png 2> err.txt
  [ $? -eq 2 ] && grep -q "no column 'nosuch'" err.txt || fail "$(cat err.txt)"
  # --where keeps the matching rows only: one point left, so one line of one point.
  python3 "$SRC/tools/plot_sweep.py" out.csv --x topology.cards --y run.sim_time_us --where topology.cards=3 \
    --out one.svg > msg.txt || fail "plot --where"
  grep -q "1 line" msg.txt && [ "$(grep -c '<path' one.svg)" -ge 1 ] || fail "--where: $(cat msg.txt)"
  python3 "$SRC/tools/plot_sweep.py" out.csv --x topology.cards --y run.sim_time_us --where topology.cards \
    --out c.png 2> err.txt
  [ $? -eq 2 ] && grep -q "COL=VALUE" err.txt || fail "bad --where: $(cat err.txt)"
  ;;
json_stdout)
  # --json - : standard output is the JSON record alone, the table goes to standard error.
  "$G" "${INFO[@]}" --set topology.cards=1 --json - > rec.json 2> table.txt || fail "run"
  python3 -c "import json; d=json.load(open('rec.json')); assert d['workload']=='info'" ||
    fail "stdout is not the JSON record: $(head -3 rec.json)"
  grep -q 'simulated' table.txt || fail "table: $(cat table.txt)"
  "$G" "${INFO[@]}" --json /nonexistent/r.json > out.txt 2> err.txt
  [ $? -eq 2 ] && grep -q "cannot write '/nonexistent/r.json'" err.txt || fail "$(cat err.txt)"
  grep -q simulated out.txt && fail "simulated before checking the output path"
  ;;
interrupt)
  # SIGINT stops a run between two slices of simulated time: exit 130, and the JSON of what
  # finished, marked partial. The 8-card all-links RDMA run of 64 MiB per link takes many
  # seconds of wall time (the config's 8 MiB finish in under one on a quiet machine).
  timeout --preserve-status -s INT 1 "$G" --config "$SRC/configs/rdma-box.ini" --set rdma.bytes=64Mi --json rec.json > out.txt 2>&1
  rc=$?
  [ $rc -eq 130 ] || fail "exit code $rc: $(tail -3 out.txt)"
  grep -q 'interrupted at simulated' out.txt || fail "$(tail -3 out.txt)"
  python3 -c "import json; d=json.load(open('rec.json')); assert d['partial'] and not d['finished'], d" ||
    fail "JSON not marked partial"
  # A sweep stopped the same way keeps its finished points and reruns the others on resume:
  # point 0 (info) is quick, point 1 (all links busy) is stopped while it runs.
  SW=(--config "$SRC/configs/rdma-box.ini" --set rdma.bytes=32Mi --sweep workload.name=info,rdma-bw -j 1 --csv s.csv)
  "$G" "${SW[@]}" > sweep1.txt 2>&1 &
  pid=$!
  for _ in $(seq 600); do [ -e s.csv.d/points/0000.status ] && break; sleep 0.1; done
  sleep 0.3
  kill -INT $pid; wait $pid
  [ $? -eq 130 ] || fail "sweep exit code: $(tail -3 sweep1.txt)"
  grep -q 'point 1 (workload.name=rdma-bw) interrupted; it runs again' sweep1.txt || fail "$(cat sweep1.txt)"
  [ ! -e s.csv.d/points/0001.status ] || fail "the interrupted point was recorded as finished"
  "$G" "${SW[@]}" > sweep2.txt 2>&1 || fail "resume: $(tail -3 sweep2.txt)"
  grep -q 'sweep: 1/1 points done' sweep2.txt || fail "$(cat sweep2.txt)"
  [ "$(cut -d, -f1,3 s.csv | sort -u | grep -c ',exit 0$')" -eq 2 ] || fail "$(cat s.csv)"
  ;;
*) fail "unknown subtest $T" ;;
esac
echo "PASS $T"
