#!/bin/bash
# privdrop_apply in a real process: after "ready", /proc/PID/status must
# show every uid and gid switched, no capability but the kept one in the
# permitted, effective and bounding sets, no_new_privs, and /proc/PID/root
# must be the chroot directory.
set -u
. "$PXE_SRC/tests/lib/netns.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
PROBE="$PXE_BUILD/tests/common/privdrop_probe"
[ -x "$PROBE" ] || fail "no $PROBE"
NOBODY_UID=$(id -u nobody) || skip "no user nobody"
NOGROUP_GID=$(getent group nogroup | cut -d: -f3)
[ -n "$NOGROUP_GID" ] || skip "no group nogroup"
ROOT=$(mktemp -d /tmp/pxe-privdrop.XXXXXX)
PROBE_PID=""
cleanup_probe() {
	[ -n "$PROBE_PID" ] && kill "$PROBE_PID" 2>/dev/null && wait "$PROBE_PID" 2>/dev/null
	rm -rf "$ROOT"
	PROBE_PID=""
}
trap 'rc=$?; cleanup_probe; exit $rc' EXIT

status_field() { awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "/proc/$PROBE_PID/status"; }

# run_probe EXPECTED_CAP_HEX args...: start, wait for "ready", check /proc.
run_probe() {
	local want_caps=$1 out
	shift
	out=$(mktemp -u /tmp/pxe-privdrop-out.XXXXXX)
	mkfifo "$out"
	"$PROBE" "$@" >"$out" &
	PROBE_PID=$!
	read -r -t 10 line <"$out" || line=""
	rm -f "$out"
	[ "$line" = ready ] || fail "probe $*: no ready (got '$line')"

	local uids gids
	uids=$(status_field Uid | tr -s '\t ' ' ')
	gids=$(status_field Gid | tr -s '\t ' ' ')
	[ "$uids" = "$NOBODY_UID $NOBODY_UID $NOBODY_UID $NOBODY_UID" ] || fail "Uid: $uids"
	[ "$gids" = "$NOGROUP_GID $NOGROUP_GID $NOGROUP_GID $NOGROUP_GID" ] || fail "Gid: $gids"
	[ "$(status_field Groups | tr -d ' \t')" = "$NOGROUP_GID" ] || fail "Groups: $(status_field Groups)"
	local f v
	for f in CapEff CapPrm CapBnd; do
		v=$(status_field $f)
		[ $((16#$v)) = $((16#$want_caps)) ] || fail "$f: $v, want $want_caps"
	done
	[ $((16#$(status_field CapInh))) = 0 ] || fail "CapInh: $(status_field CapInh)"
	[ $((16#$(status_field CapAmb))) = 0 ] || fail "CapAmb: $(status_field CapAmb)"
	[ "$(status_field NoNewPrivs)" = 1 ] || fail "NoNewPrivs: $(status_field NoNewPrivs)"
	[ "$(readlink "/proc/$PROBE_PID/root")" = "$ROOT" ] || fail "root: $(readlink "/proc/$PROBE_PID/root")"
	echo "ok: $* -> caps $want_caps"
	kill "$PROBE_PID"
	wait "$PROBE_PID" 2>/dev/null
	PROBE_PID=""
}

run_probe 0 -u nobody -g nogroup -r "$ROOT"
# cap_net_bind_service is bit 10
run_probe 400 -u nobody -g nogroup -r "$ROOT" -k cap_net_bind_service
# names resolve before the chroot, numbers work too
run_probe 0 -u "$NOBODY_UID" -g "$NOGROUP_GID" -r "$ROOT"

# A chroot directory that does not exist is a start-up error, not a warning.
if "$PROBE" -u nobody -g nogroup -r "$ROOT/missing" >/dev/null 2>&1; then
	fail "probe ran without its chroot"
fi
echo PASS
