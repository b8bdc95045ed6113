#!/usr/bin/env bash
# No card ceiling: 1024 cards (128 HLS-1 boxes on the leaf/spine network) build, boot and
# are probed by their drivers in one process (the kernel's 65,530-mapping limit once
# stopped this at 240 cards), with bounded memory per card.
#   scale_test.sh GAUDISIM SOURCE_DIR
set -uo pipefail
G=$1
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; cd "$W"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
fail() { echo "FAIL: $*"; exit 1; }
# Peak RSS of the child, in KB (python3's getrusage: no extra package needed).
kb=$(python3 - "$G" <<'PY'
import resource, subprocess, sys
with open("out.txt", "w") as out, open("err.txt", "w") as err:
    rc = subprocess.run([sys.argv[1], "--set", "workload.name=info", "--set", "topology.kind=boxes",
                         "--set", "topology.hosts=128", "--set", "topology.cards=8",
                         "--set", "sim.payload=timing"], stdout=out, stderr=err).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if rc == 0 else -1)
PY
)
[ "$kb" -gt 0 ] || fail "run: $(tail -3 err.txt) $(tail -3 out.txt)"
grep -Eq "(^|: )1024 of 1024 cards up" out.txt || fail "$(tail -3 out.txt)"
# An idle card costs about 2 MB (docs/performance.md); 6 MB per card would mean a regression.
[ "$kb" -lt $((1024 * 6 * 1024)) ] || fail "peak RSS $kb KB for 1024 cards"
echo "PASS scale ($kb KB peak RSS)"
