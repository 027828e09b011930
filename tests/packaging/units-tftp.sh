# The stock CentOS tftp.socket + tftp.service, and ours, run the way
# systemd runs them (socket on stdin via systemd-socket-activate --inetd
# --datagram) against the build's pxe-tftpd; tftp-hpa's client fetches
# through each, bytes checked by sha256.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/packaging/lib.sh"
. "$PXE_SRC/tests/packaging/units.sh"

netns_require
need_cmd tftp systemd-socket-activate
need_daemon tftpd
[ -f "$COMPAT/tftp.service" ] || skip "no stock units at $COMPAT"

mkdir -p "$tmp/tftpboot/pxelinux"
head -c 1500000 /dev/urandom >"$tmp/tftpboot/pxelinux/pxelinux.0"
head -c 70000 /dev/urandom >"$tmp/tftpboot/initrd.img"
chmod -R a+rX "$tmp/tftpboot"

n=0
for unit in "$COMPAT/tftp.service" "$PXE_SRC/systemd/tftp.service"; do
	n=$((n + 1))
	net=198.18.7$n
	netns_pair "srv$n" "cli$n" "$net"
	start_unit "srv$n" "$unit" "" "$tmp/tftpboot:/var/lib/tftpboot"
	wait_udp_port "srv$n" 69 || fail "$unit: nothing listens on 69"
	for f in pxelinux/pxelinux.0 initrd.img; do
		out="$tmp/got.$n.${f##*/}"
		netns_exec "cli$n" tftp -m binary "$net.1" -c get "$f" "$out"
		assert_same_file "$tmp/tftpboot/$f" "$out"
	done
	echo "ok: $unit served both files"
done
