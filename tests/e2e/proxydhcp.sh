#!/bin/bash
# The ctest e2e-proxydhcp: stock ISC dhcpd hands out the addresses, our
# dhcpd in proxy mode (`proxy-dhcp;`) the boot files, and QEMU PCs boot
# through the pair: one BIOS (iPXE ROM) and one UEFI (OVMF) by default,
# OVMF asking our server again on port 4011 (BINL-type offer, tree.sh).
# Arguments go on to pxe-boot.sh; PXE_E2E_PROXY_CLIENTS sets the count.
exec "$(dirname "$0")/pxe-boot.sh" --proxy --no-probe --firmware mix \
	--clients "${PXE_E2E_PROXY_CLIENTS:-2}" "$@"
