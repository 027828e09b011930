#!/bin/bash
# Boot file choice on the wire (issue 6): the test client sends arch 0, 6,
# 7, 9, 11, user-class iPXE and vendor class PXEClient/HTTPClient; the
# server answers with the right file and next-server, in Red Hat's ISC
# form (compat/centos7, unchanged) and in the declarative form.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd python3
T=$(tmpdir)
netns_pair srv cli 198.18.50
ip -n "$NS_cli" addr flush dev veth0
cp "$PXE_SRC/../shared/compat/centos7/dhcpd.conf-pxe-uefi-bios" "$T/isc.conf"
cat >"$T/declarative.conf" <<'CONF'
subnet 198.18.50.0 netmask 255.255.255.0 {
  range 198.18.50.100 198.18.50.200;
  next-server 198.18.50.1;
  filename "pxelinux/pxelinux.0";
  filename uefi-x64 "redhat/EFI/BOOT/BOOTX64.EFI";
  filename uefi-ia32 "efi32/bootia32.efi";
  filename uefi-arm64 "efi/grubaa64.efi";
  filename http-x64 "http://198.18.50.1/EFI/BOOT/BOOTX64.EFI";
  filename ipxe "http://198.18.50.1/boot.ipxe";
}
CONF

# check ARCH VENDOR USER_CLASS WANT_FILE [WANT_OPTION_60]
n=0
check() {
	n=$((n + 1))
	local args=(--arch "$1" --vendor "$2") mac
	[ -n "$3" ] && args+=(--user-class "$3")
	mac=$(printf '02:00:00:00:%02x:%02x' "$form_id" "$n")
	local r
	r=$(dhcp cli "${args[@]}" veth0 "$mac" dora | tail -1)
	expect "$form: arch $1 ${3:+$3 }file" "$(json file <<<"$r")" "$4"
	expect "$form: arch $1 next-server" "$(json siaddr <<<"$r")" 198.18.50.1
	[ -z "$5" ] || expect "$form: arch $1 option 60" "$(json options.60 <<<"$r")" "$5"
}

form=isc form_id=1
start_dhcpd srv "$T/isc.conf" "$T/isc.leases" veth0
check 0 PXEClient:Arch:00000:UNDI:002001 "" pxelinux/pxelinux.0
check 7 PXEClient:Arch:00007:UNDI:003016 "" redhat/EFI/BOOT/BOOTX64.EFI
check 9 PXEClient:Arch:00009:UNDI:003016 "" redhat/EFI/BOOT/BOOTX64.EFI
r=$(dhcp cli --arch 7 --vendor PXEClient:Arch:00007:UNDI:003016 veth0 52:54:00:12:34:01 dora | tail -1)
expect "isc: host entry address" "$(json yiaddr <<<"$r")" 198.18.50.21
expect "isc: host entry file" "$(json file <<<"$r")" pxelinux/pxelinux.0
kill "$DHCPD_PID"
wait "$DHCPD_PID" 2>/dev/null

form=declarative form_id=2
start_dhcpd srv "$T/declarative.conf" "$T/declarative.leases" veth0
check 0 PXEClient:Arch:00000:UNDI:002001 "" pxelinux/pxelinux.0
check 6 PXEClient:Arch:00006:UNDI:003016 "" efi32/bootia32.efi
check 7 PXEClient:Arch:00007:UNDI:003016 "" redhat/EFI/BOOT/BOOTX64.EFI
check 9 PXEClient:Arch:00009:UNDI:003016 "" redhat/EFI/BOOT/BOOTX64.EFI
check 11 PXEClient:Arch:00011:UNDI:003016 "" efi/grubaa64.efi
check 16 HTTPClient:Arch:00016:UNDI:003001 "" http://198.18.50.1/EFI/BOOT/BOOTX64.EFI HTTPClient
check 7 PXEClient:Arch:00007:UNDI:003016 iPXE http://198.18.50.1/boot.ipxe
echo PASS
