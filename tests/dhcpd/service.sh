#!/bin/bash
# The stock CentOS dhcpd.service command line (Type=notify) with only the
# binary changed: READY=1 reaches $NOTIFY_SOCKET, the process runs as the
# -user/-group with no capability left (read from /proc), and clients
# without an address are still answered by unicast (udhcpc).
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/dhcpd/lib.sh"
netns_require
need_cmd busybox python3
getent passwd nobody >/dev/null && getent group nogroup >/dev/null || skip "no nobody/nogroup"
T=$(tmpdir)
mkdir "$T/lib" && chown nobody:nogroup "$T/lib"
netns_pair srv cli 198.18.85
ip -n "$NS_cli" addr flush dev veth0
cat >"$T/dhcpd.conf" <<CONF
lease-file-name "$T/lib/dhcpd.leases";
subnet 198.18.85.0 netmask 255.255.255.0 {
  range 198.18.85.10 198.18.85.20;
  option routers 198.18.85.1;
  next-server 198.18.85.1;
  filename "pxelinux.0";
}
CONF
python3 - "$T/notify" >"$T/notified" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
print(s.recv(4096).decode(), flush=True)
PY
NOTIFY_LISTENER=$!
wait_for 5 test -S "$T/notify" || fail "no notify socket"
NOTIFY_SOCKET="$T/notify" netns_bg srv "$DHCPD" -f -cf "$T/dhcpd.conf" -user nobody -group nogroup --no-pid
pid=$BG_PID
wait "$NOTIFY_LISTENER" || fail "no sd_notify message"
grep -q '^READY=1' "$T/notified" || fail "notify said: $(cat "$T/notified")"
echo "ok: READY=1 sent"
status() { awk -v k="$1:" '$1 == k {$1 = ""; print substr($0, 2)}' "/proc/$pid/status"; }
expect "Uid" "$(status Uid)" "65534 65534 65534 65534"
gid=$(getent group nogroup | cut -d: -f3)
expect "Gid" "$(status Gid)" "$gid $gid $gid $gid"
expect "CapEff" "$(status CapEff)" 0000000000000000
expect "CapPrm" "$(status CapPrm)" 0000000000000000
expect "CapBnd" "$(status CapBnd)" 0000000000000000
expect "NoNewPrivs" "$(status NoNewPrivs)" 1
[ ! -e /var/run/dhcpd.pid ] || [ "$(cat /var/run/dhcpd.pid)" != "$pid" ] || fail "--no-pid wrote a pid file"

cat >"$T/udhcpc-script" <<SH
#!/bin/sh
[ "\$1" = bound ] && echo "\$ip \$boot_file" > "$T/udhcpc.out"
exit 0
SH
chmod +x "$T/udhcpc-script"
timeout 30 ip netns exec "$NS_cli" busybox udhcpc -i veth0 -n -q -f -s "$T/udhcpc-script" >/dev/null 2>&1
expect "udhcpc after the privilege drop" "$(cat "$T/udhcpc.out" 2>/dev/null)" "198.18.85.10 pxelinux.0"
grep -q 'lease 198.18.85.10 ' "$T/lib/dhcpd.leases" || fail "lease not in lease-file-name"
echo PASS
