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
for app in sh mount mkdir ls cat echo sleep poweroff dmesg grep; do ln -sf busybox "$root/bin/$app"; done
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
for n in /dev/accel/accel[0-9]*; do
  [ -e "$n" ] && /bin/hl_smoke "$n"
done
# A hard reset of every card through the driver's sysfs (hard_reset), then the same checks
# again on the re-initialised card.
for n in /dev/accel/accel[0-9]*; do
  [ -e "$n" ] || continue
  a=${n##*/}; s=/sys/class/accel/$a
  [ -e $s/hard_reset ] || s=$s/device
  before=$(cat $s/hard_reset_cnt)
  echo 1 > $s/hard_reset
  i=0
  while [ $i -lt 120 ]; do
    st=$(cat $s/status); cnt=$(cat $s/hard_reset_cnt)
    [ "$cnt" != "$before" ] && [ "$st" = Operational ] && break
    sleep 1; i=$((i + 1))
  done
  echo "guest: $a hard reset: status $st, hard resets $before -> $cnt"
  /bin/hl_smoke "$n"
done
echo "guest: done"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"
echo "$out/initramfs.cpio.gz"
