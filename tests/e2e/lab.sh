#!/bin/bash
# The README's first command: a PXE install lab on this machine, safely.
#
#   tests/e2e/lab.sh [--clients N] [--firmware bios|uefi|mix] [--stock[=LIST]] [--proxy]
#
# Installs what is missing (.ci/deps.sh), builds into build/, starts our
# dhcpd, tftpd and ftpd in a private network namespace with the tutorial's
# boot tree (addresses moved into 198.18.0.0/15), PXE-boots N diskless QEMU
# PCs (default 1, BIOS) there and shows live which stage each PC is in:
# pxe-status --live when it is built, else each VM's stage from its serial
# console and the daemons' event lines. Ctrl-C stops everything and
# removes the namespace; the host's own interfaces are never touched.
# --proxy: Debian's ISC dhcpd hands out the addresses, our dhcpd (in
# proxyDHCP mode) only the boot files.
set -uo pipefail

. "$(dirname "$0")/lib/common.sh"

CLIENTS=1
FIRMWARE=bios
STOCK=
LAB_PROXY=0

parse_args() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--clients) CLIENTS=$2; shift ;;
		--firmware) FIRMWARE=$2; shift ;;
		--stock) STOCK=all ;;
		--stock=*) STOCK=${1#--stock=} ;;
		--proxy) LAB_PROXY=1 ;;
		*) echo "usage: $0 [--clients N] [--firmware bios|uefi|mix] [--stock[=dhcpd,tftpd,ftpd]] [--proxy]" >&2; exit 2 ;;
		esac
		shift
	done
	check_clients "$CLIENTS" 40
	check_proxy "$STOCK"
}

install_and_build() {
	[ "$(id -u)" = 0 ] || fail "run as root (sudo): the lab needs a network namespace"
	echo "lab: checking packages"
	bash "$PXE_SRC/.ci/deps.sh" || fail "package install failed"
	echo "lab: building into $PXE_BUILD"
	cmake -S "$PXE_SRC" -B "$PXE_BUILD" >/dev/null || fail "cmake configure failed"
	cmake --build "$PXE_BUILD" -j2 >/dev/null || fail "build failed (cmake --build $PXE_BUILD shows why)"
}

start_lab() {
	echo "lab: fetching the Debian kernel, boot loaders and firmware (cached)"
	ASSETS=$("$E2E_DIR/fetch-assets.sh") || fail "cannot fetch the boot assets"
	daemons_binaries "$STOCK" "$ASSETS" ||
		fail "a daemon is not built yet; --stock runs Debian's instead"
	WORK=$(tmpdir)
	lab_prepare
	status_enabled "$STOCK" || netns_bg lab python3 "$E2E_DIR/event-sink.py" "$WORK/logs/events.log" 86400
	daemons_start lab "$WORK" || fail "the daemons did not start"
	echo "lab: namespace $(ns_name lab), server $LAB_SERVER, files in $WORK"
	lab_describe_files
}

# Which files there hold the tutorial's text: with --proxy its dhcpd.conf
# is ISC's isc.conf, and dhcpd.conf is our proxyDHCP config (tree.sh).
lab_describe_files() {
	if [ "$LAB_PROXY" = 1 ]; then
		echo "lab: ISC dhcpd in $(ns_name isc) at $LAB_ISC runs isc.conf, the tutorial's dhcpd.conf without its boot lines;"
		echo "lab: dhcpd.conf is our proxyDHCP config; tftpboot/pxelinux.cfg/default and vsftpd.conf are the tutorial's"
	else
		echo "lab: dhcpd.conf, tftpboot/pxelinux.cfg/default and vsftpd.conf there are the tutorial's"
	fi
}

boot_clients() {
	local i
	for ((i = 0; i < CLIENTS; i++)); do
		vm_start lab "$WORK" "$i" "$(vm_firmware "$i" "$FIRMWARE")" "$ASSETS"
		echo "lab: vm$i ($(vm_firmware "$i" "$FIRMWARE"), $(vm_mac "$i")) powered on; console in $WORK/vm$i.serial"
	done
}

# Our daemons' events; the stock ones have none, so their DHCP log.
recent_log_lines() {
	local log=$WORK/logs/events.log
	[ -s "$log" ] || log=$WORK/logs/dhcpd.log
	tail -n 15 "$log" 2>/dev/null
}

# Without pxe-status: the VMs' stages and the latest events, each second.
plain_view() {
	local i t
	for ((t = 0; t < 86400; t++)); do
		printf '\033[H\033[2J%s  (Ctrl-C stops the lab)\n\n' "$(date +%T)"
		printf '%-5s %-5s %-18s %-8s %s\n' VM FW MAC SERVED CONSOLE
		for ((i = 0; i < CLIENTS; i++)); do
			printf '%-5s %-5s %-18s %-8s %s\n' "vm$i" "$(vm_firmware "$i" "$FIRMWARE")" "$(vm_mac "$i")" \
				"$(vm_server_stage "$WORK/vm$i.serial" "$(vm_mac "$i")" "$WORK/logs/events.log")" \
				"$(vm_stage "$WORK/vm$i.serial")"
		done
		echo
		recent_log_lines | cut -c1-160
		sleep 1
	done
}

parse_args "$@"
install_and_build
start_lab
boot_clients
if status_enabled "$STOCK"; then
	netns_exec lab "$STATUS" --live
else
	plain_view
fi
