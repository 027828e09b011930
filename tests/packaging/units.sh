# The unit runner of the packaging tests: starts a daemon the way systemd
# would start it from a unit file, in a network namespace, with the stock
# directories it names bound to test directories (private-run.sh).
#   . "$PXE_SRC/tests/packaging/units.sh"   (after lib.sh)

# Mount points for private-run.sh: stock directories missing on this host
# are created for the test and removed on exit.
MOUNT_POINTS_MADE=()
mount_points_cleanup() {
	local rc=$? i
	for ((i = ${#MOUNT_POINTS_MADE[@]} - 1; i >= 0; i--)); do
		rmdir "${MOUNT_POINTS_MADE[i]}" 2>/dev/null
	done
	return $rc
}
trap 'mount_points_cleanup; netns_cleanup' EXIT

# prepare_mounts SRC:DST... [-- ...]: makes each missing DST.
prepare_mounts() {
	local arg dst
	for arg in "$@"; do
		[ "$arg" = -- ] && break
		dst=${arg#*:}
		[ -d "$dst" ] && continue
		mkdir -p "$dst" && MOUNT_POINTS_MADE+=("$dst")
	done
}

# netns_private NS SRC:DST... -- CMD...: in the background, in namespace
# NS, with private directories (see private-run.sh); pid in $BG_PID.
netns_private() {
	local ns=$1
	shift
	prepare_mounts "$@"
	netns_bg "$ns" unshare -m bash "$PXE_SRC/tests/packaging/private-run.sh" "$@"
}

# private_fg NS SRC:DST... -- CMD...: the same in the foreground, for at
# most 60 seconds; returns CMD's status.
private_fg() {
	local ns=$1
	shift
	prepare_mounts "$@"
	timeout 60 ip netns exec "$(ns_name "$ns")" unshare -m \
		bash "$PXE_SRC/tests/packaging/private-run.sh" "$@"
}

# The daemon a stock or pxesuite path runs.
declare -A DAEMON_OF=([dhcpd]=dhcpd [pxe-dhcpd]=dhcpd [in.tftpd]=tftpd
	[pxe-tftpd]=tftpd [vsftpd]=ftpd [pxe-ftpd]=ftpd)

# unit_argv FILE [INSTANCE]: ExecStart split as systemd does for these
# lines (no quotes in them), the prefix characters -@+!: dropped, %i
# replaced, and the binary's /usr/sbin path replaced by the build's.
# Sets UNIT_ARGV.
unit_argv() {
	local line words
	line=$(unit_get "$1" ExecStart)
	line=${line//%i/$2}
	line=${line##[-@+!:]}
	read -ra words <<<"$line"
	case ${words[0]} in
	/usr/sbin/*) ;;
	*) fail "$1: ExecStart runs ${words[0]}, not a /usr/sbin daemon" ;;
	esac
	local daemon=${DAEMON_OF[${words[0]#/usr/sbin/}]}
	[ -n "$daemon" ] || fail "$1: unexpected binary ${words[0]}"
	words[0]=$(daemon_bin "$daemon")
	UNIT_ARGV=("${words[@]}")
}

# unit_sandbox FILE: the unit's CapabilityBoundingSet= and
# NoNewPrivileges= as a setpriv prefix (empty without them), so a bounding
# set too narrow for the daemon fails here as it would under systemd.
# Sets UNIT_SANDBOX.
unit_sandbox() {
	local caps nnp set=-all cap
	caps=$(unit_get "$1" CapabilityBoundingSet)
	nnp=$(unit_get "$1" NoNewPrivileges)
	UNIT_SANDBOX=()
	[ -n "$caps$nnp" ] || return 0
	UNIT_SANDBOX=(setpriv)
	if [ -n "$caps" ]; then
		for cap in $caps; do
			cap=${cap#CAP_}
			set+=",+${cap,,}"
		done
		UNIT_SANDBOX+=(--bounding-set "$set")
	fi
	[ "$nnp" = yes ] && UNIT_SANDBOX+=(--no-new-privs)
	UNIT_SANDBOX+=(--)
}

# start_unit NS SERVICE-FILE INSTANCE SRC:DST... : starts the service in
# namespace NS the way systemd would: its Type= decides when it is ready
# (notify: READY=1 on $NOTIFY_SOCKET; forking: the first process exits 0;
# simple: at once), StandardInput=socket takes the socket of the .socket
# unit beside it on fd 0. Fails if the service does not become ready.
start_unit() {
	local ns=$1 unit=$2 instance=$3 type stdin cmd=()
	shift 3
	unit_argv "$unit" "$instance"
	type=$(unit_get "$unit" Type)
	stdin=$(unit_get "$unit" StandardInput)
	if [ "$stdin" = socket ]; then
		local sock=${unit%.service}.socket port
		port=$(unit_get "$sock" ListenDatagram)
		[ -n "$port" ] || fail "$sock: no ListenDatagram"
		cmd=(systemd-socket-activate --inetd --datagram -l "$port")
	fi
	unit_sandbox "$unit"
	cmd+=("${UNIT_SANDBOX[@]}" "${UNIT_ARGV[@]}")
	echo "start $unit (Type=${type:-simple}): ${cmd[*]}"
	case ${type:-simple} in
	simple) netns_private "$ns" "$@" -- "${cmd[@]}" ;;
	notify) start_notify "$ns" "$@" -- "${cmd[@]}" ;;
	forking) start_forking "$ns" "$@" -- "${cmd[@]}" ;;
	*) fail "$unit: Type=$type not handled by this test" ;;
	esac
}

# notify_listener PATH LOG: a $NOTIFY_SOCKET that appends what it receives
# to LOG, one datagram a line.
notify_listener() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", 0) as log:
    while True:
        log.write(s.recv(4096) + b"\n")
' "$1" "$2" &
	NETNS_PIDS+=("$!")
	wait_for 10 test -S "$1" || fail "notify listener did not start"
}

start_notify() {
	local ns=$1 log
	shift
	log="$tmp/notify.$RANDOM"
	notify_listener "$log.sock" "$log"
	local dirs=()
	while [ "$1" != -- ]; do dirs+=("$1"); shift; done
	shift
	netns_private "$ns" "${dirs[@]}" -- env NOTIFY_SOCKET="$log.sock" "$@"
	wait_for 20 grep -qx READY=1 "$log" ||
		fail "no READY=1 from the daemon (Type=notify); it sent: $(cat "$log")"
}

start_forking() {
	private_fg "$@" ||
		fail "Type=forking: the first process did not exit 0 (status $?)"
}
