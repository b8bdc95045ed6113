#!/usr/bin/env bash
# Builds the User Mode Linux kernel that runs the upstream habanalabs driver against gaudisim's
# cards (docs/linux-host.md). Third-party source is installed from Debian and built here, never
# committed; the three changes applied to it are this script's own (see apply_changes).
#
# Output: the directory printed on stdout (the cache entry) holds `linux` (the UML kernel) and
# `usr/include` (the uAPI headers). The entry is keyed by a hash of the recipe (the functions
# apply_changes and configure) and the source package version: the kernel is rebuilt only when
# one of them changes.
#   GAUDISIM_UML_CACHE  cache root (default /var/cache/gaudisim-uml, else build/uml-cache)
#   GAUDISIM_UML_JOBS   make -j (default 2); the build runs under nice -n 19
# With --check: print the cache entry and exit 0 if the kernel is built, else exit 1 (no
# installs, no build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
series=6.12

log() { echo "build-kernel: $*" >&2; }

install_packages() {
  local want=(linux-source-$series busybox-static bc bison flex libelf-dev libssl-dev cpio xz-utils
              make gcc)
  local missing=()
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

cache_root() {
  local root="${GAUDISIM_UML_CACHE:-/var/cache/gaudisim-uml}"
  if mkdir -p "$root" 2>/dev/null && [ -w "$root" ]; then echo "$root"; return; fi
  mkdir -p "$repo/build/uml-cache"; echo "$repo/build/uml-cache"
}

# Replaces the text $2 by $3 in file $1 (perl, literal strings, multi-line allowed) and fails
# unless the replacement is present afterwards: a changed upstream source stops the build.
edit() {
  local file="$1" old="$2" new="$3"
  OLD="$old" NEW="$new" perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/' "$file"
  grep -qF -- "$(printf '%s' "$new" | head -n1)" "$file" || { log "edit did not apply to $file"; exit 1; }
}

apply_changes() {
  local src="$1"
  # 1. logic_iomem: one ioremap area was 16 MiB and all areas 2 GiB; the driver maps a 128 MiB
  #    register BAR and the whole HBM BAR. Areas of 256 MiB in a 64 GiB range.
  edit "$src/lib/logic_iomem.c" "#define AREA_SHIFT	24" "#define AREA_SHIFT	28"
  edit "$src/lib/logic_iomem.c" "#define MAX_AREAS	((1U << 31) / MAX_AREA_SIZE)" \
       "#define MAX_AREAS	((1UL << 36) / MAX_AREA_SIZE)"
  edit "$src/lib/logic_iomem.c" "#define IOREMAP_MASK	0xFFFFFFFF00000000UL" \
       "#define IOREMAP_MASK	0xFFFFFFF000000000UL"
  edit "$src/lib/logic_iomem.c" "IOREMAP_BIAS + (i << AREA_SHIFT) + offs" \
       "IOREMAP_BIAS + ((unsigned long)i << AREA_SHIFT) + offs"
  # 2. virt-pci: the PCI memory window was 256 MiB (0xf0000000-0xffffffff); a GAUDI needs
  #    64 MiB + 128 MiB + its HBM BAR. 3 GiB below the config-space window instead.
  edit "$src/arch/um/drivers/virt-pci.c" "	.start = 0xf0000000,
	.end = 0xffffffff," "	.start = 0x20000000,
	.end = 0xdfffffff,"
  # 3. virt-pci: a posted write (MMIO write, memset, config write) was dropped when the
  #    command ring was full. Reap finished posted commands and retry instead.
  edit "$src/arch/um/drivers/virt-pci.c" "	/* add to internal virtio queue */
	ret = virtqueue_add_sgs(" "	/* add to internal virtio queue */
retry_add:
	ret = virtqueue_add_sgs("
  edit "$src/arch/um/drivers/virt-pci.c" "	if (ret) {
		if (posted)
			kfree(cmd);
		goto out;
	}" "	if (ret == -ENOSPC && posted && ++delay_count <= um_pci_max_delay_us) {
		void *done; /* ring full: wait for the device to consume posted writes */
		set_bit(UM_PCI_STAT_WAITING, &dev->status);
		virtqueue_kick(dev->cmd_vq);
		while ((done = virtqueue_get_buf(dev->cmd_vq, &len)))
			if (!HANDLE_IS_NO_FREE(done))
				kfree(done);
		clear_bit(UM_PCI_STAT_WAITING, &dev->status);
		udelay(1);
		goto retry_add;
	}
	if (ret) {
		if (posted)
			kfree(cmd);
		goto out;
	}"
}

# Replaces $2 by $3 in file $1 unless $3 is already there (changes applied to a built tree).
edit_once() {
  grep -qF -- "$(printf '%s' "$3" | head -n2 | tail -n1)" "$1" || edit "$@"
}

# Changes applied on top of the tree after the keyed recipe, idempotent: a change here does
# not start over (no new key); make rebuilds only the files it touches. Their own hash is
# kept in <entry>/fixes, and an entry whose fixes differ is brought up to date.
apply_fixes() {
  local src="$1"
  # 4. habanalabs (6.12): its file operations lack FOP_UNSIGNED_OFFSET, which DRM's open
  #    requires since 6.12: every open of /dev/accel/accel* WARNs and fails with -EINVAL.
  # 5. logic_iomem: ioremap areas of 1 GiB (change 1 made them 256 MiB): the driver writes
  #    its MMU page tables through the HBM BAR at HBM + 256..448 MiB, so the device server's
  #    HBM BAR is 512 MiB and must fit in one area.
  edit_once "$src/lib/logic_iomem.c" "#define AREA_SHIFT	28" "#define AREA_SHIFT	30"
  edit_once "$src/drivers/accel/habanalabs/common/habanalabs_drv.c" "	.mmap = hl_mmap
};" "	.mmap = hl_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};"
  # 6. virt-pci: one command at a time. um_pci_send_cmd changes the command ring with
  #    interrupts enabled, so two things could run in the middle of it on UML's one CPU: the
  #    ring's completion callback (the device signals used buffers) and the MSI handler, whose
  #    own register accesses (habanalabs writes the event queue's CI from its hard IRQ) enter
  #    um_pci_send_cmd again and share its per-CPU buffer. Either corrupts the ring's free
  #    list; the guest then finds "id N is not a head!", marks the ring broken and every later
  #    access fails (reads all-ones, writes dropped with a WARN). Interrupts are off while a
  #    command is queued and, for a read, until its answer is in (a CPU stalled on an MMIO read
  #    takes no interrupt either).
  edit_once "$src/arch/um/drivers/virt-pci.c" "	bool posted;

	if (WARN_ON(cmd_size < sizeof(*cmd) || cmd_size > sizeof(*buf)))
		return -EINVAL;
" "	bool posted;
	unsigned long irq_flags; /* gaudisim: one command at a time */

	if (WARN_ON(cmd_size < sizeof(*cmd) || cmd_size > sizeof(*buf)))
		return -EINVAL;
	local_irq_save(irq_flags);
"
  edit_once "$src/arch/um/drivers/virt-pci.c" "out:
	put_cpu_var(um_pci_msg_bufs);
	return ret;
}

static unsigned long um_pci_cfgspace_read(" "out:
	local_irq_restore(irq_flags);
	put_cpu_var(um_pci_msg_bufs);
	return ret;
}

static unsigned long um_pci_cfgspace_read("
  # 7. virt-pci: a read (or any command) that finds the command ring full reaps the finished
  #    posted writes and retries, as change 3 does for posted writes; it failed at once and
  #    read all-ones. In time-travel mode the ring's completion callback runs only when the
  #    guest's time moves, so a burst of more than 256 posted writes fills the ring.
  edit_once "$src/arch/um/drivers/virt-pci.c" "	if (ret == -ENOSPC && posted && ++delay_count <= um_pci_max_delay_us) {" \
       "	if (ret == -ENOSPC && ++delay_count <= um_pci_max_delay_us) {"
}

configure() {
  local src="$1" cfg="$src/scripts/config --file $src/.config"
  make -C "$src" ARCH=um defconfig >/dev/null
  # PCI over virtio (device id 1234, the one gaudisim's device server registers), DRM accel
  # with habanalabs built in, the UML time-travel hooks, initrd/initramfs from a host file.
  $cfg -e VIRTIO_UML -e UML_PCI_OVER_VIRTIO --set-val UML_PCI_OVER_VIRTIO_DEVICE_ID 1234 \
       -e UML_TIME_TRAVEL_SUPPORT -e BLK_DEV_INITRD -e DEVTMPFS -e DEVTMPFS_MOUNT -e TMPFS \
       -e DRM -e DRM_ACCEL -e DRM_ACCEL_HABANALABS -e FW_LOADER -e HOSTFS -e DEBUG_FS \
       --set-val LOG_BUF_SHIFT 18 --set-val FRAME_WARN 2048
  # Trimmed: no modules, no networking, no block file systems, no debug info.
  $cfg -d MODULES -d INET -d UML_NET -d EXT4_FS -d REISERFS_FS -d QUOTA -d SOUND -d UML_SOUND \
       -d ISO9660_FS -d AUTOFS_FS -d BLK_DEV_NBD -d BLK_DEV_LOOP -d PPP -d SLIP -d TUN -d DUMMY \
       -d CGROUPS -d BINFMT_MISC -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -e DEBUG_INFO_NONE
  make -C "$src" ARCH=um olddefconfig >/dev/null
  for opt in UML_PCI_OVER_VIRTIO DRM_ACCEL_HABANALABS BLK_DEV_INITRD; do
    grep -q "^CONFIG_$opt=y" "$src/.config" || { log "CONFIG_$opt not set after olddefconfig"; exit 1; }
  done
}

main() {
  local check=0
  [ "${1:-}" = "--check" ] && check=1
  [ $check = 1 ] || install_packages
  local version key root entry
  version="$(dpkg-query -W -f='${Version}' linux-source-$series 2>/dev/null)" || version=none
  key="$( (declare -f apply_changes configure edit; echo "$series $version") | sha256sum | cut -c1-16)"
  root="$(cache_root)"
  entry="$root/linux-$series-$key"
  fixes="$( (declare -f apply_fixes edit_once) | sha256sum | cut -c1-16)"
  up_to_date() { [ -f "$entry/done" ] && [ "$(cat "$entry/fixes" 2>/dev/null)" = "$fixes" ]; }
  if up_to_date; then echo "$entry"; return; fi
  [ $check = 1 ] && exit 1
  mkdir -p "$entry"
  exec 9>"$entry/lock"
  flock 9
  if up_to_date; then echo "$entry"; return; fi
  rm -f "$entry/done"
  local src="$entry/src"
  if [ ! -f "$entry/unpacked" ]; then
    log "unpacking linux-source-$series $version into $entry"
    rm -rf "$src"; mkdir -p "$src"
    tar xJf /usr/src/linux-source-$series.tar.xz -C "$src" --strip-components=1
    apply_changes "$src"
    configure "$src"
    touch "$entry/unpacked"
  fi
  apply_fixes "$src"
  log "building (nice -n 19 make -j${GAUDISIM_UML_JOBS:-2}); about 20 minutes on 2 cores from scratch"
  local start=$SECONDS
  nice -n 19 make -C "$src" ARCH=um -j"${GAUDISIM_UML_JOBS:-2}" linux >"$entry/build.log" 2>&1 \
    || { tail -40 "$entry/build.log" >&2; log "kernel build failed (log: $entry/build.log)"; exit 1; }
  cp "$src/linux" "$entry/linux"
  # UML exports no uAPI headers ("Headers not exportable for UML"); the guest's programs are
  # x86-64 user space, so the tree's headers are installed for x86 (not part of the key).
  nice -n 19 make -C "$src" ARCH=x86 headers_install INSTALL_HDR_PATH="$entry/usr" \
    >>"$entry/build.log" 2>&1 \
    || { tail -20 "$entry/build.log" >&2; log "headers_install failed (log: $entry/build.log)"; exit 1; }
  log "built in $((SECONDS - start)) s"
  echo "$((SECONDS - start))" >"$entry/build-seconds"
  echo "$fixes" >"$entry/fixes"
  touch "$entry/done"
  echo "$entry"
}
main "$@"
