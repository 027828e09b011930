#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12's archive.
# Idempotent: does nothing when all are present. Services of installed
# server packages (used only as benchmark/compat peers) are never started.
set -euo pipefail

BUILD_PKGS="cmake make gcc clang pkg-config libuv1-dev libinih-dev libcap-dev
  libcmocka-dev libclang-rt-14-dev valgrind git"
TEST_PKGS="iproute2 procps python3 tftp-hpa atftp curl lftp isc-dhcp-client udhcpc
  xinetd systemd kea-admin isc-dhcp-relay tcpdump rpm cpio logrotate man-db isc-dhcp-server
  strace"
E2E_PKGS="qemu-system-x86 ipxe-qemu ovmf xz-utils"

missing=()
for p in $BUILD_PKGS $TEST_PKGS $E2E_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
# Keep package maintainer scripts from starting any daemon on this host.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
