# SIGHUP re-reads the -m file with -s too (the stock units' flag): the
# chrooted server re-reads the file it opened at start-up, never a file of
# the same name under the served directory; a file replaced since then is
# reported and the old rules kept.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
box_setup
printf 'r ^alias$ small.bin\n' >"$T/rules"
mkdir -p "$ROOT/$T"     # the rules' path as seen inside the chroot
printf 'r ^alias$ k1.bin\n' >"$ROOT/$T/rules"
chmod -R a+rX "$ROOT"
start_tftpd box "$T/log" 69 -a 127.0.0.1 -s -m "$T/rules" "$ROOT"

# alias_serves FILE: "alias" fetches FILE byte-exact.
alias_serves() {
	local out
	out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 alias "$T/got") || fail "alias: $out"
	assert_same_file "$1" "$T/got"
	rm -f "$T/got"
}
alias_serves "$ROOT/small.bin"

printf 'r ^alias$ big.bin\n' >"$T/rules"    # edited in place
kill -HUP "$TFTPD_PID"
assert_log "$T/log" "SIGHUP: 1 remap rules loaded"
alias_serves "$ROOT/big.bin"

printf 'r ^alias$ small.bin\n' >"$T/rules.new"
mv "$T/rules.new" "$T/rules"                 # replaced, as sed -i does
kill -HUP "$TFTPD_PID"
assert_log "$T/log" "replaced or removed since start-up"
alias_serves "$ROOT/big.bin"
echo PASS
