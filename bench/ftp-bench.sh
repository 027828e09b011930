#!/bin/bash
# pxe-ftpd against vsftpd and pure-ftpd, one after the other, each in a
# fresh server namespace (198.18.60.1) with the clients in another (.2).
# Not a test: it prints a table. Wall-clock rates on shared machines swing
# 30-50 %, so the server's own CPU time per GB, per file and per login, and
# the PSS of all its processes per idle session, stand beside them. CPU is
# read from a cpuacct cgroup holding the daemon and every process it forks
# (vsftpd's session processes exit unreaped by the listener, so /proc's
# cutime would miss them); without cgroup v1 cpuacct, from /proc.
#
#   PXE_BUILD=build bench/ftp-bench.sh [pxe-ftpd vsftpd pure-ftpd]
#
# Needs root, curl, lftp, python3; vsftpd and pure-ftpd are unpacked from
# their Debian packages (apt-get download + dpkg -x) into a scratch dir,
# never installed or started as services.
set -u
PXE_SRC=${PXE_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
PXE_BUILD=${PXE_BUILD:-$PXE_SRC/build}
. "$PXE_SRC/tests/lib/netns.sh"
netns_require
need_cmd curl lftp python3 dpkg-deb apt-get
SERVERS=${*:-pxe-ftpd vsftpd pure-ftpd}
SRV=198.18.60.1
T=$(tmpdir)
ROOT="$T/root"
HZ=$(getconf CLK_TCK)

make_tree() {
	mkdir -p "$ROOT/pub/small"
	head -c $((256 << 20)) /dev/urandom >"$ROOT/pub/big.bin"
	for i in $(seq 1 2000); do
		head -c $((RANDOM % 8000 + 100)) /dev/urandom >"$ROOT/pub/small/f$i.rpm"
	done
	chmod -R a+rX,go-w "$ROOT"
	(cd "$ROOT/pub/small" && ls) | sed 's|^|pub/small/|' >"$T/small.list"
}

unpack_peers() {
	mkdir -p "$T/pkgs"
	(cd "$T/pkgs" && apt-get download -q vsftpd pure-ftpd >/dev/null 2>&1) ||
		fail "apt-get download vsftpd pure-ftpd"
	for deb in "$T"/pkgs/*.deb; do dpkg-deb -x "$deb" "$T/peers"; done
	mkdir -p "$T/empty"
	# vsftpd starts in the home of ftp_username and pure-ftpd serves the
	# home of "ftp": such a user lives in a passwd file bind-mounted only
	# inside the server's mount namespace (ip netns exec makes one)
	grep -v '^ftp:' /etc/passwd >"$T/passwd"
	echo "ftp:x:65534:65534:ftp:$ROOT:/usr/sbin/nologin" >>"$T/passwd"
}

start_server() {
	netns_pair srv cli 198.18.60
	local ns
	ns=$(ns_name srv)
	case $1 in
	pxe-ftpd)
		ASAN_OPTIONS=detect_leaks=0 netns_bg srv "$PXE_BUILD/ftpd/pxe-ftpd" /dev/null \
			-obackground=NO -oanon_root="$ROOT" -oftp_username=nobody -omax_per_ip=0 \
			-omax_clients=0 ;;
	vsftpd)
		: >"$T/vsftpd.conf"   # vsftpd wants a regular file owned by root
		netns_bg srv sh -c "mount --bind $T/passwd /etc/passwd && exec $T/peers/usr/sbin/vsftpd \
			$T/vsftpd.conf -olisten=YES -obackground=NO -oanon_root=$ROOT -oftp_username=ftp \
			-omax_per_ip=0 -omax_clients=0 -osecure_chroot_dir=$T/empty" ;;
	pure-ftpd)
		netns_bg srv sh -c "mount --bind $T/passwd /etc/passwd && exec $T/peers/usr/sbin/pure-ftpd \
			-e -S $SRV,21 -c 1000 -C 1000 -A -H" ;;
	esac
	SERVER_PID=$BG_PID
	wait_tcp_port srv 21 || fail "$1 did not start"
	# the daemon itself (netns_bg's pid may be a shell that exec'd it)
	DAEMON=$(ip netns pids "$ns" | sort -n | head -1)
	cg_join || fail "cannot join $CG"
}

stop_server() {
	kill "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	netns_cleanup_now
	sleep 0.5
	cg_leave
}

# All namespaces of one server run go away before the next.
netns_cleanup_now() {
	local ns pid
	for ns in "${NETNS_LIST[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	NETNS_LIST=()
	NETNS_PIDS=()
}

CG=/sys/fs/cgroup/cpuacct/pxe-ftp-bench.$$

# The daemon and all it forks from now on go into a cpuacct cgroup.
cg_join() {
	[ -d "${CG%/*}" ] || return 0
	mkdir -p "$CG" && echo "$DAEMON" >"$CG/cgroup.procs"
}

cg_leave() {
	[ -d "$CG" ] && rmdir "$CG" 2>/dev/null
}

# CPU milliseconds of the daemon and its sessions.
cpu_ms() {
	if [ -f "$CG/cpuacct.usage" ]; then
		echo $(($(cat "$CG/cpuacct.usage") / 1000000))
	else
		awk -v hz="$HZ" '{print int(($14 + $15 + $16 + $17) * 1000 / hz)}' "/proc/$DAEMON/stat"
	fi
}

# PSS (kB) of every process in the server namespace.
pss_kb() {
	local total=0 pid kb
	for pid in $(ip netns pids "$(ns_name srv)"); do
		kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null)
		total=$((total + ${kb:-0}))
	done
	echo "$total"
}

now() { date +%s.%N; }

# measure NAME UNITS CMD...: runs CMD in the client namespace; prints wall
# seconds and server CPU ms per unit.
measure() {
	local name=$1 units=$2
	shift 2
	sleep 0.5
	local c0 t0 t1 c1
	c0=$(cpu_ms)
	t0=$(now)
	netns_exec cli "$@" >"$T/out.log" 2>&1 || echo "  ($name: client reported errors: $(tail -1 "$T/out.log"))"
	t1=$(now)
	sleep 1   # let session processes end
	c1=$(cpu_ms)
	awk -v n="$name" -v s="$SERVER" -v u="$units" -v w="$(echo "$t1 - $t0" | bc)" \
		-v c="$((c1 - c0))" \
		'BEGIN { printf "%-10s %-28s wall %7.2fs  server cpu %7d ms  %10.3f ms/unit\n", s, n, w, c, c / u }'
}

client_py() {
	cat >"$T/clients.py" <<'EOF'
import ftplib, socket, sys, threading, time
mode, host = sys.argv[1], sys.argv[2]
if mode == "logins":
    for _ in range(int(sys.argv[3])):
        f = ftplib.FTP(); f.connect(host, 21, timeout=30); f.login(); f.quit()
elif mode == "idle":
    held = []
    for _ in range(int(sys.argv[3])):
        f = ftplib.FTP(); f.connect(host, 21, timeout=60); f.login(); held.append(f)
    open(sys.argv[4], "w").write("ready\n")
    time.sleep(float(sys.argv[5]))
elif mode == "curlseq":
    # curl's per-file sequence (EPSV, TYPE I, SIZE, RETR) over N sessions
    files = open(sys.argv[4]).read().split()
    n = int(sys.argv[3])
    def session(part):
        f = ftplib.FTP(); f.connect(host, 21, timeout=30); f.login(); f.pwd()
        for path in part:
            port = int(f.sendcmd("EPSV").split("|")[3])
            data = socket.create_connection((host, port), timeout=30)
            f.voidcmd("TYPE I"); f.size(path)
            f.sendcmd("RETR " + path)
            while data.recv(65536):
                pass
            data.close(); f.voidresp()
        f.quit()
    threads = [threading.Thread(target=session, args=(files[i::n],)) for i in range(n)]
    for t in threads: t.start()
    for t in threads: t.join()
elif mode == "burst":
    socks = [socket.socket() for _ in range(int(sys.argv[3]))]
    for s in socks:
        s.setblocking(False); s.connect_ex((host, 21))
    ok, deadline = 0, time.time() + 30   # all greeted within 30 s, or counted as not
    for s in socks:
        s.setblocking(True); s.settimeout(max(0.1, deadline - time.time()))
        try:
            ok += s.makefile("rb").readline().startswith(b"220")
        except OSError:
            pass
    print("burst greeted", ok, "of", len(socks))
    if ok != len(socks):
        sys.exit(1)
EOF
}

many_curls() {
	local n=$1 url=$2 i
	for i in $(seq 1 "$n"); do curl -sS --fail -o /dev/null "$url" & done
	wait
}

run_server() {
	SERVER=$1
	cat "$ROOT/pub/big.bin" "$ROOT"/pub/small/* >/dev/null   # every server starts warm
	start_server "$1"
	measure "256MB x1" 0.25 curl -sS --fail -o /dev/null "ftp://$SRV/pub/big.bin"
	measure "256MB x40 (per GB)" 10 bash -c "$(declare -f many_curls); many_curls 40 ftp://$SRV/pub/big.bin"
	measure "2000 files lftp x1" 2000 lftp -e "mirror --parallel=1 /pub/small $T/m1-$1; quit" "ftp://$SRV"
	measure "2000 files lftp x8" 2000 lftp -e "mirror --parallel=8 /pub/small $T/m8-$1; quit" "ftp://$SRV"
	measure "2000 files curl-seq x1" 2000 python3 "$T/clients.py" curlseq "$SRV" 1 "$T/small.list"
	measure "2000 files curl-seq x8" 2000 python3 "$T/clients.py" curlseq "$SRV" 8 "$T/small.list"
	measure "200 logins" 200 python3 "$T/clients.py" logins "$SRV" 200
	measure "burst 300 connects" 300 python3 "$T/clients.py" burst "$SRV" 300
	local base ready="$T/ready-$1"
	sleep 1
	base=$(pss_kb)
	netns_bg cli python3 "$T/clients.py" idle "$SRV" 500 "$ready" 20
	IDLE_PID=$BG_PID
	wait_for 60 test -f "$ready" || echo "  (500 idle sessions not all opened)"
	sleep 1
	local loaded
	loaded=$(pss_kb)
	echo "$SERVER PSS idle: base ${base} kB, with 500 sessions ${loaded} kB," \
		"$(( (loaded - base) / 500 )) kB per idle session"
	kill "$IDLE_PID" 2>/dev/null
	wait "$IDLE_PID" 2>/dev/null
	stop_server
}

need_cmd bc
# the cgroup goes too, once what is in it (only our daemons) is gone
trap 'rc=$?; for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do kill -9 "$p"; done; sleep 0.3
	cg_leave; (exit $rc); netns_cleanup' EXIT
make_tree
unpack_peers
client_py
echo "# units: 256MB x1 -> per GB; x40 -> per GB (10 GB); files; logins; connections"
for s in $SERVERS; do run_server "$s"; done
