#!/usr/bin/env python3
"""Draw a window of a gaudisim trace (sim.trace, docs/trace.md) as a PNG or SVG swim-lane
chart with gnuplot, and print how much the NIC, the reductions (TPC) and the DMA engines
overlap in it.

  tools/plot_trace.py run.trace.json --process card0 [--from-us A --to-us B] --out card0.png

Without --from-us/--to-us the window is the NIC's last busy period (activity with no gap
longer than 20 us): in a collective run, the last collective."""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def load(path, process):
    t = json.load(open(path))
    ev = t["traceEvents"]
    procs = {e["pid"]: e["args"]["name"] for e in ev if e.get("name") == "process_name"}
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev if e.get("name") == "thread_name"}
    spans = {}
    for e in ev:
        if e["ph"] != "X" or procs.get(e["pid"]) != process:
            continue
        track = threads[(e["pid"], e["tid"])]
        spans.setdefault(track, []).append((e["ts"], e["ts"] + e["dur"], e["name"]))
    if not spans:
        sys.exit(f"plot_trace: no spans of process '{process}' in {path} (processes: {sorted(set(procs.values()))})")
    return spans


def kind(track, name):
    if track.startswith("nic") and name == "sending":
        return "NIC sending"
    if track.startswith("tpc") and name == "kernel":
        return "TPC kernel"
    if track.startswith("dma") and name == "LIN_DMA":
        return "DMA"
    return None


def union(intervals, lo, hi):
    out = []
    for a, b in sorted((max(a, lo), min(b, hi)) for a, b in intervals if b > lo and a < hi):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def busy(iv):
    return sum(b - a for a, b in iv)


def both(x, y):
    i = j = 0
    total = 0.0
    while i < len(x) and j < len(y):
        a, b = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        total += max(0.0, b - a)
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trace")
    ap.add_argument("--process", default="card0")
    ap.add_argument("--from-us", type=float)
    ap.add_argument("--to-us", type=float)
    ap.add_argument("--out", required=True, help="output .png or .svg")
    a = ap.parse_args()
    spans = load(a.trace, a.process)
    nic = [(s, e) for tr, ss in spans.items() for s, e, n in ss if kind(tr, n) == "NIC sending"]
    if a.from_us is None or a.to_us is None:
        if not nic:
            sys.exit("plot_trace: no NIC activity; give --from-us and --to-us")
        periods = []
        for s, e in union(nic, 0, float("inf")):
            if periods and s - periods[-1][1] < 20:
                periods[-1][1] = e
            else:
                periods.append([s, e])
        a.from_us, a.to_us = periods[-1]
    lo, hi = a.from_us, a.to_us
    kinds = {}
    for tr, ss in spans.items():
        for s, e, n in ss:
            k = kind(tr, n)
            if k:
                kinds.setdefault(k, []).append((s, e))
    u = {k: union(v, lo, hi) for k, v in kinds.items()}
    width = hi - lo
    print(f"window {lo:.3f} .. {hi:.3f} us ({width:.3f} us) of {a.process}")
    for k in sorted(u):
        print(f"  {k:12s} busy {100 * busy(u[k]) / width:5.1f}% of the window")
    names = sorted(u)
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            print(f"  {names[i]} and {names[j]} at once: {100 * both(u[names[i]], u[names[j]]) / width:5.1f}%")
    # Tracks with something in the window, grouped by kind of engine.
    tracks = sorted((tr for tr, ss in spans.items() if any(e > lo and s < hi for s, e, _ in ss)),
                    key=lambda t: (t.split("_")[0].rstrip("0123456789"), t))
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "spans.dat")
        with open(data, "w") as f:
            for y, tr in enumerate(tracks):
                for s, e, n in spans[tr]:
                    if e > lo and s < hi:
                        f.write(f"{y} {max(s, lo) - lo:.6f} {min(e, hi) - lo:.6f} {sorted(u).index(kind(tr, n)) + 1 if kind(tr, n) else 0}\n")
        term = "svg size 1100,{}".format(80 + 18 * len(tracks)) if a.out.endswith(".svg") else \
            "pngcairo size 1100,{}".format(80 + 18 * len(tracks))
        ytics = ", ".join(f'"{tr}" {y}' for y, tr in enumerate(tracks))
        script = f"""set terminal {term}
set output "{a.out}"
set title "{a.process}: {lo:.1f} .. {hi:.1f} us (simulated)" noenhanced
set xlabel "us from {lo:.1f}"
set ytics ({ytics}) noenhanced font ",8"
set yrange [-1:{len(tracks)}]
set xrange [0:{width}]
set grid xtics
set palette maxcolors 4
set palette defined (0 "#999999", 1 "#1f77b4", 2 "#2ca02c", 3 "#d62728")
set cbrange [0:3]
unset colorbox
set key off
plot "{data}" using (($2+$3)/2):1:(($3-$2)/2):(0.35):4 with boxxyerror fs solid 0.9 noborder lc palette
"""
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"wrote {a.out} ({len(tracks)} tracks; colours: " +
          ", ".join(f"{k} = {c}" for k, c in zip(sorted(u), ["blue", "green", "red"])) + ", other = grey)")


if __name__ == "__main__":
    main()
