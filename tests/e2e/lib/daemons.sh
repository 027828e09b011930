# shellcheck shell=bash
# Start the three PXE daemons in the lab namespace: ours (pxe-dhcpd,
# pxe-tftpd, pxe-ftpd from $PXE_BUILD) or Debian's ISC dhcpd, tftpd-hpa
# in.tftpd and vsftpd unpacked by fetch-assets.sh, each chosen on its own.
# Both get the same command-line flags and the same files, so one harness
# compares them. With LAB_PROXY=1 our dhcpd is a proxyDHCP server and
# Debian's ISC dhcpd, in namespace "isc" (net.sh), hands out the addresses.
# Needs tests/lib/netns.sh, tree.sh and net.sh sourced.
#
#   daemons_binaries STOCK ASSETS  # STOCK: "", "all" or e.g. "dhcpd,ftpd";
#                                  # sets DHCPD TFTPD FTPD (ISC_DHCPD); fails if missing
#   daemons_start NS DIR           # logs in DIR/logs/{dhcpd,tftpd,ftpd,isc-dhcpd}.log
#   daemons_healthy DIR            # all still running, no sanitizer report

declare -A DAEMON_PIDS=()

daemons_binaries() {
	local stock=$1 assets=$2 bin
	DHCPD=$PXE_BUILD/dhcpd/pxe-dhcpd
	TFTPD=$PXE_BUILD/tftpd/pxe-tftpd
	FTPD=$PXE_BUILD/ftpd/pxe-ftpd
	ISC_DHCPD=$assets/usr/sbin/dhcpd
	[[ ",$stock," =~ ,(all|dhcpd), ]] && DHCPD=$ISC_DHCPD
	[[ ",$stock," =~ ,(all|tftpd), ]] && TFTPD=$assets/usr/sbin/in.tftpd
	[[ ",$stock," =~ ,(all|ftpd), ]] && FTPD=$assets/usr/sbin/vsftpd
	# libwrap0 comes from the cache too: nothing installed on the host
	export LD_LIBRARY_PATH=$assets/lib/x86_64-linux-gnu:$assets/usr/lib/x86_64-linux-gnu
	local bins=("$DHCPD" "$TFTPD" "$FTPD")
	[ "${LAB_PROXY:-0}" = 1 ] && bins+=("$ISC_DHCPD")
	for bin in "${bins[@]}"; do
		[ -x "$bin" ] || { echo "no daemon $bin" >&2; return 1; }
	done
}

# vsftpd.conf is CentOS 7's as shipped; the lab changes only what a lab
# must (address, paths, foreground), as -o options so the file stays stock.
# Anonymous sessions run as "daemon": vsftpd enters the user's home before
# anon_root, Debian has no "ftp" user and nobody's home does not exist.
daemons_ftpd_overrides() {
	local dir=$1
	FTPD_OVERRIDES=(-olisten=YES -olisten_ipv6=NO "-olisten_address=$LAB_SERVER"
		-obackground=NO -olocal_enable=NO -owrite_enable=NO
		"-oanon_root=$dir/ftp" -ono_anon_password=YES -oftp_username=daemon
		"-osecure_chroot_dir=$dir/empty" "-oxferlog_file=$dir/logs/xferlog"
		"-ovsftpd_log_file=$dir/logs/vsftpd.log" -ouserlist_enable=NO
		-otcp_wrappers=NO -oseccomp_sandbox=NO)
}

daemons_start() {
	local ns=$1 dir=$2 logs=$2/logs
	mkdir -p "$logs" "$dir/empty"
	: >"$dir/dhcpd.leases"
	netns_bg "$ns" "$DHCPD" -d -cf "$dir/dhcpd.conf" -lf "$dir/dhcpd.leases" \
		-pf "$dir/dhcpd.pid" br0 >"$logs/dhcpd.log" 2>&1
	DAEMON_PIDS[dhcpd]=$BG_PID
	netns_bg "$ns" "$TFTPD" -L -v -s "$dir/tftpboot" -a "$LAB_SERVER:69" -u nobody \
		>"$logs/tftpd.log" 2>&1
	DAEMON_PIDS[tftpd]=$BG_PID
	daemons_ftpd_overrides "$dir"
	netns_bg "$ns" "$FTPD" "$dir/vsftpd.conf" "${FTPD_OVERRIDES[@]}" >"$logs/ftpd.log" 2>&1
	DAEMON_PIDS[ftpd]=$BG_PID
	[ "${LAB_PROXY:-0}" = 1 ] && daemons_start_isc "$dir"
	if ! { wait_udp_port "$ns" 67 && wait_udp_port "$ns" 69 && wait_tcp_port "$ns" 21 &&
		daemons_proxy_ready "$ns"; }; then
		daemons_dump_logs "$dir"
		echo "a daemon did not start" >&2
		return 1
	fi
}

# The stock server that owns the addresses beside our proxyDHCP server.
daemons_start_isc() {
	local dir=$1
	: >"$dir/isc.leases"
	netns_bg isc "$ISC_DHCPD" -4 -d -cf "$dir/isc.conf" -lf "$dir/isc.leases" \
		-pf "$dir/isc.pid" eth0 >"$dir/logs/isc-dhcpd.log" 2>&1
	DAEMON_PIDS[isc-dhcpd]=$BG_PID
}

# In proxy mode: the stock server on 67, and ours on 4011 too (the PXE
# boot-server port, asked when the offer does not say "boot this file").
daemons_proxy_ready() {
	[ "${LAB_PROXY:-0}" = 1 ] || return 0
	wait_udp_port isc 67 && wait_udp_port "$1" 4011
}

# A daemon that died, or that ASan/UBSan caught, fails the run even when
# the clients got through.
daemons_healthy() {
	local name bad=0
	for name in "${!DAEMON_PIDS[@]}"; do
		kill -0 "${DAEMON_PIDS[$name]}" 2>/dev/null && continue
		echo "$name exited during the run" >&2
		bad=1
	done
	if grep -lE 'ERROR: AddressSanitizer|runtime error:' "$1"/logs/*.log >&2; then
		echo "sanitizer reports in the logs above" >&2
		bad=1
	fi
	return "$bad"
}

daemons_dump_logs() {
	local f
	for f in "$1"/logs/*; do
		[ -s "$f" ] || continue
		echo "---- ${f##*/} (last 40 lines)"
		tail -n 40 "$f"
	done
}
