#!/usr/bin/env bash
# Builds the UML guest's initramfs: busybox-static, an /init that runs hl_smoke on every
# accel node and powers off, small stand-in firmware files under the names the habanalabs
# driver requests (the driver checks their size, the simulated card ignores their content), and hl_smoke built
# against the kernel tree's uAPI headers.
#   build-guest.sh KERNEL_ENTRY OUT_DIR   -> OUT_DIR/initramfs.cpio.gz
set -euo pipefail
entry="$1"; out="$2"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
root="$out/rootfs"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/firmware/habanalabs/gaudi}
cp /bin/busybox "$root/bin/busybox"
for app in sh mount mkdir ls cat echo sleep poweroff dmesg grep readlink; do ln -sf busybox "$root/bin/$app"; done
# The kernel's firmware loader refuses empty files and the driver wants a multiple of 4 bytes:
# 64-byte stand-ins (the driver copies them to the card through the BARs; the card ignores them).
for fw in gaudi-boot-fit.itb gaudi-fit.itb gaudi_tpc.bin; do
  printf '%-63s\n' "gaudisim stand-in for $fw" >"$root/lib/firmware/habanalabs/gaudi/$fw"
done
gcc -static -O2 -Wall -Wextra -I"$entry/usr/include" -I"$repo" \
    -o "$root/bin/hl_smoke" "$repo/linux_host/guest/hl_smoke.c"
cat >"$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# The initramfs has no /dev/console node, so init started without stdout: open it now.
exec </dev/console >/dev/console 2>&1
echo "guest: init up; accel nodes:" $(ls /dev/accel 2>/dev/null)
# Every check prints "guest: ok ..." or "guest: FAIL ..." (tools/linux-host.sh fails on FAIL).
check() { if [ "$1" = 0 ]; then echo "guest: ok $2"; else echo "guest: FAIL $2"; fi; }
sysdir() { s=/sys/class/accel/$1; [ -e $s/hard_reset ] || s=$s/device; echo $s; }
# Waits until the card's hard-reset count has moved from $2 and it is Operational again.
wait_reset() {
  s=$(sysdir $1); i=0
  while [ $i -lt 120 ]; do
    st=$(cat $s/status); cnt=$(cat $s/hard_reset_cnt)
    [ "$cnt" != "$2" ] && [ "$st" = Operational ] && break
    sleep 1; i=$((i + 1))
  done
  [ "$cnt" != "$2" ] && [ "$st" = Operational ]
  check $? "$1 $3: status $st, hard resets $2 -> $cnt"
}
cards=""
for n in /dev/accel/accel[0-9]*; do [ -e "$n" ] && cards="$cards ${n##*/}"; done
for a in $cards; do /bin/hl_smoke /dev/accel/$a; done
# The thermal sensor through the driver's hwmon device (CPU-CP TEMPERATURE_GET, millidegrees).
for a in $cards; do
  pci=$(readlink -f /sys/class/accel/$a/device); t=""
  for h in /sys/class/hwmon/hwmon*; do
    [ "$(readlink -f $h/device)" = "$pci" ] && t=$(cat $h/temp1_input)
  done
  [ -n "$t" ] || ls -l /sys/class/hwmon/ /sys/class/hwmon/*/ $pci/
  [ -n "$t" ] && [ "$t" -gt 0 ] && [ "$t" -lt 125000 ]
  check $? "$a temperature ${t:-unreadable} millidegrees C"
done
# A hard reset of every card through the driver's sysfs, then the same checks again.
for a in $cards; do
  s=$(sysdir $a); before=$(cat $s/hard_reset_cnt)
  echo 1 > $s/hard_reset
  wait_reset $a $before "hard reset"
  /bin/hl_smoke /dev/accel/$a
done
# TDR: a CS that never completes (hl_smoke --stuck holds it until the driver times it out);
# the driver's timeout (habanalabs.timeout_locked) resets the card, which then passes the
# checks again.
for a in $cards; do
  s=$(sysdir $a); before=$(cat $s/hard_reset_cnt)
  /bin/hl_smoke --stuck /dev/accel/$a
  wait_reset $a $before "TDR reset"
  dev=$(readlink -f /sys/class/accel/$a/device); dev=${dev##*/}
  dmesg | grep -q "$dev: Command submission .* has not finished in"
  check $? "$a TDR: the driver reported the stuck CS"
  /bin/hl_smoke /dev/accel/$a
done
# Heartbeat: the driver asks the firmware (CPU-CP TEST) every 10 s; a missed answer resets
# the card. After 12 quiet seconds every card must still be up with no new reset.
for a in $cards; do eval "hb_$a=$(cat $(sysdir $a)/hard_reset_cnt)"; done
sleep 12
for a in $cards; do
  s=$(sysdir $a); eval "was=\$hb_$a"
  [ "$(cat $s/status)" = Operational ] && [ "$(cat $s/hard_reset_cnt)" = "$was" ]
  check $? "$a heartbeat: Operational after 12 s, hard resets still $was"
done
dmesg | grep -q "heartbeat failed"
[ $? != 0 ]; check $? "no heartbeat failure in the kernel log"
echo "guest: done"
poweroff -f
INIT
chmod +x "$root/init"
# Reproducible: fixed times, names in order, no inode numbers or gzip time stamp (the guest
# prints the initramfs size; time-travel boots must repeat to the byte).
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --reproducible --quiet | gzip -1 -n) >"$out/initramfs.cpio.gz"
echo "$out/initramfs.cpio.gz"
