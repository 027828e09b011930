# shellcheck shell=bash
# The lab's boot tree and configuration files, built from the tutorial's own
# text with its addresses moved into 198.18.0.0/15 (sourced by pxe-boot.sh,
# lab.sh and the boot bench).
#
#   tree_build DIR ASSETS INITRD CLIENTS FIRMWARE(mix|bios|uefi)
#     DIR/tftpboot   pxelinux.0, ldlinux.c32, pxelinux.cfg/default, vmlinuz,
#                    initrd.img, grubnetx64.efi + grub/grub.cfg and
#                    syslinux.efi + ldlinux.e64 (UEFI)
#     DIR/ftp/pub    a small install tree (.treeinfo, LiveOS/squashfs.img)
#     DIR/dhcpd.conf the tutorial's fixed dhcpd.conf (+ the BIOS/UEFI choice
#                    when UEFI clients come); with LAB_PROXY=1 our
#                    proxyDHCP config, and DIR/isc.conf the stock server's
#     DIR/vsftpd.conf CentOS 7's stock vsftpd.conf (overrides go on the
#                    command line, see daemons.sh)

# The tutorial's network 211.183.3.0/24 becomes 198.18.3.0/24, keeping
# every host number: the server is .21 as in the tutorial. Its DNS server
# 8.8.8.8 becomes the lab server too: no address outside the lab is named.
LAB_NET=198.18.3
LAB_SERVER=$LAB_NET.21
LAB_TUTORIAL=${PXE_SHARED:-$PXE_SRC/../shared}/compat/seed-tutorial
LAB_CENTOS=${PXE_SHARED:-$PXE_SRC/../shared}/compat/centos7
LAB_UEFI_LOADER=grubnetx64.efi
# Debian's GRUB 2.06 takes its TFTP server and config from the firmware's
# DHCP ACK only, never from a proxyDHCP offer (Red Hat patches that in), so
# it stops at its prompt there; syslinux.efi reads the proxy offer too.
LAB_PROXY_UEFI_LOADER=syslinux.efi

# Files the client fetches from ftp://SERVER/pub/ and checks by sha256.
LAB_TREE_FILES=(.treeinfo LiveOS/squashfs.img)

tree_move_addresses() {
	sed -e "s/211\.183\.3\./$LAB_NET./g" -e "s/8\.8\.8\.8/$LAB_SERVER/g" "$@"
}

# pub/PATH:SHA256,... for the kernel command line.
tree_file_sums() {
	local ftp=$1 f sums=""
	for f in "${LAB_TREE_FILES[@]}"; do
		sums+="${sums:+,}$f:$(sha256sum "$ftp/pub/$f" | cut -d' ' -f1)"
	done
	echo "$sums"
}

tree_ftp() {
	local pub=$1/pub
	mkdir -p "$pub/LiveOS"
	printf '[general]\nname = pxesuite e2e\narch = x86_64\n' >"$pub/.treeinfo"
	head -c $((4 * 1024 * 1024)) /dev/urandom >"$pub/LiveOS/squashfs.img"
}

# The tutorial's pxelinux.cfg/default verbatim but for the address, with
# the serial console on (pxelinux and the kernel) and the sums the initrd
# checks appended to APPEND.
tree_pxelinux_cfg() {
	local sums=$1
	echo "SERIAL 0 115200"
	tree_move_addresses "$LAB_TUTORIAL/pxelinux.cfg-default" |
		sed "s|^\([[:space:]]*APPEND .*[^[:space:]]\)[[:space:]]*$|\1 console=ttyS0,115200 panic=-1 pxesuite.files=$sums|"
}

# GRUB for UEFI clients: the same label, kernel and arguments.
tree_grub_cfg() {
	local sums=$1
	cat <<-CFG
	serial --unit=0 --speed=115200
	terminal_input serial
	terminal_output serial
	set timeout=0
	menuentry CentOS7_Auto_Install {
	  linux /vmlinuz repo=ftp://$LAB_SERVER/pub console=ttyS0,115200 panic=-1 pxesuite.files=$sums
	  initrd /initrd.img
	}
	CFG
}

# The tutorial's fixed dhcpd.conf, verbatim for BIOS clients only.
tree_dhcpd_conf() {
	local clients=$1 firmware=$2
	if [ "$firmware" = bios ]; then
		tree_move_addresses "$LAB_TUTORIAL/dhcpd.fixed.conf" | tree_widen_range "$clients"
	else
		echo "option architecture-type code 93 = unsigned integer 16;"
		tree_move_addresses "$LAB_TUTORIAL/dhcpd.fixed.conf" | tree_arch_choice | tree_widen_range "$clients"
	fi
}

# Its one `filename` line becomes the choice by client architecture
# (option 93: 7 and 9 are UEFI x64).
tree_arch_choice() {
	sed "s|^\([[:space:]]*\)filename \"pxelinux.0\";|\1if option architecture-type = 00:07 or option architecture-type = 00:09 {\n\1  filename \"$LAB_UEFI_LOADER\";\n\1} else {\n\1  filename \"pxelinux.0\";\n\1}|"
}

# The tutorial's range holds 11 addresses: enough for 10 PCs and the
# e2e test's probe PC; a bigger lab needs more.
tree_widen_range() {
	if [ "$1" -gt 10 ]; then
		sed "s/range dynamic-bootp $LAB_NET\.240 /range dynamic-bootp $LAB_NET.100 /"
	else
		cat
	fi
}

# proxyDHCP: the stock server keeps the tutorial's config but for the
# boot lines (it only hands out addresses); ours holds only those, in the
# declarative per-architecture form.
tree_isc_conf() {
	tree_move_addresses "$LAB_TUTORIAL/dhcpd.fixed.conf" |
		sed -E '/^[[:space:]]*(next-server|filename|allow booting)[[:space:]]/d' | tree_widen_range "$1"
}

# UEFI PCs get a BINL-type offer (option 43 without discovery control 8),
# so OVMF asks our server again on port 4011 before it boots: the test
# proves that exchange too. iPXE (BIOS) boots the offered file either way.
tree_proxy_conf() {
	cat <<-CONF
	subnet $LAB_NET.0 netmask 255.255.255.0 {
	  proxy-dhcp;
	  next-server $LAB_SERVER;
	  filename "pxelinux.0";
	  filename uefi-x64 "$LAB_PROXY_UEFI_LOADER";
	  if option pxe-system-type = 00:07 or option pxe-system-type = 00:09 {
	    option vendor-encapsulated-options ff:ff;
	  }
	}
	CONF
}

tree_dhcp_confs() {
	local dir=$1 clients=$2 firmware=$3
	if [ "${LAB_PROXY:-0}" = 1 ]; then
		tree_isc_conf "$clients" >"$dir/isc.conf"
		tree_proxy_conf >"$dir/dhcpd.conf"
	else
		tree_dhcpd_conf "$clients" "$firmware" >"$dir/dhcpd.conf"
	fi
}

tree_build() {
	local dir=$1 assets=$2 initrd=$3 clients=$4 firmware=$5 tftp=$1/tftpboot sums
	mkdir -p "$tftp/pxelinux.cfg" "$tftp/grub" "$dir/ftp"
	tree_ftp "$dir/ftp"
	sums=$(tree_file_sums "$dir/ftp")
	cp "$assets/usr/lib/PXELINUX/pxelinux.0" "$tftp/"
	cp "$assets/usr/lib/syslinux/modules/bios/ldlinux.c32" "$tftp/"
	cp "$assets"/boot/vmlinuz-* "$tftp/vmlinuz"
	cp "$initrd" "$tftp/initrd.img"
	cp "$assets/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed" "$tftp/$LAB_UEFI_LOADER"
	cp "$assets/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi" "$tftp/$LAB_PROXY_UEFI_LOADER"
	cp "$assets/usr/lib/syslinux/modules/efi64/ldlinux.e64" "$tftp/"
	tree_pxelinux_cfg "$sums" >"$tftp/pxelinux.cfg/default"
	tree_grub_cfg "$sums" >"$tftp/grub/grub.cfg"
	tree_dhcp_confs "$dir" "$clients" "$firmware"
	cp "$LAB_CENTOS/vsftpd.conf" "$dir/vsftpd.conf"
	chmod -R a+rX "$dir"
}
