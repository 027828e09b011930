#!/bin/bash
# curl against pxe-ftpd: EPSV, PASV, active mode, resume, listings.
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd curl
ftpd_setup 51
rand_file pub/big.bin 5000000
rand_file pub/small.bin 1000
ftpd_start /dev/null -opasv_min_port=30000 -opasv_max_port=30009 -odual_log_enable=YES \
	-ovsftpd_log_file="$T/vsftpd.log" -oxferlog_file="$T/xferlog"
URL="ftp://$SRV/pub"
O="$T/out"
mkdir "$O"

# the installer's sequence: PWD, EPSV, TYPE I, SIZE, RETR
cli curl -sS -v --fail -o "$O/epsv.bin" "$URL/big.bin" 2>"$T/epsv.log" || fail "EPSV download"
assert_same_file "$ROOT/pub/big.bin" "$O/epsv.bin"
grep -q '^< 229 Entering Extended Passive Mode (|||3000[0-9]|)' "$T/epsv.log" ||
	fail "EPSV port outside pasv_min/max_port: $(grep '< 229' "$T/epsv.log")"

cli curl -sS --fail --disable-epsv -o "$O/pasv.bin" "$URL/big.bin" || fail "PASV download"
assert_same_file "$ROOT/pub/big.bin" "$O/pasv.bin"

cli curl -sS --fail --ftp-port 198.18.51.2 -o "$O/active.bin" "$URL/big.bin" ||
	fail "active-mode download"
assert_same_file "$ROOT/pub/big.bin" "$O/active.bin"
cli curl -sS --fail --ftp-port - --disable-eprt -o "$O/port.bin" "$URL/small.bin" ||
	fail "PORT download"
assert_same_file "$ROOT/pub/small.bin" "$O/port.bin"

# resume: the first 1234567 bytes, then -C - fetches the rest with REST
head -c 1234567 "$ROOT/pub/big.bin" >"$O/resume.bin"
cli curl -sS --fail -C - -o "$O/resume.bin" "$URL/big.bin" 2>"$T/resume.err" || fail "resume"
assert_same_file "$ROOT/pub/big.bin" "$O/resume.bin"

# listings: LIST in vsftpd's format, NLST names
cli curl -sS --fail "$URL/" >"$O/list" || fail "LIST"
grep -Eq '^-rw-r--r-- +1 [0-9]+ +[0-9]+ +5000000 [A-Z][a-z]{2} [ 0-9][0-9] ([0-9]{2}:[0-9]{2}| [0-9]{4}) big\.bin$' \
	<(tr -d '\r' <"$O/list") || fail "LIST line: $(cat "$O/list")"
cli curl -sS --fail --list-only "$URL/" | tr -d '\r' | sort >"$O/nlst"
printf 'big.bin\nsmall.bin\n' | cmp -s - "$O/nlst" || fail "NLST: $(cat "$O/nlst")"
# globs and ls options, as curl -X sends them
cli curl -sS --fail -X 'NLST -a s*.bin' "$URL/" | tr -d '\r' >"$O/glob" || fail "NLST glob"
printf 'small.bin\n' | cmp -s - "$O/glob" || fail "NLST s*.bin: $(cat "$O/glob")"
cli curl -sS --fail -X 'LIST -l *.bin' "$URL/" | tr -d '\r' | grep -c '^-rw' >"$O/globlist"
[ "$(cat "$O/globlist")" = 2 ] || fail "LIST -l *.bin: $(cat "$O/globlist") lines"

# vsftpd's own log format (xferlog_std_format=NO), one line per download
grep -Eq '^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4} \[pid [0-9]+\] \[nobody\] OK DOWNLOAD: Client "198\.18\.51\.2", "/pub/big\.bin", 5000000 bytes, [0-9.]+Kbyte/sec$' \
	"$T/vsftpd.log" || fail "vsftpd log: $(cat "$T/vsftpd.log")"
[ "$(grep -c 'OK DOWNLOAD' "$T/vsftpd.log")" = 5 ] || fail "vsftpd log lines: $(cat "$T/vsftpd.log")"
# and its session lines, as vsftpd writes them
grep -Eq '\[pid [0-9]+\] CONNECT: Client "198\.18\.51\.2"$' "$T/vsftpd.log" || fail "no CONNECT line"
grep -Eq '\[pid [0-9]+\] \[nobody\] OK LOGIN: Client "198\.18\.51\.2", anon password "[^"]*"$' \
	"$T/vsftpd.log" || fail "no OK LOGIN line"

# a missing file is a 550, not a hang; logged as vsftpd logs it (no SIZE
# first: curl would stop at its 550)
cli curl -sS --ignore-content-length -o /dev/null "$URL/none.bin" 2>/dev/null &&
	fail "missing file downloaded"
grep -Eq '\[nobody\] FAIL DOWNLOAD: Client "198\.18\.51\.2", "/pub/none\.bin", 0\.00Kbyte/sec$' \
	"$T/vsftpd.log" || fail "no FAIL DOWNLOAD line: $(cat "$T/vsftpd.log")"
# dual_log_enable (on its own, as vsftpd's): the xferlog(5) lines too
[ "$(grep -c ' b _ o a .* ftp 0 \* c$' "$T/xferlog")" = 5 ] || fail "xferlog: $(cat "$T/xferlog")"
grep -q ' 0 /pub/none\.bin b _ o a .* ftp 0 \* i$' "$T/xferlog" || fail "xferlog: $(cat "$T/xferlog")"

# anon_max_rate paces the sendfile loop; the bytes stay exact
kill "$FTPD_PID"
wait "$FTPD_PID" 2>/dev/null
wait_for 10 sh -c "! ip netns exec $(ns_name srv) ss -Hltn | grep -q ':21 '" || fail "port 21 held"
ftpd_start /dev/null -oanon_max_rate=8000000
cli curl -sS --fail -o "$O/paced.bin" "$URL/big.bin" || fail "rate-limited download"
assert_same_file "$ROOT/pub/big.bin" "$O/paced.bin"
echo "ok"
