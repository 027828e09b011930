# pxe-ftpd test helpers: a server namespace "srv" (198.18.$NET.1) and a
# client namespace "cli" (.2) on a veth pair, a scratch install tree, and
# the server started in the foreground as nobody, chrooted to the tree.
. "$PXE_SRC/tests/lib/netns.sh"

FTPD="$PXE_BUILD/ftpd/pxe-ftpd"
# LeakSanitizer needs /proc, which the chroot hides
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# ftpd_client.py is imported by the test scripts: no __pycache__ in the source tree
export PYTHONDONTWRITEBYTECODE=1

# ftpd_setup NET: namespaces, $T (scratch), $ROOT (anon root with pub/), $SRV.
ftpd_setup() {
	netns_require
	[ -x "$FTPD" ] || fail "no $FTPD"
	netns_pair srv cli "198.18.$1"
	SRV="198.18.$1.1"
	T=$(tmpdir)
	ROOT="$T/root"
	mkdir -p "$ROOT/pub"
	chmod 755 "$ROOT" "$ROOT/pub"
}

# ftpd_start CONFFILE [-oKEY=VALUE...]: runs pxe-ftpd in srv; $FTPD_PID.
ftpd_start() {
	local conf=$1
	shift
	netns_bg srv "$FTPD" "$conf" -obackground=NO -oanon_root="$ROOT" -oftp_username=nobody \
		"$@"
	FTPD_PID=$BG_PID
	wait_tcp_port srv 21 || fail "pxe-ftpd did not start"
}

cli() { netns_exec cli "$@"; }

# A file of N bytes of random data under the root.
rand_file() { head -c "$2" /dev/urandom >"$ROOT/$1"; chmod 644 "$ROOT/$1"; }
