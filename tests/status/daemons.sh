#!/bin/bash
# The three real daemons feed pxe-status: on a bridge in a namespace, a
# UEFI PC (busybox udhcpc sending option 93 = 7) gets a lease, GRUB's files
# and asks for a kernel that is not there; a BIOS PC gets the whole boot
# over TFTP and its install tree over FTP (curl). The live table must show
# the first STUCK at kernel with "File not found", the second done; the
# daemons' own log lines must tell the same through --from.
set -u
. "$PXE_SRC/tests/lib/netns.sh"
netns_require
need_cmd busybox tftp curl python3

STATUS="$PXE_BUILD/status/pxe-status"
DHCPD="$PXE_BUILD/dhcpd/pxe-dhcpd"
TFTPD="$PXE_BUILD/tftpd/pxe-tftpd"
FTPD="$PXE_BUILD/ftpd/pxe-ftpd"
for bin in "$STATUS" "$DHCPD" "$TFTPD" "$FTPD"; do
	[ -x "$bin" ] || fail "no $bin"
done
# The socket name is this test's own; LeakSanitizer cannot run in ftpd's chroot.
export PXE_EVENT_SOCKET="pxesuite-test-$$/events"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

T=$(tmpdir)
NET=198.18.95
SRV=$NET.1
netns_bridge lan $NET
netns_attach lan pc1 none
netns_attach lan pc2 none

mkdir -p "$T/tftp/pxelinux.cfg" "$T/tftp/grub" "$T/tftp/images" "$T/ftp/pub"
head -c 300000 /dev/urandom >"$T/tftp/grubx64.efi"
head -c 42000 /dev/urandom >"$T/tftp/pxelinux.0"
head -c 900000 /dev/urandom >"$T/tftp/images/vmlinuz"
head -c 2000000 /dev/urandom >"$T/tftp/images/initrd.img"
head -c 1500000 /dev/urandom >"$T/ftp/pub/install.img"
printf 'default linux\nlabel linux\n  kernel images/vmlinuz\n' >"$T/tftp/pxelinux.cfg/default"
printf 'linux /images/vmlinuz-missing\n' >"$T/tftp/grub/grub.cfg"
chmod -R a+rX "$T/tftp" "$T/ftp"
cat >"$T/dhcpd.conf" <<CONF
authoritative;
subnet $NET.0 netmask 255.255.255.0 {
  range $NET.100 $NET.110;
  next-server $SRV;
  filename "pxelinux.0";
}
CONF
cat >"$T/udhcpc.sh" <<'SH'
#!/bin/sh
[ "$1" = bound ] && ip addr add "$ip/$mask" dev "$interface"
exit 0
SH
chmod +x "$T/udhcpc.sh"

# The listener first: records sent before it binds are not kept.
netns_bg lan "$STATUS" --live --stuck 2 >"$T/screen" 2>"$T/status.err"
LIVE=$BG_PID
wait_for 10 grep -q 'MAC ' "$T/screen" || fail "no live table: $(cat "$T/status.err")"
netns_bg lan "$DHCPD" -d -cf "$T/dhcpd.conf" -lf "$T/dhcpd.leases" br0 >"$T/dhcpd.log" 2>&1
wait_udp_port lan 67 || fail "dhcpd did not start: $(cat "$T/dhcpd.log")"
netns_bg lan "$TFTPD" -L -v -a "$SRV" "$T/tftp" >"$T/tftpd.log" 2>&1
wait_udp_port lan 69 || fail "tftpd did not start: $(cat "$T/tftpd.log")"
netns_bg lan env JOURNAL_STREAM=test "$FTPD" /dev/null -obackground=NO -oanon_root="$T/ftp" \
	-oftp_username=nobody >"$T/ftpd.log" 2>&1
wait_tcp_port lan 21 || fail "ftpd did not start: $(cat "$T/ftpd.log")"

# pc NAME ARCH: the PC's DHCP as its firmware would ask (option 93, vendor class).
pc_dhcp() {
	timeout 30 ip netns exec "$(ns_name "$1")" busybox udhcpc -i eth0 -n -q -f -s "$T/udhcpc.sh" \
		-x "0x5d:$2" -V "PXEClient:Arch:$2:UNDI:003000" >/dev/null 2>&1 ||
		fail "$1 got no lease: $(cat "$T/dhcpd.log")"
}
tftp_get() {   # NAME FILE: fetch FILE into $T/NAME.FILE
	netns_exec "$1" tftp -m binary "$SRV" -c get "$2" "$T/$1.${2//\//_}" >/dev/null 2>&1
}
mac_of() { ip -n "$(ns_name "$1")" link show eth0 | awk '/ether/ {print $2}'; }
MAC1=$(mac_of pc1)
MAC2=$(mac_of pc2)

pc_dhcp pc1 0007
tftp_get pc1 grubx64.efi
assert_same_file "$T/tftp/grubx64.efi" "$T/pc1.grubx64.efi"
tftp_get pc1 grub/grub.cfg
netns_exec pc1 tftp -m binary "$SRV" -c get images/vmlinuz-missing "$T/pc1.missing" 2>&1 |
	grep -q 'File not found' || fail "a missing kernel was served"

pc_dhcp pc2 0000
for f in pxelinux.0 pxelinux.cfg/default images/vmlinuz images/initrd.img; do
	tftp_get pc2 "$f" || fail "pc2 tftp $f"
done
assert_same_file "$T/tftp/images/initrd.img" "$T/pc2.images_initrd.img"
netns_exec pc2 curl -sS --fail -o "$T/pc2.install.img" "ftp://$SRV/pub/install.img" ||
	fail "pc2 ftp: $(cat "$T/ftpd.log")"
assert_same_file "$T/ftp/pub/install.img" "$T/pc2.install.img"

addr='198\.18\.95\.1[01][0-9]'
row1="^$MAC1 $addr +UEFI x64 +kernel .*STUCK File not found \(/?images/vmlinuz-missing\)"
row2="^$MAC2 $addr +BIOS x86 +done "
wait_for 15 grep -Eq "$row1" "$T/screen" || fail "live: no STUCK kernel row for $MAC1: $(tail -4 "$T/screen")"
wait_for 15 grep -Eq "$row2" "$T/screen" || fail "live: no done row for $MAC2: $(tail -4 "$T/screen")"
kill -TERM "$LIVE"

# The same story from the daemons' log lines alone.
cat "$T/dhcpd.log" "$T/tftpd.log" "$T/ftpd.log" | "$STATUS" --json >"$T/logs.json" ||
	fail "pxe-status --json"
python3 - "$T/logs.json" "$MAC1" "$MAC2" <<'PY' || fail "logs tell another story: $(cat "$T/logs.json")"
import json, sys
board = json.load(open(sys.argv[1]))
pcs = {pc["mac"]: pc for pc in board["pcs"]}
assert set(pcs) == {sys.argv[2], sys.argv[3]}, pcs.keys()
stuck, done = pcs[sys.argv[2]], pcs[sys.argv[3]]
assert stuck["firmware"] == "UEFI" and stuck["stage"] == "kernel", stuck
assert stuck["error"]["reason"] == "File not found", stuck
assert stuck["error"]["file"].endswith("images/vmlinuz-missing"), stuck
assert stuck["client_ids"], stuck
assert done["firmware"] == "BIOS" and done["stage"] == "done", done
assert done["transfer"]["file"].endswith("pub/install.img"), done
assert done["transfer"]["bytes"] == 1500000, done
assert done["error"] is None, done
assert set(done["stage_secs"]) == {"dhcp", "bootloader", "config", "kernel", "initrd",
                                   "install-tree"}, done
assert board["counters"]["unattributable"] == 0, board
PY
echo PASS
