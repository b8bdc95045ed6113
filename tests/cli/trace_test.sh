#!/usr/bin/env bash
# sim.trace: the timeline of a small RDMA run is valid Chrome trace-event JSON with the
# expected tracks, bounded by sim.trace_max_events, and does not change the results.
#   trace_test.sh GAUDISIM SOURCE_DIR
set -uo pipefail
G=$1; SRC=$2
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; cd "$W"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
fail() { echo "FAIL: $*"; exit 1; }
RUN=(--config "$SRC/configs/pair.ini" --set workload.name=rdma-bw --set rdma.bytes=1Mi)
"$G" "${RUN[@]}" --json plain.json > /dev/null || fail "run without trace"
"$G" "${RUN[@]}" --set sim.trace=t.json --json traced.json > out.txt || fail "traced run"
grep -q '^trace: [0-9]* events' out.txt || fail "$(cat out.txt)"
python3 - <<'PY' || fail "trace content"
import json
t = json.load(open("t.json"))
ev = t["traceEvents"]
procs = {e["pid"]: e["args"]["name"] for e in ev if e["name"] == "process_name"}
threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev if e["name"] == "thread_name"}
spans = [e for e in ev if e["ph"] == "X"]
assert set(procs.values()) >= {"card0", "card1"}, procs
by_track = {}
for s in spans:
    assert s["dur"] >= 0 and s["ts"] >= 0, s
    by_track.setdefault((procs[s["pid"]], threads[(s["pid"], s["tid"])], s["name"]), []).append(s)
names = {(p, th.split(".")[0], n) for p, th, n in by_track}
assert ("card0", "dma0_core", "LIN_DMA") in names, names   # data in through DMA
assert any(p == "card0" and n == "sending" for p, _, n in names), names  # the NIC sends
# 1 MiB at 100 Gb/s: the sender's port is busy for about 86 us, in few merged spans.
tx = [s for (p, th, n), ss in by_track.items() for s in ss if p == "card0" and n == "sending" and th.startswith("nic")]
busy = sum(s["dur"] for s in tx)
assert 80 < busy < 120, busy
# The driver's trace events on the host: each CS from submission to completion, each ioctl
# of each open file on its own track.
host = {(th, n) for p, th, n in by_track if p == "host0"}
assert ("os hl0 CS", "CS") in host and ("os hl1 CS", "CS") in host, host
assert any(th.startswith("os hl0 fd ") and th.endswith(" ioctl") and n == "WAIT_CS" for th, n in host), host
assert any(th.endswith(" ioctl") and n == "MEMORY" for th, n in host), host
cs = [s for (p, th, n), ss in by_track.items() for s in ss if p == "host0" and th == "os hl0 CS"]
assert all(s["dur"] > 0 for s in cs), cs  # a CS takes time on the device
# Queue depth counters: at most 3 samples (first, peak, last) per sim.trace_merge_ns per track.
counters = [e for e in ev if e["ph"] == "C"]
assert any(e["name"] == "nic0.mac queue bytes" for e in counters), "no queue depth counter"
per_track = {}
for c in counters:
    assert c["args"]["value"] >= 0, c
    per_track.setdefault((c["pid"], c["name"]), []).append(c["ts"])  # counters: named by track
for ts in per_track.values():
    ts.sort()
    for i in range(3, len(ts)):
        assert ts[i] - ts[i - 3] >= 0.1 - 1e-9, ts[i - 3:i + 1]  # 100 ns windows
PY
python3 - <<'PY' || fail "the trace changed the results"
import json
a, b = json.load(open("plain.json")), json.load(open("traced.json"))
for d in (a, b):
    d["config"]["sim"].pop("trace"); d.pop("trace", None)
assert a == b
PY
"$G" "${RUN[@]}" --set sim.trace=small.json --set sim.trace_max_events=5 > out.txt || fail "capped run"
python3 -c "import json; t=json.load(open('small.json')); assert sum(e['ph']!='M' for e in t['traceEvents'])==5 and t['otherData']['dropped']>0" ||
  fail "cap not applied"
"$G" "${RUN[@]}" --set sim.trace=/nonexistent/t.json > out.txt 2> err.txt
[ $? -eq 2 ] && grep -q "sim.trace: cannot write" err.txt || fail "bad path: $(cat err.txt)"
echo "PASS trace"
