#!/usr/bin/env bash
# gaudisim leaves the simulated system to the process exit (docs/architecture.md, "Exit"):
# every output file is complete when it exits, and error exits keep their code and message.
#   exit_outputs_test.sh GAUDISIM SOURCE_DIR
set -uo pipefail
G=$1; SRC=$2
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; cd "$W"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
fail() { echo "FAIL: $*"; exit 1; }
"$G" --config "$SRC/configs/fattree-permutation.ini" --set traffic.csv=flows.csv --set sim.trace=t.json \
     --json run.json > out.txt 2> err.txt || fail "run: $(cat err.txt)"
grep -q ' s wall$' out.txt || fail "table not flushed: $(tail -2 out.txt)"
python3 - <<'PY' || fail "output files"
import csv, json
run = json.load(open("run.json"))
assert run["finished"] is True, run.get("finished")
flows = list(csv.reader(open("flows.csv")))
assert len(flows) == 1 + run["summary"]["flows"], (len(flows), run["summary"])
trace = json.load(open("t.json"))
assert len(trace["traceEvents"]) == run["trace"]["events"] + sum(
    1 for e in trace["traceEvents"] if e["ph"] == "M"), (len(trace["traceEvents"]), run["trace"])
PY
# The JSON on standard output is whole too.
"$G" --config "$SRC/configs/pair.ini" --set workload.name=rdma-bw --set rdma.bytes=64Ki --json - \
     > stdout.json 2> /dev/null || fail "--json -"
python3 -c 'import json; json.load(open("stdout.json"))' || fail "--json - is not whole"
# The time guard: exit 1 with its message, and the record marked unfinished.
"$G" --set workload.name=dma --set sim.max_time_ms=0.001 --json guard.json > guard.txt 2>&1
rc=$?
[ $rc -eq 1 ] || fail "time guard: exit $rc"
grep -q "stopped at the time guard" guard.txt || fail "time guard message: $(tail -3 guard.txt)"
python3 -c 'import json; assert json.load(open("guard.json"))["finished"] is False' || fail "guard record"
echo "PASS exit_outputs"
