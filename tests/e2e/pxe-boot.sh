#!/bin/bash
# End to end: N diskless QEMU PCs PXE-boot through the three daemons in a
# network namespace and fetch the install tree, as in the tutorial.
#
#   pxe-boot.sh [--stock[=dhcpd,tftpd,ftpd]] [--clients N] [--firmware mix|bios|uefi]
#               [--no-probe] [--proxy]
#
# --stock runs Debian's ISC dhcpd, in.tftpd and vsftpd instead of ours with
# the same files and flags (--stock=dhcpd: only that one). Passes only
# when every VM prints `PXESUITE-E2E OK` and the sha256 it computed of
# each fetched file is the file's, and no daemon died or tripped a
# sanitizer. With all three daemons ours and pxe-status built, pxe-status
# must also show every VM's row at `done` with its firmware, and one extra
# BIOS VM whose kernel file is missing (the probe; --no-probe leaves it
# out, for timing) STUCK at `kernel` with "file not found".
# --proxy: Debian's ISC dhcpd hands out the addresses and our dhcpd, with
# `proxy-dhcp;`, only the boot files (the ctest e2e-proxydhcp); each UEFI
# PC must also have asked our server on port 4011 and been answered from
# there (tcpdump of the lab bridge).
# Skips (77) without root, netns, QEMU, the assets, or our daemons.
# Environment: PXE_E2E_CLIENTS, PXE_E2E_VM_TIMEOUT (s), PXE_E2E_CACHE,
# PXE_E2E_ACCEL (kvm|tcg; default: probed), PXE_E2E_STOCK, PXE_E2E_KEEP=1
# (keep the work dir), PXE_E2E_PCAP=1 (capture the lab bridge to lab.pcap; always with --proxy).
set -uo pipefail

. "$(dirname "$0")/lib/common.sh"

STOCK=${PXE_E2E_STOCK:-}
CLIENTS=${PXE_E2E_CLIENTS:-4}
FIRMWARE=mix
PROBE_ON=1
LAB_PROXY=0

parse_args() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--stock) STOCK=all ;;
		--stock=*) STOCK=${1#--stock=} ;;
		--clients) CLIENTS=$2; shift ;;
		--firmware) FIRMWARE=$2; shift ;;
		--no-probe) PROBE_ON=0 ;;
		--proxy) LAB_PROXY=1 ;;
		*) echo "usage: $0 [--stock[=LIST]] [--clients N] [--firmware mix|bios|uefi] [--no-probe] [--proxy]" >&2; exit 2 ;;
		esac
		shift
	done
	check_clients "$CLIENTS" 100
	check_proxy "$STOCK"
}

setup() {
	netns_require
	need_cmd qemu-system-x86_64 cpio gzip python3 timeout
	[ "$LAB_PROXY" = 1 ] && need_cmd tcpdump
	ASSETS=$("$E2E_DIR/fetch-assets.sh") || skip "boot assets unavailable (fetch-assets.sh failed)"
	MODE=${STOCK:+stock=$STOCK}
	MODE=${MODE:-our}
	[ "$LAB_PROXY" = 1 ] && MODE+=" (dhcpd as proxyDHCP beside ISC dhcpd)"
	daemons_binaries "$STOCK" "$ASSETS" || skip "$MODE daemons not built"
	if [ "${PXE_E2E_KEEP:-0}" = 1 ]; then
		WORK=$(mktemp -d /tmp/pxe-e2e.XXXXXX) && chmod 755 "$WORK"
	else
		WORK=$(tmpdir)
	fi
	lab_prepare
	netns_bg lab python3 "$E2E_DIR/event-sink.py" "$WORK/logs/events.log" 3600
	if [ "${PXE_E2E_PCAP:-0}" = 1 ] || [ "$LAB_PROXY" = 1 ]; then
		lab_capture lab "$WORK/lab.pcap" || fail "tcpdump did not start on the lab bridge"
	fi
	daemons_start lab "$WORK" || fail "daemons did not start ($MODE)"
}

boot_all() {
	local i
	VM_START=$(date +%s)
	status_enabled "$STOCK" && [ "$PROBE_ON" = 1 ] && probe_start
	for ((i = 0; i < CLIENTS; i++)); do
		vm_start lab "$WORK" "$i" "$(vm_firmware "$i" "$FIRMWARE")" "$ASSETS"
		VM_PIDS[i]=$VM_PID
	done
	vm_wait_all "$WORK"
}

# OK marker, and the sums the guest computed equal the files' own.
vm_passed() {
	local log=$1 f want
	grep -aq 'PXESUITE-E2E OK' "$log" || return 1
	for f in "${LAB_TREE_FILES[@]}"; do
		want=$(sha256sum "$WORK/ftp/pub/$f" | cut -d' ' -f1)
		grep -aq "PXESUITE-E2E sha256 $f $want" "$log" || return 1
	done
}

# One row per VM: the furthest stage its console shows and the furthest
# our daemons' events show for it (dhcp, loader, kernel, initrd, ftp).
report_row() {
	local i=$1 log=$WORK/vm$1.serial
	printf '%-5s %-5s %-18s %-8s %-5s %-8s %s\n' "vm$i" "$(vm_firmware "$i" "$FIRMWARE")" "$(vm_mac "$i")" \
		"${VM_SECONDS[i]}" "${VM_STATUS[i]}" "$(vm_server_stage "$log" "$(vm_mac "$i")" "$WORK/logs/events.log")" \
		"$(vm_stage "$log")"
}

vm_outcome() {
	case "$1" in
	124) echo "timed out" ;;
	stop) echo "stopped at a dead end" ;;
	*) echo "exit $1" ;;
	esac
}

report() {
	local i failed=0
	printf '%-5s %-5s %-18s %-8s %-5s %-8s %s\n' VM FW MAC SECONDS EXIT SERVED CONSOLE
	for ((i = 0; i < CLIENTS; i++)); do
		report_row "$i"
		vm_passed "$WORK/vm$i.serial" || failed=$((failed + 1))
	done
	daemons_healthy "$WORK" || failed=$((failed + 1))
	[ "$failed" = 0 ] && return 0
	for ((i = 0; i < CLIENTS; i++)); do
		vm_passed "$WORK/vm$i.serial" && continue
		echo "---- vm$i serial (last 30 lines)"
		vm_console "$WORK/vm$i.serial" | tail -n 30 | cut -c1-200
	done
	daemons_dump_logs "$WORK"
	if status_enabled "$STOCK"; then
		echo "---- pxe-status (from the daemons' events)"
		"$STATUS" --once --stuck 5 --from "$WORK/logs/events.log"
	fi
	for ((i = 0; i < CLIENTS; i++)); do
		vm_passed "$WORK/vm$i.serial" && continue
		echo "vm$i ($(vm_firmware "$i" "$FIRMWARE")) did not finish: console at $(vm_stage "$WORK/vm$i.serial")," \
			"daemons served it up to $(vm_server_stage "$WORK/vm$i.serial" "$(vm_mac "$i")" "$WORK/logs/events.log")," \
			"$(vm_outcome "${VM_STATUS[i]}")"
	done
	fail "$MODE daemons: clients did not finish or a daemon failed (see above)"
}

# --proxy: each UEFI PC got a BINL-type offer, so it must have asked our
# server again on port 4011 (the PXE boot-server exchange) before booting.
proxy_verify() {
	local i mac
	for ((i = 0; i < CLIENTS; i++)); do
		[ "$(vm_firmware "$i" "$FIRMWARE")" = uefi ] || continue
		mac=$(vm_mac "$i")
		lab_boot_server_exchange "$WORK/lab.pcap" "$mac" && continue
		echo "---- lab bridge, DHCP and port 4011"
		tcpdump -nr "$WORK/lab.pcap" udp port 67 or udp port 68 or udp port 4011 2>/dev/null | tail -n 30
		fail "vm$i ($mac) booted without the port-4011 exchange with $LAB_SERVER"
	done
}

parse_args "$@"
setup
echo "e2e: $CLIENTS clients ($FIRMWARE, $VM_ACCEL) through $MODE daemons, work dir $WORK"
boot_all
report
if [ "$LAB_PROXY" = 1 ]; then proxy_verify; fi
if status_enabled "$STOCK"; then status_verify; fi
echo "PASS: $CLIENTS clients booted and fetched the install tree through $MODE daemons in $(($(date +%s) - VM_START)) s"
