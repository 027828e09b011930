# shellcheck shell=bash
# Shared helpers for the benches (sourced, not run).
#
# Every server runs inside a private network namespace the bench creates
# (its own loopback: no port clash with anything else on the machine) and in
# a cpuacct cgroup of its own, so "server CPU" is the kernel's count for the
# daemon and every process or thread it forks, nothing else. Memory is the
# sum of PSS (smaps_rollup) over the processes in that cgroup.
#
#   . bench/lib.sh
#   bench_init tftp "$@"          # parses --build DIR --quick --out FILE
#   bench_netns                   # $BNS: a namespace with lo up
#   bench_cpu_split               # opt in: servers and clients get equal CPU weight
#   bench_cpu_weight TASKS        # the bench's weight against the machine
#   bench_start NAME cmd...       # server NAME in $BNS and its cgroup
#   bench_cpu NAME                # CPU seconds used so far by NAME
#   bench_pss_kb NAME [FIELD]     # PSS (or smaps_rollup's FIELD) of NAME's processes, kB
#   bench_record VARIANT SERVER METRIC VALUE
#   bench_table METRIC "title" [low|high]   # values + ours/peer ratios
#
# No timing assertions anywhere: the benches print numbers.

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_CACHE=${PXE_BENCH_CACHE:-/var/cache/pxesuite-bench}
PEER=$BENCH_CACHE/bin
CG_ROOT=/sys/fs/cgroup/cpuacct
CPU_ROOT=/sys/fs/cgroup/cpu
BENCH_SPLIT=0
BENCH_ID="pxb$$"
BENCH_PIDS=()
BENCH_NS=()
declare -A BENCH_PID

bench_log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
bench_die() { echo "bench: $*" >&2; exit 1; }

bench_usage() {
	cat >&2 <<-EOF
	usage: $0 [--build DIR] [--quick] [--out FILE] [--only LIST]
	  --build DIR   build tree holding our daemons (default: \$PXE_BUILD, else
	                the newest /work/main/build-*/ that has the binary)
	  --quick       smaller sizes and counts, for a smoke run
	  --out FILE    also write the raw results (tsv) there
	  --only LIST   comma list of servers to run (e.g. ours,in.tftpd)
	EOF
	exit 2
}

bench_init() {
	BENCH_NAME=$1
	shift
	BENCH_BUILD=${PXE_BUILD:-}
	BENCH_QUICK=0
	BENCH_ONLY=
	BENCH_OUT=
	while [ $# -gt 0 ]; do
		case "$1" in
		--build) BENCH_BUILD=$2; shift ;;
		--quick) BENCH_QUICK=1 ;;
		--out) BENCH_OUT=$2; shift ;;
		--only) BENCH_ONLY=$2; shift ;;
		*) bench_usage ;;
		esac
		shift
	done
	[ "$(id -u)" = 0 ] || bench_die "needs root (namespaces, cgroups, ports)"
	[ -d "$CG_ROOT" ] || bench_die "no cpuacct cgroup at $CG_ROOT"
	[ -x "$PEER/vsftpd" ] || bench_die "peers missing: run bench/peers.sh first"
	BENCH_TMP=$(mktemp -d "/tmp/pxebench-$BENCH_NAME.XXXXXX")
	chmod 755 "$BENCH_TMP"
	BENCH_RESULTS=$BENCH_TMP/results.tsv
	: >"$BENCH_RESULTS"
	mkdir "$CG_ROOT/$BENCH_ID" || bench_die "cannot create cgroup"
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
	ulimit -n 8192
}

# bench_wanted NAME: true unless --only leaves NAME out.
bench_wanted() {
	[ -z "$BENCH_ONLY" ] && return 0
	case ",$BENCH_ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}

# bench_ours BINARY SUBDIR: path of our daemon, or empty with a note.
bench_ours() {
	local bin=$1 sub=$2 cand
	if [ -n "$BENCH_BUILD" ]; then
		cand=$BENCH_BUILD/$sub/$bin
	else
		cand=$(ls -t "$BENCH_SRC"/build-*/"$sub/$bin" 2>/dev/null | head -1)
	fi
	if [ -n "$cand" ] && [ -x "$cand" ]; then
		echo "$cand"
	else
		bench_log "NOTE: our $bin not found (${cand:-no build-*/$sub/$bin}); ours skipped, peers only"
	fi
}

bench_cleanup() {
	local rc=$? pid cg ns
	for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
	sleep 0.3
	# Whatever our servers forked is in their cgroups: started by us, ended by pid.
	for cg in "$CG_ROOT/$BENCH_ID"/*/; do
		[ -d "$cg" ] || continue
		while read -r pid; do kill -9 "$pid" 2>/dev/null; done <"$cg/cgroup.procs"
	done
	for pid in "${BENCH_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
	for ns in "${BENCH_NS[@]}"; do
		ip netns pids "$ns" 2>/dev/null | while read -r pid; do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	sleep 0.2
	for cg in "$CG_ROOT/$BENCH_ID"/*/ "$CPU_ROOT/$BENCH_ID"/*/; do
		[ -d "$cg" ] && rmdir "$cg" 2>/dev/null
	done
	rmdir "$CG_ROOT/$BENCH_ID" "$CPU_ROOT/$BENCH_ID" 2>/dev/null
	[ -n "$BENCH_OUT" ] && [ -f "$BENCH_RESULTS" ] && cp "$BENCH_RESULTS" "$BENCH_OUT"
	[ -n "$BENCH_TMP" ] && rm -rf "$BENCH_TMP"
	exit "$rc"
}

# bench_netns [SUFFIX]: create namespace "$BENCH_ID$SUFFIX" with lo up; sets BNS.
bench_netns() {
	BNS="$BENCH_ID${1:-}"
	ip netns add "$BNS" || bench_die "ip netns add $BNS"
	BENCH_NS+=("$BNS")
	ip -n "$BNS" link set lo up
	# A non-loopback address too: getaddrinfo(AI_ADDRCONFIG), as in.tftpd
	# calls it, finds no IPv4 at all when only lo has one.
	ip -n "$BNS" link add v0 type veth peer name v1
	ip -n "$BNS" addr add 198.18.255.1/30 dev v0
	ip -n "$BNS" link set v0 up
	ip -n "$BNS" link set v1 up
}

# bench_cpu_split: from now on servers run in one cgroup of the `cpu`
# controller and clients (bench_in) in another, both at the same cpu.shares.
# CFS weighs tasks, so without this a one-process server sharing the cores
# with 40 client processes gets about 1/41 of the CPU while a server that
# forks a process per client gets half; with it each side gets half of what
# the bench gets, whatever its process count, as if the server had its own
# machine. The bench's own group weighs as two busy tasks (server + client
# side) against the rest of the machine unless bench_cpu_weight says more.
# Counting is unchanged (cpuacct).
bench_cpu_split() {
	[ -f "$CPU_ROOT/cpu.shares" ] || bench_die "no cpu cgroup at $CPU_ROOT"
	mkdir -p "$CPU_ROOT/$BENCH_ID/servers" "$CPU_ROOT/$BENCH_ID/clients" \
		"$CG_ROOT/$BENCH_ID/clients" || bench_die "cannot create cpu cgroups"
	echo 2048 >"$CPU_ROOT/$BENCH_ID/cpu.shares"
	echo 1024 >"$CPU_ROOT/$BENCH_ID/servers/cpu.shares"
	echo 1024 >"$CPU_ROOT/$BENCH_ID/clients/cpu.shares"
	BENCH_SPLIT=1
}

# bench_cpu_weight TASKS: the bench's group weighs as TASKS busy tasks
# against the rest of the machine (what its TASKS processes would weigh
# without groups), so the split does not change the bench's own share.
bench_cpu_weight() {
	[ "$BENCH_SPLIT" = 1 ] && echo $((1024 * $1)) >"$CPU_ROOT/$BENCH_ID/cpu.shares"
	return 0
}

# bench_join CGROUP_DIR... -- CMD...: run CMD as a member of every CGROUP_DIR.
# The joining shell execs CMD, so started with & its pid ($!) is CMD's.
BENCH_JOIN_SH='while [ "$1" != -- ]; do echo $$ >"$1/cgroup.procs"; shift; done
	shift; exec "$@"'
bench_join() { sh -c "$BENCH_JOIN_SH" sh "$@"; }

# bench_in CMD...: run a client inside $BNS (and, split, in the clients'
# cpu group and their cpuacct group: `bench_cpu clients` is their CPU time).
bench_in() {
	if [ "$BENCH_SPLIT" = 1 ]; then
		bench_join "$CPU_ROOT/$BENCH_ID/clients" "$CG_ROOT/$BENCH_ID/clients" -- \
			ip netns exec "$BNS" "$@"
	else
		ip netns exec "$BNS" "$@"
	fi
}

# bench_start NAME CMD...: start a server in $BNS inside cgroup NAME.
# The wrapper joins the cgroup before exec, so no CPU escapes the count.
bench_start() {
	local name=$1 cg groups=()
	shift
	cg=$CG_ROOT/$BENCH_ID/$name
	mkdir -p "$cg"
	groups=("$cg")
	[ "$BENCH_SPLIT" = 1 ] && groups+=("$CPU_ROOT/$BENCH_ID/servers")
	sh -c "$BENCH_JOIN_SH" sh "${groups[@]}" -- ip netns exec "$BNS" "$@" \
		>"$BENCH_TMP/$name.log" 2>&1 &
	BENCH_PID[$name]=$!
	BENCH_PIDS+=("$!")
}

# bench_stop NAME: end the server and everything in its cgroup.
bench_stop() {
	local name=$1 pid cg=$CG_ROOT/$BENCH_ID/$1
	kill "${BENCH_PID[$name]}" 2>/dev/null
	sleep 0.3
	while read -r pid; do kill -9 "$pid" 2>/dev/null; done <"$cg/cgroup.procs"
	wait "${BENCH_PID[$name]}" 2>/dev/null
}

# bench_alive NAME: the server is still running.
bench_alive() { kill -0 "${BENCH_PID[$1]}" 2>/dev/null; }

bench_cpu() { awk '{ printf "%.4f\n", $1 / 1e9 }' "$CG_ROOT/$BENCH_ID/$1/cpuacct.usage"; }

bench_pss_kb() {
	local pid sum=0 kb field=${2:-Pss}
	while read -r pid; do
		kb=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null)
		sum=$((sum + ${kb:-0}))
	done <"$CG_ROOT/$BENCH_ID/$1/cgroup.procs"
	echo "$sum"
}

bench_nprocs() { wc -l <"$CG_ROOT/$BENCH_ID/$1/cgroup.procs"; }

# bench_wait_port PROTO PORT: until something listens on PORT in $BNS (10 s).
bench_wait_port() {
	local flag=-Hltn
	[ "$1" = udp ] && flag=-Hlun
	for _ in $(seq 100); do
		bench_in ss "$flag" "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

bench_now() { date +%s.%N; }
# calc EXPR: floating-point arithmetic through awk.
calc() { awk "BEGIN { printf \"%.6g\n\", $* }"; }

bench_record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$BENCH_RESULTS"; }

# bench_table METRIC TITLE [low|high]: one row per variant, one column per
# server, then ours/peer for each peer. "low" = lower is better.
bench_table() {
	python3 "$BENCH_SRC/bench/table.py" "$BENCH_RESULTS" "$1" "$2" "${3:-low}"
}
