#!/bin/bash
# Boot-time bench: the same PXE boot of N diskless QEMU PCs, once through
# Debian's stock daemons (ISC dhcpd, tftpd-hpa, vsftpd) and once through
# ours, on this machine; prints each PC's seconds from power-on to the
# install tree fetched and checked (the VM then powers off), and the whole
# group's. Uses tests/e2e/pxe-boot.sh for both runs, so files, flags and
# clients are the same. Under TCG the guests' CPU dominates these figures.
#
#   bench/boot-bench.sh [--clients N] [--firmware mix|bios|uefi] [--runs R]
#
# PXE_E2E_STOCK=dhcpd (a comma list) keeps those stock in "our" run, to
# time the others while one of ours is missing.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
export PXE_SRC=$SRC
export PXE_BUILD=${PXE_BUILD:-$SRC/build}
CLIENTS=4
FIRMWARE=mix
RUNS=1

while [ $# -gt 0 ]; do
	case "$1" in
	--clients) CLIENTS=$2; shift ;;
	--firmware) FIRMWARE=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	*) echo "usage: $0 [--clients N] [--firmware mix|bios|uefi] [--runs R]" >&2; exit 2 ;;
	esac
	shift
done

# One run: "DAEMONS RUN VM FW SECONDS" per PC, then "DAEMONS RUN all - SECONDS".
run_once() {
	local label=$1 run=$2 out rc
	shift 2
	out=$(bash "$SRC/tests/e2e/pxe-boot.sh" --clients "$CLIENTS" --firmware "$FIRMWARE" --no-probe "$@" 2>&1)
	rc=$?
	if [ "$rc" = 77 ]; then
		echo "$label run $run: skipped: $(echo "$out" | grep -m1 '^SKIP')" >&2
		return 0
	elif [ "$rc" != 0 ]; then
		echo "$label run $run: pxe-boot.sh exit $rc" >&2
		echo "$out" | tail -n 20 >&2
		return 1
	fi
	echo "$out" | awk -v l="$label" -v r="$run" '
		$1 ~ /^vm[0-9]+$/ { print l, r, $1, $2, $4; if ($4 > max) max = $4 }
		END { print l, r, "all", "-", max }'
}

main() {
	local run results=""
	for ((run = 1; run <= RUNS; run++)); do
		results+=$(run_once stock "$run" --stock)$'\n' || exit 1
		results+=$(run_once "ours${PXE_E2E_STOCK:+-but-$PXE_E2E_STOCK}" "$run")$'\n' || exit 1
	done
	printf '%-20s %-4s %-5s %-5s %s\n' DAEMONS RUN PC FW SECONDS
	printf '%s' "$results" | sort -k1,1 -k2,2n -s | awk 'NF { printf "%-20s %-4s %-5s %-5s %s\n", $1, $2, $3, $4, $5 }'
}

main
