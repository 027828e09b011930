# The stock CentOS vsftpd.service (Type=forking) with the stock vsftpd.conf,
# and our vsftpd.service (Type=notify) and vsftpd@.service with our
# vsftpd.conf, run the way systemd runs them against the build's pxe-ftpd;
# curl fetches from each, bytes checked by sha256, and the transfer is in
# /var/log/xferlog as the stock file asks.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/packaging/lib.sh"
. "$PXE_SRC/tests/packaging/units.sh"

netns_require
need_cmd curl python3 systemd-sysusers
need_daemon ftpd
[ -f "$COMPAT/vsftpd.service" ] || skip "no stock units at $COMPAT"
# The anonymous user, as our sysusers.d entry creates it where it is missing.
systemd-sysusers "$PXE_SRC/systemd/sysusers-ftpd.conf" || fail "systemd-sysusers"
getent passwd ftp >/dev/null || fail "sysusers.d entry made no ftp user"

# run_case N UNIT INSTANCE CONF: serve a fresh tree with CONF as the unit
# names it (/etc/vsftpd/vsftpd.conf or /etc/vsftpd/INSTANCE.conf).
run_case() {
	local n=$1 unit=$2 instance=$3 conf=$4 net=198.18.8$1 dir="$tmp/case$1"
	mkdir -p "$dir/etc" "$dir/ftp/pub/images" "$dir/log"
	cp "$conf" "$dir/etc/${instance:-vsftpd}.conf"
	head -c 3000000 /dev/urandom >"$dir/ftp/pub/images/install.img"
	chmod -R a+rX "$dir/ftp"
	netns_pair "srv$n" "cli$n" "$net"
	start_unit "srv$n" "$unit" "$instance" \
		"$dir/etc:/etc/vsftpd" "$dir/ftp:/var/ftp" "$dir/log:/var/log"
	wait_tcp_port "srv$n" 21 || fail "$unit: nothing listens on 21"
	netns_exec "cli$n" curl -sS --max-time 30 -o "$dir/got" \
		"ftp://$net.1/pub/images/install.img" || fail "$unit: curl failed"
	assert_same_file "$dir/ftp/pub/images/install.img" "$dir/got"
	wait_for 10 grep -q 'pub/images/install.img' "$dir/log/xferlog" ||
		fail "$unit: the transfer is not in /var/log/xferlog"
	echo "ok: $unit with $(basename "$conf")"
}

run_case 1 "$COMPAT/vsftpd.service" "" "$COMPAT/vsftpd.conf"
run_case 2 "$PXE_SRC/systemd/vsftpd.service" "" "$PXE_SRC/etc/vsftpd/vsftpd.conf"
run_case 3 "$PXE_SRC/systemd/vsftpd@.service" site2 "$PXE_SRC/etc/vsftpd/vsftpd.conf"
