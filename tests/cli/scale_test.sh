#!/usr/bin/env bash
# No card ceiling: BOXES HLS-1 boxes of 8 cards on the leaf/spine network build, boot and
# are probed by their drivers in one process (the kernel's 65,530-mapping limit once
# stopped this at 240 cards), with bounded memory per card. CTest runs 128 boxes (1024
# cards, about 4 s of CPU and 0.8 GB); docs/performance.md has the figures.
#   scale_test.sh GAUDISIM SOURCE_DIR [BOXES]
set -uo pipefail
G=$1
BOXES=${3:-32}
CARDS=$((BOXES * 8))
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; cd "$W"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
fail() { echo "FAIL: $*"; exit 1; }
# Peak RSS of the child, in KB (python3's getrusage: no extra package needed).
kb=$(python3 - "$G" "$BOXES" <<'PY'
import resource, subprocess, sys
with open("out.txt", "w") as out, open("err.txt", "w") as err:
    rc = subprocess.run([sys.argv[1], "--set", "workload.name=info", "--set", "topology.kind=boxes",
                         "--set", "topology.hosts=" + sys.argv[2], "--set", "topology.cards=8",
                         "--set", "sim.payload=timing"], stdout=out, stderr=err).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if rc == 0 else -1)
PY
)
[ "$kb" -gt 0 ] || fail "run: $(tail -3 err.txt) $(tail -3 out.txt)"
grep -Eq "(^|: )$CARDS of $CARDS cards up" out.txt || fail "$(tail -3 out.txt)"
# An idle card costs about 0.75 MB (docs/performance.md); 1 MB per card would mean a regression.
[ "$kb" -lt $((CARDS * 1024)) ] || fail "peak RSS $kb KB for $CARDS cards"
echo "PASS scale: $CARDS cards up ($kb KB peak RSS)"
