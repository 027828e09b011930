#!/bin/bash
# Build the end-to-end test's initrd from busybox-static and the Debian
# kernel's NIC modules (e1000 for BIOS clients, virtio-net for UEFI ones,
# with every module they depend on, in load order).
#
#   tests/e2e/mkinitrd.sh ASSET_ROOT OUT.img     # ASSET_ROOT from fetch-assets.sh
set -euo pipefail

NIC_MODULES=(e1000 virtio_net virtio_pci)
HERE=$(cd "$(dirname "$0")" && pwd)

[ $# = 2 ] || { echo "usage: $0 ASSET_ROOT OUT.img" >&2; exit 2; }
ASSETS=$1
OUT=$2
MODDIR=$(echo "$ASSETS"/lib/modules/*/kernel)
[ -d "$MODDIR" ] || { echo "mkinitrd: no kernel modules under $ASSETS" >&2; exit 1; }

# module name (dashes and underscores are the same to the kernel) -> .ko path
ko_path() {
	find "$MODDIR" -name "$1.ko*" -o -name "${1//_/-}.ko*" | head -n1
}

# Append NAME's dependencies, then NAME, to LOAD_ORDER (each once).
declare -A SEEN=()
LOAD_ORDER=()
add_module() {
	local name=$1 path dep
	[ -n "${SEEN[$name]:-}" ] && return
	SEEN[$name]=1
	path=$(ko_path "$name")
	[ -n "$path" ] || { echo "mkinitrd: module $name not found" >&2; exit 1; }
	# the .modinfo section's "depends=a,b" string (no kmod needed)
	for dep in $(grep -ao 'depends=[a-z0-9_,-]*' "$path" | head -n1 | cut -d= -f2 | tr ',' ' '); do
		add_module "$dep"
	done
	LOAD_ORDER+=("$path")
}

stage_tree() {
	local root=$1 applet path
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,lib/modules}
	cp "$ASSETS/bin/busybox" "$root/bin/busybox"
	for applet in $("$root/bin/busybox" --list); do
		[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
	done
	ln -s bin "$root/sbin"
	install -m 755 "$HERE/initrd/init" "$root/init"
	install -m 755 "$HERE/initrd/udhcpc.script" "$root/etc/udhcpc.script"
	for path in "${LOAD_ORDER[@]}"; do
		case "$path" in
		*.xz) xz -dc "$path" >"$root/lib/modules/$(basename "${path%.xz}")" ;;
		*) cp "$path" "$root/lib/modules/" ;;
		esac
		basename "${path%.xz}" >>"$root/lib/modules/load.order"
	done
}

main() {
	local name
	for name in "${NIC_MODULES[@]}"; do
		add_module "$name"
	done
	STAGE=$(mktemp -d)
	trap 'rm -rf "$STAGE"' EXIT
	stage_tree "$STAGE"
	(cd "$STAGE" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 >"$OUT.tmp"
	mv "$OUT.tmp" "$OUT"
}

main
