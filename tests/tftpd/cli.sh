# The command line: bad flags and values are clear errors with exit 64,
# -V prints a version, --help the usage, no socket and no -l is a usage
# error too, as is port 0 in -a, a start-up failure (a -s directory or the
# only directory missing, an -a host or -m file that cannot be found) is
# reported with in.tftpd's status, a missing one of several directories is
# only logged,
# a pid file that cannot be written is only logged, and -l keeps relative
# paths relative to where it started.
TFTPD="$PXE_BUILD/tftpd/pxe-tftpd"
fail() { echo "FAIL: $*" >&2; exit 1; }

# status_is WANT TEXT ARGS...: exit status WANT and TEXT on stderr.
status_is() {
	local want=$1 text=$2 err rc
	shift 2
	err=$("$TFTPD" "$@" 2>&1 </dev/null)
	rc=$?
	[ "$rc" = "$want" ] || fail "$*: exit $rc, want $want ($err)"
	printf '%s' "$err" | grep -qF -- "$text" || fail "$*: message lacks \"$text\": $err"
}

# free_port: a UDP port free on 127.0.0.1 now (these run outside a
# namespace, next to other tests; in.tftpd refuses port 0 as we do)
free_port() {
	python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

status_is 64 "unknown flag" -Z /tmp
status_is 64 "unknown flag" --bogus /tmp
status_is 64 "--blocksize: bad value \"70000\"" -B 70000 /tmp
status_is 64 "--blocksize: bad value \"12x\"" -B 12x /tmp
status_is 64 "--port-range: bad value" -R 9:3 /tmp
status_is 64 "--umask: bad value" -U 8 /tmp
status_is 64 "--retransmit: bad value" -T 5 /tmp
status_is 64 "--timeout: bad value" -t -1 /tmp
status_is 64 "--refuse: unknown option \"multicast\"" -r multicast /tmp
status_is 64 "missing value" /tmp -u
status_is 64 "no directory" -l
status_is 64 "-s needs exactly one directory" -s /tmp /var
status_is 64 "usage:" -Z
status_is 0 "pxe-tftpd" -V
status_is 0 "usage:" --help
status_is 64 "--address: bad value \"127.0.0.1:99999\"" -L -a 127.0.0.1:99999 /tmp
status_is 64 "no socket on standard input" /tmp
status_is 64 "--address: bad value \"127.0.0.1:0\"" -L -a 127.0.0.1:0 /tmp
status_is 66 "/nonexistent" -L -a 127.0.0.1:"$(free_port)" -s /nonexistent
status_is 66 "/nonexistent" -L -a 127.0.0.1:"$(free_port)" /nonexistent
# without -s a missing one of several directories is logged and left out
# (in.tftpd checks none at start-up)
# (3 s: an ASan build on a loaded machine may take over 1 s to log it)
err=$(timeout 3 "$TFTPD" -L -a 127.0.0.1:"$(free_port)" /nonexistent /tmp 2>&1 </dev/null)
rc=$?
[ "$rc" = 124 ] || fail "/nonexistent /tmp: exit $rc, want it running ($err)"
printf '%s' "$err" | grep -qF "/nonexistent: No such file or directory (not served)" ||
	fail "/nonexistent /tmp: not logged: $err"
# in.tftpd's statuses: 66 for an -a host that does not resolve and a -m
# file that cannot be opened, 78 for a bad rule
status_is 66 "cannot resolve \"no-such-host.invalid\"" -L -a no-such-host.invalid /tmp
status_is 78 "line 1: unknown flag" -L -a 127.0.0.1:"$(free_port)" -m "$PXE_SRC/tests/tftpd/remap-bad.rules" /tmp
status_is 66 "Cannot open map file: /nonexistent.rules: No such file" -L -a 127.0.0.1:"$(free_port)" \
	-m /nonexistent.rules /tmp
# a pid file that cannot be written is logged; the server runs on (in.tftpd)
err=$(timeout 3 "$TFTPD" -L -a 127.0.0.1:"$(free_port)" -P /nonexistent/t.pid /tmp 2>&1 </dev/null)
rc=$?
[ "$rc" = 124 ] || fail "-P /nonexistent/t.pid: exit $rc, want it running ($err)"
printf '%s' "$err" | grep -qF "cannot open pid file '/nonexistent/t.pid' for writing" ||
	fail "-P /nonexistent/t.pid: not logged: $err"

# -l becomes a daemon: a relative -s directory and -P file still name the
# ones in the directory it was started from.
T=$(mktemp -d)
mkdir "$T/boot"
(cd "$T" && "$TFTPD" -l -s boot -P t.pid -a 127.0.0.1:"$(free_port)") || fail "-l -s boot: exit $?"
for _ in $(seq 50); do [ -s "$T/t.pid" ] && break; sleep 0.1; done
pid=$(cat "$T/t.pid") || fail "-l -P t.pid: no pid file in the working directory"
root=$(readlink "/proc/$pid/root")
kill "$pid"
rm -rf "$T"
[ "$root" = "$T/boot" ] || fail "-l -s boot: chroot to $root, want $T/boot"
echo PASS
