#!/bin/bash
# Fetch the end-to-end test's boot assets from Debian packages into a cache
# outside the repository, and print the cache's root directory.
#
#   tests/e2e/fetch-assets.sh            # cache in $PXE_E2E_CACHE or /var/cache/pxesuite-e2e
#
# Every package is fetched with `apt-get download` and unpacked with
# `dpkg -x`, so nothing is installed on the host and no service starts:
# a Debian kernel and its NIC modules, pxelinux, GRUB's signed network EFI
# image, iPXE's QEMU ROMs, OVMF, busybox, and the stock daemons (ISC dhcpd,
# tftpd-hpa, vsftpd) for comparison runs. Idempotent: a second run with the
# same package versions downloads nothing.
set -euo pipefail

CACHE=${PXE_E2E_CACHE:-/var/cache/pxesuite-e2e}

# The kernel package the linux-image-amd64 meta-package points at today.
kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

PACKAGES=(
	pxelinux syslinux-common syslinux-efi grub-efi-amd64-signed
	ipxe-qemu ovmf busybox-static
	isc-dhcp-server tftpd-hpa vsftpd libwrap0
)

deb_of() { compgen -G "$CACHE/debs/${1}_*.deb" | tail -n1; }

# apt-get download writes under the final name as it goes: into partial/
# first, so that an interrupted fetch leaves no truncated .deb in debs/.
download() {
	(cd "$CACHE/partial" && apt-get download -q -o APT::Sandbox::User=root "$1" >/dev/null 2>&1) &&
		mv "$CACHE/partial/${1}_"*.deb "$CACHE/debs/"
}

fetch() {
	local pkg=$1
	[ -n "$(deb_of "$pkg")" ] && return 0
	download "$pkg" || { refresh_lists && download "$pkg"; } ||
		{ echo "fetch-assets: cannot download $pkg" >&2; return 1; }
}

# Stale or missing apt lists are the usual reason a download fails.
refresh_lists() {
	[ -z "${LISTS_REFRESHED:-}" ] || return 1
	LISTS_REFRESHED=1
	apt-get update -qq >/dev/null 2>&1
}

main() {
	local kpkg pkg
	mkdir -p "$CACHE/debs"
	exec 9>"$CACHE/.lock"
	flock 9   # a lab and a test may fetch at once
	rm -rf "$CACHE/partial"
	mkdir "$CACHE/partial"
	kpkg=$(kernel_package)
	[ -n "$kpkg" ] || { refresh_lists && kpkg=$(kernel_package); }
	[ -n "$kpkg" ] || { echo "fetch-assets: no linux-image-amd64 in apt lists" >&2; exit 1; }
	local stamp="$CACHE/root/.complete-$kpkg"
	if [ -e "$stamp" ]; then
		echo "$CACHE/root"
		return
	fi
	rm -rf "$CACHE/root.new"
	mkdir -p "$CACHE/root.new"
	for pkg in "$kpkg" "${PACKAGES[@]}"; do
		fetch "$pkg"
		dpkg -x "$(deb_of "$pkg")" "$CACHE/root.new"
	done
	touch "$CACHE/root.new/.complete-$kpkg"
	rm -rf "$CACHE/root"
	mv "$CACHE/root.new" "$CACHE/root"
	echo "$CACHE/root"
}

main "$@"
