#!/usr/bin/env bash
# A rank builds only its share of the world: on 16 boxes and 4 ranks (timing payload, traffic
# permutation), every rank, the reporting rank 0 included, builds 4 hosts, their 32 cards,
# their switches and the cut cables' ends, and uses less memory than the single-process run
# (16 boxes, not 4: with a card at about 0.4 MB, 8 cards weigh less than a process's fixed
# cost, MPI's libraries included, and the comparison would measure that); the
# table, JSON and per-flow CSV (rank 0 reports from every rank's rows) are still those of
# the single-process run. A workload that cannot run on a partial world is refused with
# exit 2 naming the key.
#   partition_build_test.sh GAUDISIM SOURCE_DIR
set -uo pipefail
G=$1; SRC=$2
W=$(mktemp -d); [ -n "${KEEP:-}" ] || trap 'rm -rf "$W"' EXIT; cd "$W"; echo "work dir $W"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl=self,vader,tcp OMPI_MCA_btl_vader_single_copy_mechanism=none
fail() { echo "FAIL: $*"; exit 1; }
ARGS=(--config "$SRC/configs/boxes2.ini" --set topology.hosts=16 --set workload.name=traffic --set traffic.bytes=64Ki
      --set sim.payload=timing --set sim.bootstrap_latency_ns=2000)
# The single process's peak RSS (kB), through python3 (tools/setup.sh installs it).
python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=open("one.txt", "w"), stderr=open("one.err", "w"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)' \
  "$G" "${ARGS[@]}" --json one.json --set traffic.csv=flows.csv > one.rss || fail "single: $(tail -3 one.err)"
mv flows.csv one.csv
mpirun --oversubscribe --bind-to none -np 4 "$G" "${ARGS[@]}" --json four.json --set traffic.csv=flows.csv \
  > four.txt 2> four.err || fail "4 ranks: $(tail -5 four.err)"
grep "^partition:" four.err
diff <(grep -v " s wall$" one.txt) <(grep -v " s wall$" four.txt) || fail "tables differ"
cmp one.json four.json || fail "JSON records differ"
cmp one.csv flows.csv || fail "per-flow CSVs differ"
rss1=$(( $(tail -1 one.rss) / 1000 ))  # kB to MB, as the partition report
for r in 0 1 2 3; do
  line=$(grep "^partition: rank $r: built " four.err) || fail "no built line for rank $r"
  [[ $line =~ "built 32 cards, 4 hosts, "[0-9]+" switches, "[1-9][0-9]*" cut links; peak RSS "([0-9]+)" MB" ]] \
    || fail "rank $r built more than its box: $line"
  [ "${BASH_REMATCH[1]}" -lt "$rss1" ] || fail "rank $r uses as much memory as one process (${BASH_REMATCH[1]} vs $rss1 MB)"
done
mpirun --oversubscribe --bind-to none -np 2 "$G" "${ARGS[@]}" --set workload.name=dma > dma.txt 2> dma.err
rc=$?
[ $rc -eq 2 ] && grep -q "key 'workload.name' = 'dma'" dma.err || fail "workload dma on 2 ranks: exit $rc, $(head -2 dma.err)"
echo "PASS partition build"
