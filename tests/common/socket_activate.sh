#!/bin/bash
# Socket activation and inetd mode through the real systemd-socket-activate:
# svc_probe reports what svc.c sees (LISTEN_FDS, names, socket types, a
# socket on fd 0) and the test compares it with what was handed over.
set -u
. "$PXE_SRC/tests/lib/netns.sh"
need_cmd systemd-socket-activate ss
PROBE="$PXE_BUILD/tests/common/svc_probe"
[ -x "$PROBE" ] || fail "no $PROBE"
DIR=$(mktemp -d /tmp/pxe-svc.XXXXXX)
ACT_PID=""
trap 'rc=$?; [ -n "$ACT_PID" ] && kill "$ACT_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"; exit $rc' EXIT

SOCK_STREAM=1
SOCK_DGRAM=2

# A loopback port nothing listens on (UDP and TCP), from a bounded number of tries.
free_port() {
	local p i
	for i in $(seq 20); do
		p=$((20000 + RANDOM % 30000))
		ss -Hlnu "sport = :$p" | grep -q . || ss -Hlnt "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
	fail "no free port"
}

listening() { ss -Hln"$1" "sport = :$2" | grep -q .; }

# start OUT args...: systemd-socket-activate in the background, probe writing OUT.
start() {
	local out=$1
	shift
	systemd-socket-activate "$@" "$PROBE" "$out" 2>>"$DIR/activate.log" &
	ACT_PID=$!
}

finish() {
	wait_for 10 test -s "$1" || fail "probe wrote nothing: $(cat "$DIR/activate.log")"
	wait_for 10 grep -q '^stdin=' "$1" || fail "probe report incomplete"
	kill "$ACT_PID" 2>/dev/null
	wait "$ACT_PID" 2>/dev/null
	ACT_PID=""
}

expect() {
	local got
	got=$(cat "$1")
	[ "$got" = "$2" ] || fail "$3: got [$got] want [$2]"
	echo "ok: $3"
}

# 1. Two datagram sockets with names: LISTEN_FDS=2, LISTEN_FDNAMES=tftp:tftp-alt.
P1=$(free_port); P2=$(free_port)
start "$DIR/two" -l "127.0.0.1:$P1" -l "127.0.0.1:$P2" --datagram --fdname=tftp:tftp-alt
wait_for 10 listening u "$P2" || fail "activator not listening"
echo x >"/dev/udp/127.0.0.1/$P1"
finish "$DIR/two"
expect "$DIR/two" "fds=2
fd3=tftp:$SOCK_DGRAM
fd4=tftp-alt:$SOCK_DGRAM
stdin=none" "LISTEN_FDS with names"

# 2. inetd mode, datagram (xinetd wait=yes / StandardInput=socket): fd 0 is the socket.
P=$(free_port)
start "$DIR/dgram" -l "127.0.0.1:$P" --datagram --inetd
wait_for 10 listening u "$P" || fail "activator not listening"
echo x >"/dev/udp/127.0.0.1/$P"
finish "$DIR/dgram"
expect "$DIR/dgram" "fds=0
stdin=$SOCK_DGRAM" "inetd datagram socket on fd 0"

# 3. inetd mode, one accepted stream connection per child.
P=$(free_port)
start "$DIR/stream" -l "127.0.0.1:$P" --accept --inetd
wait_for 10 listening t "$P" || fail "activator not listening"
exec 5<>"/dev/tcp/127.0.0.1/$P"
finish "$DIR/stream"
exec 5>&-
expect "$DIR/stream" "fds=0
stdin=$SOCK_STREAM" "inetd stream connection on fd 0"
echo PASS
