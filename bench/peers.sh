#!/bin/bash
# Fetch the Debian peer daemons the benches compare against, WITHOUT
# installing them as services: `apt-get download` + `dpkg -x` into a cache
# directory, so nothing is started, no unit is enabled, and packages that
# conflict with each other (tftpd-hpa / atftpd) sit side by side.
# The shared libraries they need are ordinary library packages and are
# installed with apt (libraries start no service).
#
#   bench/peers.sh [--cache DIR]     (default /var/cache/pxesuite-bench)
#
# Prints one line per peer binary: NAME PATH. Idempotent: a package already
# unpacked is not fetched again.
set -euo pipefail

CACHE=${PXE_BENCH_CACHE:-/var/cache/pxesuite-bench}
[ "${1:-}" = --cache ] && CACHE=$2

PKGS=(tftpd-hpa atftpd dnsmasq-base isc-dhcp-server kea-dhcp4-server vsftpd pure-ftpd)
# Clients the benches drive; they are plain programs, installed normally.
CLIENTS=(curl atftp tftp-hpa lftp kea-admin iproute2 python3)

# Binaries, by the name the benches use: package/path. Each package is
# unpacked into a tree of its own (atftpd also ships a usr/sbin/in.tftpd).
declare -A BIN=(
	[in.tftpd]=tftpd-hpa/usr/sbin/in.tftpd
	[atftpd]=atftpd/usr/sbin/atftpd
	[dnsmasq]=dnsmasq-base/usr/sbin/dnsmasq
	[dhcpd]=isc-dhcp-server/usr/sbin/dhcpd
	[kea-dhcp4]=kea-dhcp4-server/usr/sbin/kea-dhcp4
	[vsftpd]=vsftpd/usr/sbin/vsftpd
	[pure-ftpd]=pure-ftpd/usr/sbin/pure-ftpd
)

[ "$(id -u)" = 0 ] || { echo "peers.sh: needs root (apt)" >&2; exit 1; }
rm -rf "$CACHE/root"    # the old shared tree, where packages clobbered each other
mkdir -p "$CACHE/debs" "$CACHE/pkg" "$CACHE/bin"

# A policy-rc.d that refuses every start, in case an apt run below pulls in
# something with a service; restored on exit if we put it there.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi

lists_fresh() { [ -n "$(find /var/lib/apt/lists -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; }
lists_fresh || apt-get update -qq

missing_clients=()
for c in "${CLIENTS[@]}"; do
	dpkg -s "$c" >/dev/null 2>&1 || missing_clients+=("$c")
done
[ ${#missing_clients[@]} -eq 0 ] || apt-get install -y -qq "${missing_clients[@]}"

fetch() {
	local pkg=$1 deb
	deb=$(ls "$CACHE/debs/${pkg}_"*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		(cd "$CACHE/debs" && apt-get download -qq "$pkg")
		deb=$(ls "$CACHE/debs/${pkg}_"*.deb | head -1)
	fi
	[ -d "$CACHE/pkg/$pkg" ] || dpkg -x "$deb" "$CACHE/pkg/$pkg"
}

# Library dependencies of a server package: its Depends that are lib*.
lib_deps() {
	apt-cache depends --no-recommends --no-suggests "$1" |
		awk '$1 == "Depends:" && $2 ~ /^lib/ { print $2 }' | tr -d '<>'
}

libs=()
for p in "${PKGS[@]}"; do
	fetch "$p"
	mapfile -t -O "${#libs[@]}" libs < <(lib_deps "$p")
done
need=()
for l in $(printf '%s\n' "${libs[@]}" | sort -u); do
	dpkg -s "$l" >/dev/null 2>&1 || need+=("$l")
done
[ ${#need[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${need[@]}"

# $CACHE/bin/NAME: what the benches run (lib.sh's $PEER).
rc=0
for name in $(printf '%s\n' "${!BIN[@]}" | sort); do
	path="$CACHE/pkg/${BIN[$name]}"
	if [ ! -x "$path" ]; then
		echo "$name MISSING"; rc=1; continue
	fi
	if ldd "$path" | grep -q 'not found'; then
		echo "$name UNRESOLVED: $(ldd "$path" | grep 'not found' | tr -s ' \t' ' ')"
		rc=1; continue
	fi
	ln -sfn "$path" "$CACHE/bin/$name"
	echo "$name $path"
done
exit $rc
