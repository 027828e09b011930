#!/bin/bash
# Run every protocol bench, one after the other, and keep their reports.
#
#   bench/run-all.sh [--build DIR] [--quick] [--no-build] [--report DIR]
#
# Fetches the peers (bench/peers.sh), builds our three daemons into DIR
# (default /work/main/build-bench, Release, no sanitizers: a sanitized
# build is not what we would ship) unless --no-build, then runs tftp.sh,
# ftp.sh and dhcp.sh with that build. Each report goes to REPORT/NAME.txt
# (default /tmp/pxesuite-bench-DATE/, outside the tree) and to stdout; raw
# numbers to NAME.tsv.
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$SRC/build-bench
QUICK=()
DO_BUILD=1
REPORT=
while [ $# -gt 0 ]; do
	case "$1" in
	--build) BUILD=$2; shift ;;
	--quick) QUICK=(--quick) ;;
	--no-build) DO_BUILD=0 ;;
	--report) REPORT=$2; shift ;;
	*) echo "usage: $0 [--build DIR] [--quick] [--no-build] [--report DIR]" >&2; exit 2 ;;
	esac
	shift
done
REPORT=${REPORT:-${TMPDIR:-/tmp}/pxesuite-bench-$(date -u +%Y%m%d-%H%M)}
mkdir -p "$REPORT"

"$SRC/bench/peers.sh" >"$REPORT/peers.txt" || { cat "$REPORT/peers.txt"; exit 1; }
if [ "$DO_BUILD" = 1 ]; then
	cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >"$REPORT/build.log" 2>&1 &&
		cmake --build "$BUILD" -j2 --target pxe-tftpd pxe-ftpd pxe-dhcpd >>"$REPORT/build.log" 2>&1 ||
		echo "NOTE: building ours failed (see $REPORT/build.log); benches run what exists" >&2
fi

rc=0
for bench in tftp ftp dhcp; do
	echo "=== $bench ($(date -u +%T))"
	"$SRC/bench/$bench.sh" --build "$BUILD" "${QUICK[@]}" --out "$REPORT/$bench.tsv" \
		>"$REPORT/$bench.txt" 2>"$REPORT/$bench.log" || { rc=1; tail -5 "$REPORT/$bench.log"; }
	cat "$REPORT/$bench.txt"
done
echo "reports in $REPORT"
exit $rc
