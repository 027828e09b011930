# xinetd with our /etc/xinetd.d/tftp (only `server` pointed at the build's
# pxe-tftpd and `disable = no`) serves tftp-hpa's client in a namespace.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/packaging/lib.sh"
. "$PXE_SRC/tests/packaging/units.sh"

netns_require
need_cmd xinetd tftp
need_daemon tftpd

mkdir -p "$tmp/tftpboot/pxelinux.cfg" "$tmp/xinetd.d"
head -c 2000000 /dev/urandom >"$tmp/tftpboot/vmlinuz"
printf 'default linux\nlabel linux\n  kernel vmlinuz\n' >"$tmp/tftpboot/pxelinux.cfg/default"
chmod -R a+rX "$tmp/tftpboot"

sed -e "s|^\(\s*server\s*=\s*\)/usr/sbin/in.tftpd$|\1$(daemon_bin tftpd)|" \
    -e 's|^\(\s*disable\s*=\s*\)yes$|\1no|' \
    "$PXE_SRC/etc/xinetd.d/tftp" >"$tmp/xinetd.d/tftp"
# Exactly the two lines changed, nothing else.
[ "$(diff "$PXE_SRC/etc/xinetd.d/tftp" "$tmp/xinetd.d/tftp" | grep -c '^>')" = 2 ] ||
	fail "the xinetd file no longer has the stock server/disable lines"
cat >"$tmp/xinetd.conf" <<CONF
defaults
{
	log_type = FILE $tmp/xinetd.log
	log_on_success = PID HOST EXIT
}
includedir $tmp/xinetd.d
CONF

netns_pair srv cli 198.18.75
netns_private srv "$tmp/tftpboot:/var/lib/tftpboot" -- \
	xinetd -dontfork -pidfile "$tmp/xinetd.pid" -f "$tmp/xinetd.conf"
wait_udp_port srv 69 || fail "xinetd does not listen on 69: $(cat "$tmp/xinetd.log")"

for f in vmlinuz pxelinux.cfg/default; do
	out="$tmp/got.${f##*/}"
	netns_exec cli tftp -m binary 198.18.75.1 -c get "$f" "$out"
	assert_same_file "$tmp/tftpboot/$f" "$out"
done
grep -q 'START: tftp' "$tmp/xinetd.log" || fail "xinetd did not start the server"
echo "ok: xinetd ran pxe-tftpd for both files"
