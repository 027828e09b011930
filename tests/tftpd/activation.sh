# Every way in.tftpd is started on CentOS, with only the binary path
# changed: xinetd with the stock xinetd.d/tftp (wait=yes, socket on fd 0),
# systemd socket activation with LISTEN_FDS, and with the socket on stdin
# (tftp.service's StandardInput=socket). Privileges after start-up are read
# from /proc: chrooted, uid/gid nobody, no capabilities. With -t 0 the request
# it was started for is still served.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
netns_require
need_cmd xinetd systemd-socket-activate tftp
make_root
T=$(tmpdir)
netns_pair srv cli 198.18.32
S=198.18.32.1
NOBODY=$(id -u nobody)
cd "$T" || fail cd

# assert_dropped PID: chroot to $ROOT, all uids nobody, no capabilities.
assert_dropped() {
	local st=/proc/$1/status
	grep -qE "^Uid:\s+$NOBODY\s+$NOBODY\s+$NOBODY\s+$NOBODY$" "$st" || fail "uid: $(grep Uid $st)"
	grep -qE "^Gid:\s+$(id -g nobody)\s" "$st" || fail "gid: $(grep Gid $st)"
	for c in CapInh CapPrm CapEff CapBnd CapAmb; do
		grep -qE "^$c:\s+0+$" "$st" || fail "$c: $(grep $c $st)"
	done
	grep -qE "^NoNewPrivs:\s+1$" "$st" || fail "NoNewPrivs"
	[ "$(readlink /proc/$1/root)" = "$ROOT" ] || fail "root: $(readlink /proc/$1/root)"
}

# fetch_ok TAG: tftp-hpa fetches two files byte-exact.
fetch_ok() {
	netns_exec cli tftp $S -m binary -c get big.bin "$1.bin" || fail "$1: tftp"
	assert_same_file "$ROOT/big.bin" "$1.bin"
	netns_exec cli tftp $S -m binary -c get /grub/grub.cfg "$1.cfg" || fail "$1: tftp cfg"
	assert_same_file "$ROOT/grub/grub.cfg" "$1.cfg"
}

# 1. xinetd, stock file: server path and directory changed, enabled.
sed -e "s|/usr/sbin/in.tftpd|$TFTPD|" -e "s|/var/lib/tftpboot|$ROOT|" \
	-e 's/\(disable[[:space:]]*=\).*/\1 no/' \
	"$PXE_SRC/tests/tftpd/xinetd.d-tftp" >"$T/xinetd.conf"
grep -q "server_args.*= -s $ROOT$" "$T/xinetd.conf" || fail "xinetd.conf: $(cat "$T/xinetd.conf")"
netns_bg srv xinetd -dontfork -f "$T/xinetd.conf" -pidfile "$T/xinetd.pid"
XINETD=$BG_PID
wait_udp_port srv 69 || fail "xinetd did not bind"
fetch_ok xinetd
pid=$(ip netns pids "$NS_srv" | grep -vx "$XINETD" | head -1)
[ -n "$pid" ] && [ "$(readlink /proc/$pid/exe)" = "$(readlink -f "$TFTPD")" ] || fail "no tftpd"
assert_dropped "$pid"
kill "$pid"
wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || fail "tftpd ignored SIGTERM"
fetch_ok xinetd-again      # xinetd starts it again on the next request
pid2=$(ip netns pids "$NS_srv" | grep -vx "$XINETD" | head -1)
[ -n "$pid2" ] && [ "$pid2" != "$pid" ] || fail "xinetd did not start tftpd again"
kill "$pid2" "$XINETD"
wait_for 10 sh -c "! ip netns pids $NS_srv | grep -q ." || fail "processes left"

# 2. socket activation (LISTEN_FDS), exits after -t seconds idle
netns_bg srv systemd-socket-activate --datagram -l $S:69 "$TFTPD" -t 2 -s "$ROOT"
act=$BG_PID
wait_udp_port srv 69 || fail "systemd-socket-activate did not bind"
fetch_ok listenfds
[ "$(readlink /proc/$act/exe)" = "$(readlink -f "$TFTPD")" ] || fail "not exec'd"
assert_dropped "$act"
wait_for 20 sh -c "! kill -0 $act 2>/dev/null" || fail "no exit when idle"

# 3. the socket on stdin, as tftp.service's StandardInput=socket
netns_bg srv systemd-socket-activate --inetd --datagram -l $S:69 "$TFTPD" -t 2 -s "$ROOT"
act=$BG_PID
wait_udp_port srv 69 || fail "systemd-socket-activate --inetd did not bind"
fetch_ok stdin
assert_dropped "$act"
wait_for 20 sh -c "! kill -0 $act 2>/dev/null" || fail "no exit when idle (stdin)"

# 4. -t 0: the request it was started for is served, then it exits
netns_bg srv systemd-socket-activate --inetd --datagram -l $S:69 "$TFTPD" -t 0 -s "$ROOT"
act=$BG_PID
wait_udp_port srv 69 || fail "systemd-socket-activate -t 0 did not bind"
netns_exec cli timeout 20 tftp $S -m binary -c get big.bin t0.bin || fail "-t 0: tftp"
assert_same_file "$ROOT/big.bin" t0.bin
wait_for 20 sh -c "! kill -0 $act 2>/dev/null" || fail "no exit after the request (-t 0)"
echo PASS
