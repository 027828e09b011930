# Real-client test harness: network namespaces joined by veth pairs, with
# addresses in 198.18.0.0/15, removed on exit whatever happens.
#
#   . "$PXE_SRC/tests/lib/netns.sh"
#   netns_require             # exit 77 (skipped) without root or netns
#   netns_pair srv cli 198.18.7   # namespaces $NS_srv, $NS_cli; srv=.1 cli=.2 /24
#   netns_exec srv cmd...     # run in a namespace
#   netns_bg srv cmd...       # start in the background; pid in $BG_PID, killed on exit
#   netns_bridge lan 198.18.9 # a namespace "lan" with bridge br0 = .1/24
#   netns_attach lan host2 198.18.9.2  # a new namespace on that bridge
#   need_cmd tftp atftp       # exit 77 if a client is missing
#
# Names carry the test's pid so parallel tests never collide. Only
# processes this harness started are ever killed, by pid.

NETNS_PREFIX="pxt$$"
NETNS_LIST=()
NETNS_PIDS=()
# Created now, not lazily: callers use $(tmpdir), a subshell.
NETNS_TMP=$(mktemp -d "/tmp/pxetest.$$.XXXXXX")
chmod 755 "$NETNS_TMP"

netns_cleanup() {
	local rc=$?
	local pid ns
	for pid in "${NETNS_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${NETNS_PIDS[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		# 66: ThreadSanitizer's exit status after a report (PXE_TSAN builds;
		# tftpd's own 66 is a start-up error no test leaves running)
		if [ $? = 66 ] && [ -n "${TSAN_OPTIONS:-}" ]; then
			echo "FAIL: pid $pid exited 66 (a ThreadSanitizer report)" >&2
			rc=1
		fi
	done
	for ns in "${NETNS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | while read -r pid; do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
		rm -rf "/etc/netns/$ns"    # netns_hosts's file, if any
	done
	[ -n "$NETNS_TMP" ] && rm -rf "$NETNS_TMP"
	exit "$rc"
}
trap netns_cleanup EXIT
trap 'exit 130' INT TERM

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# What a test killed at ctest's timeout (SIGKILL: no trap) left behind,
# found by the pid in its names: only when that process is gone and
# nothing runs in the namespace.
netns_sweep() {
	local ns pid dir
	for ns in $(ip netns list 2>/dev/null | sed -n 's/^\(pxt[0-9][0-9]*[^ ]*\).*/\1/p'); do
		pid=${ns#pxt}
		pid=${pid%%[!0-9]*}
		kill -0 "$pid" 2>/dev/null && continue
		[ -z "$(ip netns pids "$ns" 2>/dev/null)" ] || continue
		ip netns del "$ns" 2>/dev/null
		rm -rf "/etc/netns/$ns"
	done
	for dir in /tmp/pxetest.[0-9]*.*; do
		[ -d "$dir" ] || continue
		pid=${dir#/tmp/pxetest.}
		pid=${pid%%.*}
		kill -0 "$pid" 2>/dev/null || rm -rf "$dir"
	done
}

netns_require() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	local probe="${NETNS_PREFIX}probe"
	ip netns add "$probe" 2>/dev/null || skip "no network namespaces"
	ip netns del "$probe"
	netns_sweep
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

# A scratch directory removed on exit.
tmpdir() { echo "$NETNS_TMP"; }

ns_name() { echo "${NETNS_PREFIX}$1"; }

netns_add() {
	local ns
	ns=$(ns_name "$1")
	ip netns add "$ns" || fail "ip netns add $ns"
	NETNS_LIST+=("$ns")
	ip -n "$ns" link set lo up
	eval "NS_$1=$ns"
}

# netns_hosts A LINE...: namespace A's /etc/hosts (ip netns exec mounts it).
netns_hosts() {
	local ns
	ns=$(ns_name "$1")
	shift
	mkdir -p "/etc/netns/$ns"
	printf '%s\n' "$@" >"/etc/netns/$ns/hosts"
}

# netns_pair A B PREFIX: A gets PREFIX.1/24, B gets PREFIX.2/24 on veth.
netns_pair() {
	local a=$1 b=$2 net=$3
	netns_add "$a"
	netns_add "$b"
	local na nb
	na=$(ns_name "$a")
	nb=$(ns_name "$b")
	ip -n "$na" link add veth0 type veth peer name veth0 netns "$nb" || fail "veth"
	ip -n "$na" addr add "$net.1/24" dev veth0
	ip -n "$nb" addr add "$net.2/24" dev veth0
	ip -n "$na" link set veth0 up
	ip -n "$nb" link set veth0 up
}

# netns_bridge NAME PREFIX: namespace NAME with bridge br0 at PREFIX.1/24.
netns_bridge() {
	local name=$1 net=$2 ns
	netns_add "$name"
	ns=$(ns_name "$name")
	ip -n "$ns" link add br0 type bridge
	ip -n "$ns" addr add "$net.1/24" dev br0
	ip -n "$ns" link set br0 up
	NETNS_BRIDGE_PORTS=0
}

# netns_attach BRIDGE_NS NAME ADDR/MASK-or-"none": a namespace joined to the bridge.
netns_attach() {
	local brname=$1 name=$2 addr=$3 brns ns port
	brns=$(ns_name "$brname")
	netns_add "$name"
	ns=$(ns_name "$name")
	NETNS_BRIDGE_PORTS=$((NETNS_BRIDGE_PORTS + 1))
	port="p$NETNS_BRIDGE_PORTS"
	ip -n "$brns" link add "$port" type veth peer name eth0 netns "$ns" || fail "veth"
	ip -n "$brns" link set "$port" master br0 up
	ip -n "$ns" link set eth0 up
	[ "$addr" = none ] || ip -n "$ns" addr add "$addr" dev eth0
}

netns_exec() {
	local ns
	ns=$(ns_name "$1")
	shift
	ip netns exec "$ns" "$@"
}

netns_bg() {
	local ns
	ns=$(ns_name "$1")
	shift
	ip netns exec "$ns" "$@" &
	BG_PID=$!
	NETNS_PIDS+=("$BG_PID")
}

# wait_for SECONDS CMD...: retry CMD until it succeeds or time runs out.
wait_for() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# wait_udp_port NS PORT / wait_tcp_port NS PORT: until something listens.
wait_udp_port() { wait_for 10 sh -c "ip netns exec $(ns_name "$1") ss -Hlun | grep -q ':$2 '"; }
wait_tcp_port() { wait_for 10 sh -c "ip netns exec $(ns_name "$1") ss -Hltn | grep -q ':$2 '"; }

sha() { sha256sum "$1" | cut -d' ' -f1; }
# assert_same_file A B: byte-exact by sha256
assert_same_file() {
	[ -f "$2" ] || fail "missing $2"
	[ "$(sha "$1")" = "$(sha "$2")" ] || fail "sha256 differs: $1 vs $2"
}

# assert_loop_threads PID NAME: on two or more CPUs, one thread named NAME
# per CPU beside the main one (a ThreadSanitizer build adds one of its
# own), and they did work: columns 14 + 15 of a task's stat are its user
# and system clock ticks.
assert_loop_threads() {
	local cpus loops=0 ticks=0 task
	cpus=$(nproc)
	[ "$cpus" -ge 2 ] || return 0
	for task in /proc/$1/task/*; do
		[ "$(cat "$task/comm")" = "$2" ] || continue
		loops=$((loops + 1))
		ticks=$((ticks + $(awk '{ print $14 + $15 }' "$task/stat")))
	done
	[ "$loops" = "$cpus" ] || fail "$loops $2 threads for $cpus CPUs"
	[ "$(ls /proc/$1/task | wc -l)" -le $((cpus + 2)) ] || fail "more threads than $cpus CPUs + 1"
	[ "$ticks" -gt 0 ] || fail "the $2 threads did no work"
}

# term_under_load PID N CMD...: N copies of CMD (each holding two of the
# daemon's sockets) started; once PID holds more than 2N sockets it gets
# SIGTERM and must exit 0; then the clients are ended.
term_under_load() {
	local pid=$1 n=$2 i rc clients=()
	shift 2
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>&1 &
		clients+=($!)
	done
	wait_for 30 sh -c "[ \$(ls -l /proc/$pid/fd | grep -c 'socket:') -gt $((2 * n)) ]" ||
		fail "the $n clients did not start"
	sleep 1
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] || fail "exit status $rc after SIGTERM"
	for i in "${clients[@]}"; do
		kill "$i" 2>/dev/null
		wait "$i" 2>/dev/null
	done
	return 0
}
