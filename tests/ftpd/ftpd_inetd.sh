#!/bin/bash
# inetd mode (listen=NO, listen_ipv6=NO): one session on fd 0, as systemd
# Accept=yes / xinetd start it; each connection gets its own process.
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd curl
need_cmd systemd-socket-activate
ftpd_setup 56
rand_file pub/big.bin 3000000
rand_file pub/small.bin 777
netns_bg srv systemd-socket-activate --accept --inetd -l 127.0.0.1:21 \
	"$FTPD" /dev/null -olisten=NO -olisten_ipv6=NO -oanon_root="$ROOT" \
	-oftp_username=nobody -oxferlog_enable=YES -ovsftpd_log_file="$T/vsftpd.log"
ACTIVATOR=$BG_PID
wait_tcp_port srv 21 || fail "systemd-socket-activate did not start"
URL="ftp://127.0.0.1/pub"
O="$T/out"
mkdir "$O"
srv() { netns_exec srv "$@"; }

srv curl -sS --fail -o "$O/epsv.bin" "$URL/big.bin" || fail "EPSV download"
assert_same_file "$ROOT/pub/big.bin" "$O/epsv.bin"
srv curl -sS --fail --disable-epsv -o "$O/pasv.bin" "$URL/small.bin" || fail "PASV download"
assert_same_file "$ROOT/pub/small.bin" "$O/pasv.bin"
srv curl -sS --fail --list-only "$URL/" | tr -d '\r' | sort >"$O/nlst" || fail "NLST"
printf 'big.bin\nsmall.bin\n' | cmp -s - "$O/nlst" || fail "NLST: $(cat "$O/nlst")"

# two sessions at once, each served by its own process
srv curl -sS --fail -o "$O/a.bin" "$URL/big.bin" &
A=$!
srv curl -sS --fail -o "$O/b.bin" "$URL/small.bin" || fail "second session"
wait $A || fail "first session"
assert_same_file "$ROOT/pub/big.bin" "$O/a.bin"
assert_same_file "$ROOT/pub/small.bin" "$O/b.bin"

# one log line per download, from as many processes as sessions
[ "$(grep -c 'OK DOWNLOAD' "$T/vsftpd.log")" = 4 ] || fail "log: $(cat "$T/vsftpd.log")"
pids=$(grep 'OK DOWNLOAD' "$T/vsftpd.log" | grep -o '\[pid [0-9]*\]' | sort -u | wc -l)
[ "$pids" = 4 ] || fail "$pids processes served 4 sessions: $(cat "$T/vsftpd.log")"
# every session's process has exited with its session
wait_for 10 sh -c "! pgrep -P $ACTIVATOR >/dev/null" || fail "a session process outlived its session"
echo ok
