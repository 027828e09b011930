# Write requests follow in.tftpd's rules: an existing world-writable file
# only, new files only with -c (mode from -U); octet, netascii and windowed;
# names are checked as for reads.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
netns_require
need_cmd tftp atftp
make_root
T=$(tmpdir)
W="$T/incoming"
mkdir "$W"
chmod 777 "$W"
for f in open.bin open2.bin open.txt; do : >"$W/$f"; chmod 666 "$W/$f"; done
echo keep >"$W/ro.bin"
chmod 644 "$W/ro.bin"
printf 'line one\nline two\r\nend\n' >"$T/text.txt"
netns_pair srv cli 198.18.35
S=198.18.35.1
start_tftpd srv "$T/log" 69 -a $S "$W"
start_tftpd srv "$T/log-c" 70 -a $S:70 -c -U 022 "$W"
cd "$T" || fail cd

netns_exec cli tftp $S -m binary -c put "$ROOT/big.bin" open.bin || fail "put"
assert_same_file "$ROOT/big.bin" "$W/open.bin"
netns_exec cli atftp --option "blksize 1468" --option "windowsize 16" -p -l "$ROOT/big.bin" \
	-r open2.bin $S >/dev/null 2>&1 || fail "atftp put"
assert_same_file "$ROOT/big.bin" "$W/open2.bin"
netns_exec cli tftp $S -m ascii -c put "$T/text.txt" open.txt || fail "put ascii"
assert_same_file "$T/text.txt" "$W/open.txt"

netns_exec cli tftp $S -m binary -c put "$ROOT/small.bin" ro.bin 2>&1 | grep -q "Permission denied" ||
	fail "read-only file accepted"
[ "$(cat "$W/ro.bin")" = keep ] || fail "read-only file changed"
netns_exec cli tftp $S -m binary -c put "$ROOT/small.bin" new.bin 2>&1 | grep -q "File not found" ||
	fail "new file without -c"
[ ! -e "$W/new.bin" ] || fail "created without -c"
netns_exec cli tftp $S -m binary -c put "$ROOT/small.bin" ../escape.bin 2>&1 |
	grep -q "Error code 2" || fail "put ../"
[ ! -e "$T/escape.bin" ] || fail "written outside"

netns_exec cli tftp $S 70 -m binary -c put "$ROOT/small.bin" new.bin || fail "put -c"
assert_same_file "$ROOT/small.bin" "$W/new.bin"
[ "$(stat -c %a:%U "$W/new.bin")" = "644:nobody" ] || fail "mode $(stat -c %a:%U "$W/new.bin")"
assert_log "$T/log" "WRQ from 198.18.35.2 filename open.bin"
assert_log "$T/log" "3000000 bytes, blksize 1468, windowsize 16"
echo PASS
