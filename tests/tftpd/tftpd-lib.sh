# Shared by the tftpd shell tests: a served tree with known files, and the
# server started in a namespace with its log captured.
. "$PXE_SRC/tests/lib/netns.sh"

TFTPD="$PXE_BUILD/tftpd/pxe-tftpd"
TFTPC=(python3 "$PXE_SRC/tests/tftpd/tftpc.py")
[ -x "$TFTPD" ] || fail "no $TFTPD"

# make_root: $ROOT with files of sizes around block boundaries, a
# pxelinux-like tree, a text file, and an unreadable one.
make_root() {
	ROOT="$(tmpdir)/root"
	mkdir -p "$ROOT/pxelinux.cfg" "$ROOT/grub" "$ROOT/sub/dir"
	head -c 3000000 /dev/urandom >"$ROOT/big.bin"
	head -c 1024 /dev/urandom >"$ROOT/k1.bin"          # 2 full blocks + an empty one
	head -c 43520 /dev/urandom >"$ROOT/b85.bin"        # 85 full blocks of 512
	head -c 20000 /dev/urandom >"$ROOT/small.bin"
	printf 'default menu\nlabel a\r\n  kernel x\n' >"$ROOT/pxelinux.cfg/default"
	printf 'set timeout=1\n' >"$ROOT/grub/grub.cfg"
	cp "$ROOT/small.bin" "$ROOT/sub/dir/deep.bin"
	echo secret >"$ROOT/private.txt"
	chmod -R a+rX "$ROOT"
	chmod 600 "$ROOT/private.txt"
}

# box_setup: one namespace "box" (tests over its loopback), $ROOT, $T.
box_setup() {
	netns_require
	need_cmd python3
	make_root
	T=$(tmpdir)
	netns_add box
}

# start_tftpd NS LOG PORT ARGS...: standalone in the foreground, logging to LOG.
start_tftpd() {
	local ns=$1 log=$2 port=$3
	shift 3
	netns_bg "$ns" "$TFTPD" -L -v "$@" >"$log" 2>&1
	TFTPD_PID=$BG_PID
	wait_udp_port "$ns" "$port" || { cat "$log" >&2; fail "tftpd did not start"; }
}

# assert_log FILE TEXT: the server logged a line containing TEXT.
assert_log() {
	wait_for 5 grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "log lacks: $2"; }
}

# kv KEY OUTPUT: a key=value field of tftpc.py's output.
kv() { printf '%s\n' "$2" | sed -n "s/^$1=//p"; }
