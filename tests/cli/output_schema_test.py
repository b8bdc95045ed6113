#!/usr/bin/env python3
"""Run records against docs/output.md (the schema's reference): every workload's summary,
results and totals keys are the documented ones; errors name their errno; a record replays
to the same record; the stats' counters add up.
Usage: output_schema_test.py GAUDISIM SOURCE_DIR CASE"""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

gaudisim, src, case = sys.argv[1], sys.argv[2], sys.argv[3]
tmp = tempfile.mkdtemp(prefix="gs_output_")
atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # sys.exit runs it too

# Small, fast runs of every workload (and both traffic models).
RUNS = {
    "info": ["--set", "topology.cards=2", "--set", "workload.name=info"],
    "dma": ["--set", "topology.cards=1", "--set", "workload.name=dma", "--set", "dma.bytes=64Ki"],
    "gemm": ["--set", "topology.cards=1", "--set", "workload.name=gemm", "--set", "gemm.sizes=64,128"],
    "tpc": ["--set", "topology.cards=1", "--set", "workload.name=tpc", "--set", "tpc.kernels=copy,add",
            "--set", "tpc.elements=4096", "--set", "tpc.row=64"],
    "rdma-bw": ["--config", f"{src}/configs/pair.ini", "--set", "workload.name=rdma-bw", "--set", "rdma.bytes=64Ki"],
    "rdma-pingpong": ["--config", f"{src}/configs/pair.ini", "--set", "workload.name=rdma-pingpong",
                      "--set", "rdma.iterations=4"],
    "collective": ["--set", "workload.max_bytes=4Ki"],
    "traffic": ["--config", f"{src}/configs/fattree-permutation.ini", "--set", "traffic.bytes=16Ki"],
    "traffic-flow": ["--config", f"{src}/configs/fattree-permutation.ini", "--set", "traffic.bytes=16Ki",
                     "--set", "fabric.model=flow"],
}
DOC_NAME = {"rdma-pingpong": "rdma-bw", "traffic-flow": "traffic"}
TOP = {"schema_version", "workload", "finished", "partial", "exit_code", "sim_time_us", "config", "summary",
       "results", "totals", "errors", "stats"}


def fail(msg):
    print("FAIL " + case + ": " + msg)
    sys.exit(1)


def documented():
    """{workload: {part: (required keys, optional keys)}} from the '### w: part' tables."""
    spec, cur = {}, None
    for line in open(os.path.join(src, "docs/output.md")):
        m = re.match(r"### (\S+): (results|summary|totals)\s*$", line)
        if m:
            cur = spec.setdefault(m.group(1), {}).setdefault(m.group(2), (set(), set()))
            continue
        if line.startswith("#"):
            cur = None
        if cur is None or not line.startswith("| `"):
            continue
        cells = line.split("|")
        keys = re.findall(r"`([a-z0-9_]+)`", cells[1])
        (cur[1] if "*optional*" in line else cur[0]).update(keys)
    return spec


def run(args, name="run"):
    path = os.path.join(tmp, name + ".json")
    p = subprocess.run([gaudisim] + args + ["--json", path], capture_output=True, text=True, timeout=300)
    if not os.path.exists(path):
        fail(f"no record (exit {p.returncode}): {p.stderr[-2000:]}")
    return p, json.load(open(path)), path


def check_keys(what, got, required, optional):
    missing, extra = required - got, got - required - optional
    if missing or extra:
        fail(f"{what}: missing {sorted(missing)}, undocumented {sorted(extra)}")


if case in RUNS:
    p, rec, _ = run(RUNS[case])
    if p.returncode != 0:
        fail(f"exit {p.returncode}: {p.stdout[-1500:]} {p.stderr[-1500:]}")
    spec = documented()[DOC_NAME.get(case, case)]
    check_keys("top level", set(rec) - {"faults", "trace"}, TOP, set())
    if rec["schema_version"] != 1 or rec["workload"] != case.replace("-flow", ""):
        fail("schema_version/workload: " + json.dumps([rec["schema_version"], rec["workload"]]))
    if not rec["results"]:
        fail("no result rows")
    for i, row in enumerate(rec["results"]):
        check_keys(f"results[{i}]", set(row), *spec["results"])
    check_keys("summary", set(rec["summary"]), *spec["summary"])
    check_keys("totals", set(rec["totals"]), *spec["totals"])
    if rec["errors"]:
        fail("errors in a good run: " + json.dumps(rec["errors"])[:500])
    if "total:" not in p.stdout and "total:" not in p.stderr:
        fail("the printed table has no total line")
    print("PASS " + case)

elif case == "errno":
    # Card 1 never boots: its row fails with the errno's name, and errors[] says so.
    p, rec, _ = run(["--set", "topology.cards=2", "--set", "workload.name=dma", "--set", "dma.bytes=64Ki",
                     "--set", "fault.no_boot_cards=1"])
    if p.returncode != 1:
        fail(f"exit {p.returncode}, expected 1")
    errs = rec["errors"]
    if len(errs) != 1 or errs[0].get("card") != 1 or not errs[0].get("errno_name", "").startswith("E"):
        fail("errors: " + json.dumps(errs))
    if "-" + errs[0]["errno_name"] + ":" not in errs[0]["message"] or errs[0]["message"] not in p.stdout:
        fail("message does not name the errno in the record and the table: " + errs[0]["message"])
    print("PASS errno")

elif case == "replay":
    # A record given back as --config runs the same simulation: the same record, byte for byte.
    _, rec, path = run(RUNS["rdma-bw"] + ["--set", "nic.mtu=1024"], "first")
    p, again, _ = run(["--config", path], "again")
    if p.returncode != 0 or again != rec:
        diff = [k for k in rec if rec.get(k) != again.get(k)]
        fail(f"replayed record differs in {diff} (exit {p.returncode}) {p.stderr[-500:]}")
    if again["config"]["nic"]["mtu"] != 1024:
        fail("the replay lost a --set value")
    print("PASS replay")

elif case == "stats_add_up":
    # A lossy box: frames carried = delivered + lost + cut + in flight on every direction in
    # sum, transmitters sent what links carried, and NIC receive counts match deliveries.
    p, rec, _ = run(["--config", f"{src}/configs/rdma-box.ini", "--set", "rdma.bytes=256Ki",
                     "--set", "fabric.loss_rate=0.001"])
    l, n = rec["stats"]["links"], rec["stats"]["nic"]
    if l["frames"] != l["delivered"] + l["lost"] + l["cut_when_down"] + l["in_flight"]:
        fail("link frames do not add up: " + json.dumps({k: l[k] for k in l if k != "used"}))
    if l["lost"] == 0 or n["retransmissions"] == 0:
        fail("a lossy run lost nothing or retransmitted nothing: " + json.dumps(n)[:300])
    if l["sender_frames"] != l["frames"] + l["refused_when_down"]:
        fail(f"transmitters sent {l['sender_frames']}, links carried {l['frames']} + refused {l['refused_when_down']}")
    if n["rx_frames"] != l["delivered"]:
        fail(f"NICs received {n['rx_frames']} frames, links delivered {l['delivered']}")
    used = sum(d["frames"] for d in l["used"])
    if used != l["frames"]:
        fail(f"per-direction frames {used} != total {l['frames']}")
    busy = rec["stats"]["busiest_engine_fraction"]
    if not 0 < busy.get("dma", 0) <= 1:
        fail("DMA busy fraction: " + json.dumps(busy))
    print("PASS stats_add_up")
else:
    fail("unknown case")
