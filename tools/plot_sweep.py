#!/usr/bin/env python3
"""Turns a gaudisim sweep CSV into a chart (PNG or SVG) with gnuplot.

  tools/plot_sweep.py results.csv --x bytes --y busbw_gbyte_s --series nic.speed_gbps \
      --out busbw.png [--logx] [--logy] [--title TEXT]

One line per value of --series (or one line when omitted); rows whose point failed or
whose x/y cells are empty are left out. Needs gnuplot (Debian: gnuplot-nox).
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile


def fail(message):
    print("plot_sweep: " + message, file=sys.stderr)
    sys.exit(2)


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("--x", required=True, help="column for the x axis")
    ap.add_argument("--y", required=True, help="column for the y axis")
    ap.add_argument("--series", help="column whose values become separate lines")
    ap.add_argument("--out", required=True, help="chart file, .png or .svg")
    ap.add_argument("--logx", action="store_true")
    ap.add_argument("--logy", action="store_true")
    ap.add_argument("--title", default="")
    ap.add_argument("--where", action="append", default=[], metavar="COL=VALUE",
                    help="keep only rows where COL equals VALUE (repeatable), e.g. --where bytes=16777216")
    a = ap.parse_args()

    ext = os.path.splitext(a.out)[1].lower()
    if ext not in (".png", ".svg"):
        fail("--out must end in .png or .svg, got '%s'" % a.out)
    if not shutil.which("gnuplot"):
        fail("gnuplot is not installed (Debian package gnuplot-nox)")
    try:
        with open(a.csv, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        fail("cannot read '%s': %s" % (a.csv, e.strerror))
    columns = rows[0].keys() if rows else []
    where = []
    for w in a.where:
        col, eq, value = w.partition("=")
        if not eq:
            fail("--where takes COL=VALUE, got '%s'" % w)
        where.append((col, value))
    for col in list(filter(None, (a.x, a.y, a.series))) + [c for c, _ in where]:
        if col not in columns:
            fail("no column '%s' in %s (columns: %s)" % (col, a.csv, ", ".join(columns)))

    series = {}  # value -> [(x, y)], in first-seen order
    for row in rows:
        if row.get("point_status", "exit 0") != "exit 0":
            continue
        if any(row[col] != value for col, value in where):
            continue
        x, y = number(row[a.x]), number(row[a.y])
        if x is None or y is None:
            continue
        key = row[a.series] if a.series else a.y
        series.setdefault(key, []).append((x, y))
    if not series:
        fail("no numeric (%s, %s) pairs among the finished points" % (a.x, a.y))

    with tempfile.TemporaryDirectory() as tmp:
        plots = []
        for i, (key, points) in enumerate(series.items()):
            data = os.path.join(tmp, "s%d.dat" % i)
            with open(data, "w") as f:
                for x, y in sorted(points):
                    f.write("%r %r\n" % (x, y))
            label = ("%s=%s" % (a.series, key)) if a.series else a.y
            plots.append("'%s' using 1:2 with linespoints title '%s'" % (data, label.replace("'", "")))
        terminal = "pngcairo size 900,560" if ext == ".png" else "svg size 900,560"
        script = ["set terminal " + terminal, "set output '%s'" % a.out.replace("'", ""),
                  "set xlabel '%s'" % a.x, "set ylabel '%s'" % a.y, "set grid",
                  "set key outside right top", "set termoption noenhanced", "set title '%s'" % a.title.replace("'", "")]
        if a.logx:
            script.append("set logscale x 2")
            script.append("set format x '%.0b%B'")  # 64ki, 1Mi, ...: binary sizes
        if a.logy:
            script.append("set logscale y")
        script.append("plot " + ", ".join(plots))
        result = subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True,
                                capture_output=True)
        if result.returncode != 0:
            fail("gnuplot failed: " + result.stderr.strip())
    print("plot_sweep: %d line(s) -> %s" % (len(series), a.out))


if __name__ == "__main__":
    main()
