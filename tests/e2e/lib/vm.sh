# shellcheck shell=bash
# QEMU PXE clients on the lab bridge: BIOS ones boot Debian's iPXE ROM on an
# e1000, UEFI ones OVMF's own network stack on virtio-net. No disk,
# `-boot n`, serial console on stdout (-nographic: with -display none the
# BIOS and iPXE print nothing). Needs tests/lib/netns.sh sourced.
#
#   vm_accel ASSETS INITRD                  # sets VM_ACCEL: kvm if it works, else tcg
#   vm_firmware INDEX mix|bios|uefi         # bios or uefi
#   vm_start NS DIR INDEX FIRMWARE ASSETS   # sets VM_PID; log DIR/vmINDEX.serial
#   vm_wait_all DIR      # until every VM_PIDS[i] exits: VM_STATUS[i] and
#                        # VM_SECONDS[i] since VM_START
#   vm_stage LOG         # the furthest stage the log shows

VM_TIMEOUT=${PXE_E2E_VM_TIMEOUT:-900}
VM_ACCEL=${PXE_E2E_ACCEL:-}

# /dev/kvm can open and still hang guests (nested virtualisation here): a
# kernel booted straight under KVM must reach the initrd in 20 s, else TCG.
# The verdict is cached beside the assets, per host kernel.
vm_accel() {
	local assets=$1 initrd=$2 verdict
	verdict=$assets/.accel-$(uname -r)
	[ -n "$VM_ACCEL" ] && return
	if [ ! -s "$verdict" ]; then
		if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
			timeout 20 qemu-system-x86_64 -accel kvm -nographic -no-reboot -nic none -m 512 \
				-kernel "$(echo "$assets"/boot/vmlinuz-*)" -initrd "$initrd" \
				-append "console=ttyS0 panic=-1" </dev/null 2>&1 |
			grep -aq 'PXESUITE-E2E stage=initrd'; then
			echo kvm >"$verdict"
		else
			echo tcg >"$verdict"
		fi
	fi
	VM_ACCEL=$(cat "$verdict")
}

# Client I's firmware: "mix" alternates BIOS (even) and UEFI (odd).
vm_firmware() {
	case "$2" in
	mix) (($1 % 2)) && echo uefi || echo bios ;;
	*) echo "$2" ;;
	esac
}

vm_mac() { printf '52:54:00:e2:e0:%02x' "$1"; }

vm_firmware_args() {
	local fw=$1 dir=$2 i=$3 assets=$4
	case "$fw" in
	bios)
		echo -m 512 -device "e1000,netdev=n0,mac=$(vm_mac "$i"),romfile=$assets/usr/lib/ipxe/qemu/pxe-e1000.rom"
		;;
	uefi)
		# GRUB needs about 1 GiB; romfile= keeps iPXE's EFI ROM out so
		# OVMF's own PXE stack runs.
		cp "$assets/usr/share/OVMF/OVMF_VARS_4M.fd" "$dir/vm$i.vars"
		echo -m 1024 \
			-drive "if=pflash,format=raw,readonly=on,file=$assets/usr/share/OVMF/OVMF_CODE_4M.fd" \
			-drive "if=pflash,format=raw,file=$dir/vm$i.vars" \
			-device "virtio-net-pci,netdev=n0,mac=$(vm_mac "$i"),romfile="
		;;
	esac
}

vm_start() {
	local ns=$1 dir=$2 i=$3 fw=$4 assets=$5 tap=tap$3
	ip -n "$(ns_name "$ns")" tuntap add dev "$tap" mode tap
	ip -n "$(ns_name "$ns")" link set "$tap" master br0 up
	# shellcheck disable=SC2046 # one word per argument
	netns_bg "$ns" timeout "$VM_TIMEOUT" qemu-system-x86_64 -accel "$VM_ACCEL" \
		-nographic -no-reboot -boot n -name "vm$i" \
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
		$(vm_firmware_args "$fw" "$dir" "$i" "$assets") \
		</dev/null >"$dir/vm$i.serial" 2>&1
	VM_PID=$BG_PID
}

# Stages in boot order, each with the serial text that proves it was
# reached; the last one found is the VM's stage.
VM_STAGES=(
	"firmware|SeaBIOS|BdsDxe|UEFI"
	"dhcp|iPXE|Start PXE over IPv4"
	"loader|PXELINUX|GNU GRUB|Welcome to GRUB|Station IP address"
	"kernel|Loading vmlinuz|Linux version"
	"initrd|PXESUITE-E2E stage=initrd"
	"nic|PXESUITE-E2E stage=link"
	"dhcp-initrd|PXESUITE-E2E stage=dhcp"
	"ftp|PXESUITE-E2E stage=ftp"
	"done|PXESUITE-E2E OK"
)

vm_stage() {
	local log=$1 entry name patterns stage=none failed dead
	for entry in "${VM_STAGES[@]}"; do
		name=${entry%%|*}
		patterns=${entry#*|}
		grep -aqE "$patterns" "$log" 2>/dev/null && stage=$name
	done
	failed=$(grep -aoE 'PXESUITE-E2E FAIL .*' "$log" 2>/dev/null | head -n1 | tr -d '\r')
	dead=$(grep -aoE "$VM_DEAD_ENDS" "$log" 2>/dev/null | head -n1)
	echo "${failed:-$stage}${dead:+ ($dead)}"
}

# Console text after which a PC never gets anywhere: stop it at once
# rather than at the timeout, so a failing run ends in seconds.
VM_DEAD_ENDS='No bootable device|Could not find kernel image|error: .*not found|PXE-E[0-9]+'

vm_wait_all() {
	local dir=$1 i left=${#VM_PIDS[@]}
	while [ "$left" -gt 0 ]; do
		sleep 1
		for i in "${!VM_PIDS[@]}"; do
			[ -n "${VM_SECONDS[i]:-}" ] && continue
			grep -aqE "$VM_DEAD_ENDS" "$dir/vm$i.serial" && kill "${VM_PIDS[i]}" 2>/dev/null
			kill -0 "${VM_PIDS[i]}" 2>/dev/null && continue
			wait "${VM_PIDS[i]}"
			VM_STATUS[i]=$?
			VM_SECONDS[i]=$(($(date +%s) - VM_START))
			left=$((left - 1))
		done
	done
}
