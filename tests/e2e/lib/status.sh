# shellcheck shell=bash
# pxe-status in the end-to-end test: from the daemons' events alone, every
# VM's row must reach `done` with its firmware, and the probe (a BIOS PC
# whose own pxelinux config names a missing kernel, so pxelinux waits at
# its prompt for ever) must show STUCK at `kernel` with "file not found".
# Needs vm.sh sourced; reads WORK, CLIENTS, FIRMWARE, ASSETS, PXE_BUILD.
#
#   status_enabled STOCK   # pxe-status built and all three daemons ours
#                          # (only they emit the events it joins), not
#                          # proxyDHCP (ISC's ACK, unseen, binds MAC to address)
#   probe_start            # boots the probe PC
#   status_verify          # fails the test unless both hold

PROBE=255
PROBE_PID=

status_enabled() {
	STATUS=$PXE_BUILD/status/pxe-status
	[ -x "$STATUS" ] && [ -z "$1" ] && [ "${LAB_PROXY:-0}" != 1 ]
}

probe_start() {
	local mac
	mac=$(vm_mac "$PROBE")
	sed 's/kernel vmlinuz/kernel vmlinuz-missing/' "$WORK/tftpboot/pxelinux.cfg/default" \
		>"$WORK/tftpboot/pxelinux.cfg/01-${mac//:/-}"
	vm_start lab "$WORK" "$PROBE" bios "$ASSETS"
	PROBE_PID=$VM_PID
}

status_check() {
	"$STATUS" --json --stuck 5 --from "$WORK/logs/events.log" |
		python3 "$E2E_DIR/status-check.py" "$@"
}

status_fail() {
	"$STATUS" --once --stuck 5 --from "$WORK/logs/events.log"
	fail "pxe-status: $*"
}

probe_stuck() { status_check stuck "$(vm_mac "$PROBE")" kernel "file not found"; }

status_verify() {
	local i specs=()
	for ((i = 0; i < CLIENTS; i++)); do
		case "$(vm_firmware "$i" "$FIRMWARE")" in
		bios) specs+=("$(vm_mac "$i")=iPXE|BIOS") ;;
		uefi) specs+=("$(vm_mac "$i")=UEFI") ;;
		esac
	done
	status_check "done" "${specs[@]}" || status_fail "rows not done"
	echo "pxe-status: $CLIENTS rows done with their firmware"
	[ -n "$PROBE_PID" ] || return 0
	# STUCK needs --stuck seconds without progress: wait for it, bounded.
	wait_for 120 probe_stuck
	kill "$PROBE_PID" 2>/dev/null
	probe_stuck || status_fail "the probe is not STUCK at kernel with file not found"
	echo "pxe-status: the probe is STUCK at kernel with file not found"
}
