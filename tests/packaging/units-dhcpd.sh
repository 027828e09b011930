# The stock CentOS dhcpd.service and ours (Type=notify, -user dhcpd -group
# dhcpd) run the way systemd runs them against the build's pxe-dhcpd, with
# the dhcpd user from our sysusers.d entry and /var/lib/dhcpd from our
# tmpfiles.d entry; busybox udhcpc, as a PXE client, gets an address, the
# boot file and next-server through each, and the lease is on disk; with
# the example we ship, BIOS, UEFI, iPXE and a fixed host get their files.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/packaging/lib.sh"
. "$PXE_SRC/tests/packaging/units.sh"

netns_require
need_cmd udhcpc python3 systemd-sysusers systemd-tmpfiles
need_daemon dhcpd
[ -f "$COMPAT/dhcpd.service" ] || skip "no stock units at $COMPAT"
systemd-sysusers "$PXE_SRC/systemd/sysusers-dhcpd.conf" || fail "systemd-sysusers"
getent passwd dhcpd >/dev/null || fail "sysusers.d entry made no dhcpd user"

cat >"$tmp/bound.sh" <<'SCRIPT'
#!/bin/sh
[ "$1" = bound ] && echo "ip=$ip siaddr=$siaddr boot_file=$boot_file router=$router" >>"$OUT"
exit 0
SCRIPT
chmod +x "$tmp/bound.sh"

# start_case N UNIT CONF: namespace pair srvN/cliN on 198.18.5N (the
# client without an address), /etc/dhcp holding CONF, a /var/lib/dhcpd made
# by our tmpfiles.d entry as at boot, and the unit started.
start_case() {
	local n=$1 unit=$2 conf=$3 dir="$tmp/case$1"
	mkdir -p "$dir/etc" "$dir/state"
	cp "$conf" "$dir/etc/dhcpd.conf"
	netns_pair "srv$n" "cli$n" "198.18.5$n"
	ip -n "$(ns_name "cli$n")" addr flush dev veth0
	private_fg "srv$n" "$dir/state:/var/lib/dhcpd" -- \
		systemd-tmpfiles --create "$PXE_SRC/systemd/tmpfiles-dhcpd.conf" ||
		fail "systemd-tmpfiles"
	[ "$(stat -c %U "$dir/state/dhcpd.leases")" = dhcpd ] ||
		fail "tmpfiles.d did not make a leases file owned by dhcpd"
	start_unit "srv$n" "$unit" "" "$dir/etc:/etc/dhcp" "$dir/state:/var/lib/dhcpd"
}

# pxe_client N MAC ARCH [UDHCPC-ARGS...]: a PXE ROM's request (vendor class
# PXEClient, option 93 = ARCH) from cliN with MAC; sets GOT to
# "ip=... siaddr=... boot_file=... router=..." and GOT_IP.
pxe_client() {
	local n=$1 mac=$2 arch=$3 out="$tmp/bound.$RANDOM"
	shift 3
	ip -n "$(ns_name "cli$n")" link set veth0 address "$mac"
	netns_exec "cli$n" env OUT="$out" \
		udhcpc -i veth0 -f -q -n -t 5 -T 1 -s "$tmp/bound.sh" \
		-V "PXEClient:Arch:$(printf %05d "$arch"):UNDI:002001" \
		-x "0x5d:$(printf %04x "$arch")" "$@" ||
		fail "cli$n $mac: udhcpc got no lease"
	GOT=$(cat "$out")
	GOT_IP=${GOT#ip=}
	GOT_IP=${GOT_IP%% *}
	echo "cli$n $mac arch $arch $*: $GOT"
}

# expect_boot FILE NET: GOT names FILE with next-server and router NET.1.
expect_boot() {
	[[ $GOT == *" siaddr=$2.1 boot_file=$1 router=$2.1" ]] ||
		fail "wanted boot file $1 from $2.1, got: $GOT"
}

# The stock unit and ours with a plain PXE subnet: an address from the
# range, the boot file, and the lease on disk before the client has it.
for n in 1 2; do
	unit=$([ $n = 1 ] && echo "$COMPAT" || echo "$PXE_SRC/systemd")/dhcpd.service
	net=198.18.5$n
	cat >"$tmp/plain$n.conf" <<CONF
default-lease-time 600;
max-lease-time 7200;
authoritative;
subnet $net.0 netmask 255.255.255.0 {
  range $net.100 $net.150;
  option routers $net.1;
  next-server $net.1;
  filename "pxelinux/pxelinux.0";
}
CONF
	start_case $n "$unit" "$tmp/plain$n.conf"
	pxe_client $n 52:54:00:00:00:0$n 0
	[ "${GOT_IP%.*}" = "$net" ] && [ "${GOT_IP##*.}" -ge 100 ] && [ "${GOT_IP##*.}" -le 150 ] ||
		fail "$unit: address $GOT_IP outside the range"
	expect_boot pxelinux/pxelinux.0 "$net"
	grep -q "^lease $GOT_IP {" "$tmp/case$n/state/dhcpd.leases" ||
		fail "$unit: lease $GOT_IP not in /var/lib/dhcpd/dhcpd.leases"
	echo "ok: $unit"
done

# Our unit with the example we ship (and print in dhcpd.conf(5)): BIOS,
# UEFI x64 (7 and 9), iPXE and the fixed host each get their file.
start_case 0 "$PXE_SRC/systemd/dhcpd.service" "$PXE_SRC/etc/dhcp/dhcpd.conf.example"
pxe_client 0 52:54:00:00:01:00 0
expect_boot pxelinux/pxelinux.0 198.18.50
pxe_client 0 52:54:00:00:01:07 7
expect_boot redhat/EFI/BOOT/BOOTX64.EFI 198.18.50
pxe_client 0 52:54:00:00:01:09 9
expect_boot redhat/EFI/BOOT/BOOTX64.EFI 198.18.50
pxe_client 0 52:54:00:00:01:00 0 -x 0x4d:69505845   # user class "iPXE"
expect_boot ipxe/boot.ipxe 198.18.50
pxe_client 0 52:54:00:12:34:01 7
[ "$GOT_IP" = 198.18.50.21 ] || fail "host ws01 did not get its fixed address"
expect_boot pxelinux/pxelinux.0 198.18.50
echo "ok: dhcpd.conf.example"
