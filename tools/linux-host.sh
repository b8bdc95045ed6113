#!/usr/bin/env bash
# The upstream Linux habanalabs driver on simulated GAUDI cards (docs/linux-host.md).
# Builds what is missing (UML kernel, cached outside the clone; the device server; the
# guest), starts the device server with N cards, boots the UML kernel against it, runs
# hl_smoke on every accel node inside, prints what happened and keeps the logs.
#   tools/linux-host.sh [--cards N] [--out DIR] [--timeout SECONDS] [--server PATH] [--kernel PATH]
#                       [--hang-cpu-after N] [--no-build] [--free-running]
# --kernel boots another UML kernel binary (a variant of the cached tree, e.g. with debug
# prints); the guest programs are still built against the cached tree's headers.
# --hang-cpu-after N: card 0's device CPU stops answering after N CPU-CP messages (the
# server's fault injection): the guest's checks must then fail.
# Time: by default the guest runs in UML's time-travel mode with the device server as its
# calendar (its clock is simulated time: delays and timeouts skip ahead, runs repeat exactly);
# --free-running boots it on the host's clock instead (the model runs ahead while the guest
# waits; timings vary from run to run).
# --no-build: use the cached kernel, fail at once if it is missing or out of date (the CTest
# boots: a kernel build never runs inside a test).
# Exit 0 when every hl_smoke step and every guest check (temperature, hard reset, TDR,
# heartbeat) passed on every card and the guest ran to its end.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cards=1; out="$repo/build/linux-host"; timeout_s=300; server="$repo/build/gaudisim-linux-host"; kernel=""
server_args=(); build_kernel=1; time_travel=1
while [ $# -gt 0 ]; do
  case "$1" in
    --cards) cards="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --timeout) timeout_s="$2"; shift 2 ;;
    --server) server="$2"; shift 2 ;;
    --kernel) kernel="$2"; shift 2 ;;
    --hang-cpu-after) server_args+=(--hang-cpu-after "$2"); shift 2 ;;
    --no-build) build_kernel=0; shift ;;
    --free-running) time_travel=0; shift ;;
    *) echo "usage: $0 [--cards N] [--out DIR] [--timeout SECONDS] [--server PATH] [--kernel PATH] [--hang-cpu-after N] [--no-build] [--free-running]" >&2; exit 2 ;;
  esac
done
case "$cards" in [1-8]) ;; *) echo "--cards: expected 1..8, got '$cards'" >&2; exit 2 ;; esac

if [ $build_kernel = 1 ]; then
  entry="$("$repo/tools/linux-host/build-kernel.sh")"
elif ! entry="$("$repo/tools/linux-host/build-kernel.sh" --check)"; then
  echo "linux-host.sh: FAIL: the UML kernel is not built or out of date in ${GAUDISIM_UML_CACHE:-/var/cache/gaudisim-uml}" \
       "(build it with tools/linux-host/build-kernel.sh, or GAUDISIM_LINUX_HOST_E2E=ON ./test.sh)" >&2
  exit 1
fi
[ -n "$kernel" ] || kernel="$entry/linux"
if [ ! -x "$server" ]; then
  server="$repo/build/gaudisim-linux-host"
  cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  nice cmake --build "$repo/build" -j2 --target gaudisim-linux-host >&2
fi
mkdir -p "$out"
initrd="$("$repo/tools/linux-host/build-guest.sh" "$entry" "$out")"

run="$(mktemp -d /tmp/gaudisim-uml.XXXXXX)"
cleanup() { [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null; rm -rf "$run"; }
trap cleanup EXIT
clock=(virt_pci.max_delay_us=10000000); launch=()
if [ $time_travel = 1 ]; then
  # Without address-space randomisation the UML process lays out its memory the same way on
  # every run (its boot log prints the layout), so the whole kernel log repeats.
  launch=(setarch "$(uname -m)" -R)
  server_args+=(--time-travel)
  # The guest's clock is the calendar's: an MMIO read's budget (udelay(1) per poll) is 1 s
  # of simulated time.
  clock=(time-travel=ext:0:"$run/time.sock" virt_pci.max_delay_us=1000000)
fi
"$server" --cards "$cards" --socket-dir "$run" --verbose "${server_args[@]}" >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [ -S "$run/card$((cards - 1)).sock" ] && { [ $time_travel = 0 ] || [ -S "$run/time.sock" ]; } && break; sleep 0.1; done

devices=()
for i in $(seq 0 $((cards - 1))); do devices+=("virtio_uml.device=$run/card$i.sock:1234"); done
# Free-running, the guest's MMIO read budget (virt_pci.max_delay_us) is generous: the model
# may run behind the guest's clock. The driver's CS timeout (habanalabs.timeout_locked, 30 s
# by default) is 5 s so that the guest's TDR check is short.
set +e
start=$SECONDS
timeout "$timeout_s" "${launch[@]}" "$kernel" mem=512M initrd="$initrd" "${devices[@]}" "${clock[@]}" \
  habanalabs.timeout_locked=5 printk.time=1 con=null con0=null,fd:1 console=tty0 \
  </dev/null >"$out/kernel.log" 2>&1
rc=$?
set -e
wait "$server_pid" 2>/dev/null; server_pid=
echo "== kernel log: $out/kernel.log (exit $rc, $((SECONDS - start)) s wall, $([ $time_travel = 1 ] && echo time travel || echo free-running)); habanalabs and hl_smoke lines:"
grep -E "habanalabs|hl_smoke|accel|virt-pci|guest:" "$out/kernel.log" | head -200 || true
echo "== device server ($out/server.log):"
tail -n 20 "$out/server.log"
grep -q "hl_smoke: .*: PASSED" "$out/kernel.log" && ! grep -q "hl_smoke: .*: FAILED" "$out/kernel.log" \
  && ! grep -q "^guest: FAIL" "$out/kernel.log" && grep -q "^guest: done" "$out/kernel.log"
