#!/bin/bash
# Start-up errors are fatal, name file:line like vsftpd's, and exit 1.
. "$PXE_SRC/tests/lib/netns.sh"
FTPD="$PXE_BUILD/ftpd/pxe-ftpd"
T=$(tmpdir)
export JOURNAL_STREAM=test   # log to stderr

expect_fail() {
	local want=$1
	shift
	"$FTPD" "$@" -obackground=NO 2>"$T/err"
	local rc=$?
	[ $rc = 1 ] || fail "exit $rc for $*"
	grep -q -- "$want" "$T/err" || fail "no \"$want\" in: $(cat "$T/err")"
}

printf 'anonymous_enable=YES\n\nno_such_key=1\n' >"$T/unknown.conf"
expect_fail "unknown.conf:3: no_such_key" "$T/unknown.conf"
printf 'hide_ids=perhaps\n' >"$T/badbool.conf"
expect_fail "badbool.conf:1: hide_ids" "$T/badbool.conf"
expect_fail "max_per_ip" /dev/null -omax_per_ip=lots
expect_fail "mutually exclusive" /dev/null -olisten=YES -olisten_ipv6=YES -oanon_root=/
expect_fail "not a directory" /dev/null -oanon_root="$T/none"
expect_fail "fd 0 is not" /dev/null -olisten=NO -olisten_ipv6=NO -oanon_root=/ </dev/null
expect_fail "cannot read\|No such file" "$T/missing.conf"
# No journal and no /dev/log: the error still reaches whoever reads stderr
# (a file or a pipe), as vsftpd's 500 OOPS does.
if [ -e /dev/log ]; then
	echo "skip stderr fallback: /dev/log exists"
else
	env -u JOURNAL_STREAM "$FTPD" "$T/unknown.conf" -obackground=NO 2>"$T/err"
	grep -q "unknown.conf:3: no_such_key" "$T/err" || fail "no error in a stderr file"
	env -u JOURNAL_STREAM "$FTPD" "$T/unknown.conf" -obackground=NO 2>&1 | cat >"$T/err"
	grep -q "unknown.conf:3: no_such_key" "$T/err" || fail "no error down a stderr pipe"
fi
"$FTPD" -v | grep -q '^pxe-ftpd ' || fail "-v"
"$FTPD" -x 2>/dev/null
[ $? = 2 ] || fail "usage exit status"
echo ok
