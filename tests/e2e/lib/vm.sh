# shellcheck shell=bash
# QEMU PXE clients on the lab bridge: BIOS ones boot Debian's iPXE ROM on an
# e1000, UEFI ones OVMF's own network stack on virtio-net. No disk,
# `-boot n`, serial console on stdout (-nographic: with -display none the
# BIOS and iPXE print nothing). Needs tests/lib/netns.sh sourced.
#
#   vm_accel ASSETS INITRD                  # sets VM_ACCEL: kvm if it works, else tcg
#   vm_firmware INDEX mix|bios|uefi         # bios or uefi
#   vm_start NS DIR INDEX FIRMWARE ASSETS   # sets VM_PID; log DIR/vmINDEX.serial
#   vm_wait_all DIR      # until every VM_PIDS[i] exits: VM_STATUS[i] (exit
#                        # status, 124 timed out, "stop" stopped at a dead
#                        # end) and VM_SECONDS[i] since VM_START
#   vm_stage LOG         # the furthest stage the log shows
#   vm_server_stage LOG MAC EVENTS   # the furthest our daemons' events show

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
	"loader|PXELINUX|SYSLINUX|GNU GRUB|Welcome to GRUB|Station IP address"
	"kernel|Loading vmlinuz|Linux version"
	"initrd|PXESUITE-E2E stage=initrd"
	"nic|PXESUITE-E2E stage=link"
	"dhcp-initrd|PXESUITE-E2E stage=dhcp"
	"ftp|PXESUITE-E2E stage=ftp"
	"done|PXESUITE-E2E OK"
)

# The same from our daemons' events (none from stock daemons): dhcpd's by
# the VM's MAC, tftpd's and ftpd's by the address its console printed.
VM_SERVER_STAGES=(
	"dhcp|event=dhcpd\.(offer|ack) .*mac=@MAC@"
	"loader|event=tftpd\.done .*client=@IP@ file=(pxelinux\.0|grubnetx64\.efi|syslinux\.efi) "
	"kernel|event=tftpd\.done .*client=@IP@ file=vmlinuz "
	"initrd|event=tftpd\.done .*client=@IP@ file=initrd\.img "
	"ftp|event=ftpd\.retr .*client=@IP@ "
)

# stage_of TEXT STAGE...: the last STAGE ("name|regex") whose regex TEXT matches.
stage_of() {
	local text=$1 entry stage=none
	shift
	for entry in "$@"; do
		grep -aqE "${entry#*|}" <<<"$text" && stage=${entry%%|*}
	done
	echo "$stage"
}

# The console without ANSI cursor moves (syslinux.efi prints a letter per move).
vm_console() { sed -E 's/\x1b\[[0-9;?=]*[A-Za-z]//g' "$1" 2>/dev/null | tr -d '\r'; }

vm_stage() {
	local text failed dead
	text=$(vm_console "$1")
	failed=$(grep -aoE 'PXESUITE-E2E FAIL .*' <<<"$text" | head -n1)
	dead=$(grep -aoE "$VM_DEAD_ENDS" <<<"$text" | head -n1)
	failed=${failed#PXESUITE-E2E }
	echo "${failed:-$(stage_of "$text" "${VM_STAGES[@]}")}${dead:+ ($dead)}"
}

# vm_server_stage LOG MAC EVENTS: the furthest stage EVENTS show for it.
vm_server_stage() {
	local ip entries=()
	ip=$(vm_console "$1" | grep -aoE '(net0: |Station IP address is |My IP is |address=)198\.18\.[0-9.]+' |
		tail -n1 | grep -oE '198\.18\.[0-9.]+')
	entries=("${VM_SERVER_STAGES[@]//@MAC@/$2}")
	entries=("${entries[@]//@IP@/${ip:-none}}")
	stage_of "$(cat "$3" 2>/dev/null)" "${entries[@]}"
}

# Console text after which a PC never gets anywhere: stop it at once
# rather than at the timeout, so a failing run ends in seconds. GRUB's
# prompt means it found no grub.cfg; syslinux.efi says "failed: No such
# file" and waits at its boot: prompt.
VM_DEAD_ENDS='No bootable device|Could not find kernel image|failed:.{0,12}No such file|error: .*not found|PXE-E[0-9]+|grub> '

vm_wait_all() {
	local dir=$1 i left=${#VM_PIDS[@]}
	while [ "$left" -gt 0 ]; do
		sleep 1
		for i in "${!VM_PIDS[@]}"; do
			[ -n "${VM_SECONDS[i]:-}" ] && continue
			vm_console "$dir/vm$i.serial" | grep -aqE "$VM_DEAD_ENDS" && kill "${VM_PIDS[i]}" 2>/dev/null &&
				VM_STOPPED[i]=1
			kill -0 "${VM_PIDS[i]}" 2>/dev/null && continue
			wait "${VM_PIDS[i]}"
			VM_STATUS[i]=$?
			[ -n "${VM_STOPPED[i]:-}" ] && VM_STATUS[i]=stop
			VM_SECONDS[i]=$(($(date +%s) - VM_START))
			left=$((left - 1))
		done
	done
}
