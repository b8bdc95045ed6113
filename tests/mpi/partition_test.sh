#!/usr/bin/env bash
# Partitioned (MPI) runs give the single-process output byte for byte: the table, the JSON
# record and the per-flow CSV.   partition_test.sh GAUDISIM SOURCE_DIR CASE
#   traffic2   2 boxes, traffic permutation: 1 process, then 2 ranks (one box each)
#   traffic4   4 boxes, traffic permutation: 1 process, then 2 and 4 ranks
#   pfc2       traffic2 with a small shared buffer and PFC thresholds: pauses, resumes and
#              drops at the instants frames end (egress_port.hpp, "Same-instant order")
#   coll2      collective-boxes2 with small sizes: 1 process, then 2 ranks
#   coll4      collective-boxes4 with small sizes: 1 process, then 2 and 4 ranks
#   dies       rank 1 exits after its first window: every rank ends with an error, no hang
# (A box is never split: 2 boxes run on at most 2 ranks.)
set -uo pipefail
G=$1; SRC=$2; CASE=$3
W=$(mktemp -d); [ -n "${KEEP:-}" ] || trap 'rm -rf "$W"' EXIT; cd "$W"; echo "work dir $W"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl=self,vader,tcp OMPI_MCA_btl_vader_single_copy_mechanism=none
fail() { echo "FAIL: $*"; exit 1; }
MPIRUN=(mpirun --oversubscribe --bind-to none)
# Everything but the wall time: the table (its last line is the wall time) and the record,
# byte for byte, every field.
same() {  # name ref other
  diff <(grep -v " s wall$" "$2.txt") <(grep -v " s wall$" "$3.txt") > /dev/null || { diff <(grep -v " s wall$" "$2.txt") <(grep -v " s wall$" "$3.txt") | head -20; fail "$1: tables differ"; }
  cmp -s "$2.json" "$3.json" || { diff "$2.json" "$3.json" | head -20; fail "$1: JSON records differ"; }
}
run_pair() {  # name ranks args...: a single-process reference, then the partitioned run
  local name=$1 n=$2; shift 2
  [ -f "$name.1.json" ] || "$G" "$@" --json "$name.1.json" --set traffic.csv="$name.1.csv" > "$name.1.txt" 2> "$name.1.err" \
    || fail "$name single: $(tail -3 "$name.1.err")"
  "${MPIRUN[@]}" -np "$n" "$G" "$@" --json "$name.$n.json" --set traffic.csv="$name.$n.csv" > "$name.$n.txt" 2> "$name.$n.err" \
    || fail "$name on $n ranks: $(tail -5 "$name.$n.err")"
  grep -q "^partition: rank $((n - 1)):" "$name.$n.err" || fail "$name on $n ranks: no partition report: $(tail -3 "$name.$n.err")"
  # The CSV name is part of the record: compare with it taken out.
  sed -i "s/$name\.$n\.csv/$name.1.csv/" "$name.$n.json" "$name.$n.txt"
  same "$name ($n ranks)" "$name.1" "$name.$n"
  if [ -f "$name.1.csv" ]; then cmp -s "$name.1.csv" "$name.$n.csv" || fail "$name: per-flow CSV differs"; fi
  grep "^partition:" "$name.$n.err"
}
LAT=(--set sim.bootstrap_latency_ns=2000)
# 4 ranks on 2 cores spend their time waiting for each other at every window: cables of
# 1 us (the lookahead) make 10x fewer windows than the configs' 100 ns.
LAT4=(--set fabric.link_latency_ns=1000 --set sim.bootstrap_latency_ns=5000)
case $CASE in
  traffic2)
    ARGS=(--config "$SRC/configs/boxes2.ini" --set workload.name=traffic --set traffic.bytes=256Ki "${LAT[@]}")
    run_pair traffic 2 "${ARGS[@]}"
    grep -q "flows" traffic.2.txt || fail "no flow table"
    ;;
  traffic4)
    ARGS=(--config "$SRC/configs/boxes2.ini" --set topology.hosts=4 --set workload.name=traffic --set traffic.bytes=64Ki "${LAT4[@]}")
    run_pair traffic4 2 "${ARGS[@]}"
    run_pair traffic4 4 "${ARGS[@]}"
    [ "$(wc -l < traffic4.1.csv)" -gt 32 ] || fail "per-flow CSV too short"
    ;;
  pfc2)
    ARGS=(--config "$SRC/configs/boxes2.ini" --set workload.name=traffic --set traffic.bytes=256Ki "${LAT[@]}"
          --set fabric.pfc_xoff_bytes=8Ki --set fabric.pfc_xon_bytes=4Ki --set fabric.switch_buffer_bytes=64Ki)
    run_pair pfc 2 "${ARGS[@]}"
    grep -q "PFC pauses [1-9].*switch drops [1-9]" pfc.1.txt || fail "no pauses and drops to tie with"
    ;;
  coll2)
    ARGS=(--config "$SRC/configs/collective-boxes2.ini" --set workload.min_bytes=4Ki --set workload.max_bytes=64Ki "${LAT[@]}")
    run_pair coll 2 "${ARGS[@]}"
    grep -q "Out of bounds values : 0 OK" coll.2.txt || fail "collective results not verified"
    ;;
  coll4)
    ARGS=(--config "$SRC/configs/collective-boxes4.ini" --set workload.min_bytes=4Ki --set workload.max_bytes=8Ki "${LAT[@]}")
    run_pair coll4 2 "${ARGS[@]}"
    run_pair coll4 4 "${ARGS[@]}"
    grep -q "Out of bounds values : 0 OK" coll4.4.txt || fail "collective results not verified"
    ;;
  dies)
    ARGS=(--config "$SRC/configs/boxes2.ini" --set workload.name=traffic --set traffic.bytes=256Ki "${LAT[@]}")
    timeout 120 env GAUDISIM_TEST_RANK_EXIT=1 "${MPIRUN[@]}" -np 2 "$G" "${ARGS[@]}" > d.txt 2> d.err
    rc=$?
    [ $rc -ne 0 ] || fail "a dead rank did not fail the run"
    [ $rc -ne 124 ] || fail "the run hung after rank 1 died"
    grep -q "rank 1: exiting" d.err || fail "no message from the dying rank: $(tail -5 d.err)"
    grep -q "rank 0: stopped by signal" d.err || fail "no message from rank 0: $(tail -8 d.err)"
    ;;
  *) fail "unknown case $CASE" ;;
esac
echo "PASS partition $CASE"
