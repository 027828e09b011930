# Every unit, as `cmake --install --prefix /usr` lays it, passes
# `systemd-analyze verify` (ExecStart binaries and the stock paths'
# symlinks resolved in the staged tree), and so do the stock CentOS units
# over the same tree; every Documentation= page exists and renders without
# warnings; the sysusers.d and tmpfiles.d entries apply; logrotate reads
# its file.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/packaging/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root (a private mount namespace)"
need_cmd systemd-analyze systemd-sysusers systemd-tmpfiles logrotate groff man unshare
need_daemon $DAEMONS
need_usr_prefix

root=$tmp/root
stage_install "$root"
unitdir=$root/usr/lib/systemd/system
units=(dhcpd.service tftp.socket tftp.service vsftpd.service vsftpd@site2.service vsftpd.target)

# verify_in_root UNIT...: systemd-analyze in the staged root, with the
# host's units (targets the ours name) visible under /usr/local/lib.
verify_in_root() {
	mkdir -p "$root/usr/local/lib/systemd/system"
	unshare -m sh -c 'r=$1; shift; mount --make-rprivate / &&
		mount --bind -o ro /usr/lib/systemd/system "$r/usr/local/lib/systemd/system" &&
		exec systemd-analyze verify --man=no --root="$r" "$@"' \
		sh "$root" "$@" >"$tmp/verify.out" 2>&1
	local rc=$?
	[ $rc = 0 ] && [ ! -s "$tmp/verify.out" ] ||
		fail "systemd-analyze verify (status $rc): $(cat "$tmp/verify.out")"
}
verify_in_root "${units[@]}"
echo "ok: our units verify"

# The stock units over our tree: /etc/systemd/system wins over the unit dir.
stock=(dhcpd.service tftp.socket tftp.service vsftpd.service)
if [ -d "$COMPAT" ]; then
	mkdir -p "$root/etc/systemd/system"
	for u in "${stock[@]}"; do cp "$COMPAT/$u" "$root/etc/systemd/system/"; done
	verify_in_root "${stock[@]}"
	echo "ok: the stock CentOS units verify over our tree"
fi

# Documentation=man:NAME(SECTION): the page is installed and renders cleanly.
mandir=$root/usr/share/man
n_docs=0
for f in "$unitdir"/* "$root"/etc/systemd/system/*; do
	[ -f "$f" ] || continue
	for doc in $(unit_get "$f" Documentation); do
		page=${doc#man:}
		name=${page%%(*}
		sect=$(expr "$page" : '.*(\(.*\))')
		path=$(man -M "$mandir" -w ${sect:+"$sect"} "$name" 2>/dev/null) ||
			fail "$(basename "$f"): $doc is not installed"
		echo "$(basename "$f"): $doc -> ${path#"$root"}"
		n_docs=$((n_docs + 1))
	done
done
[ "$n_docs" -ge 10 ] || fail "only $n_docs Documentation= pages checked"
for page in "$mandir"/man*/*; do
	warn=$(cd "$mandir" && groff -man -ww -z -Tutf8 -k "${page#"$mandir"/}" 2>&1)
	[ -z "$warn" ] || fail "${page#"$root"}: $warn"
done
echo "ok: man pages"

systemd-sysusers --root="$root" || fail "systemd-sysusers"
grep -q '^dhcpd:x:177:177:' "$root/etc/passwd" || fail "no dhcpd user 177 from sysusers.d"
grep -q '^ftp:x:' "$root/etc/passwd" || fail "no ftp user from sysusers.d"
systemd-tmpfiles --root="$root" --create || fail "systemd-tmpfiles"
[ "$(stat -c %u:%a "$root/var/lib/dhcpd/dhcpd.leases")" = 177:644 ] ||
	fail "tmpfiles.d: leases file not 0644 dhcpd"
for d in var/lib/tftpboot var/ftp/pub; do
	[ -d "$root/$d" ] || fail "tmpfiles.d: no /$d"
done
echo "ok: sysusers.d and tmpfiles.d"

logrotate -d -s "$tmp/logrotate.state" "$root/etc/logrotate.d/vsftpd" >"$tmp/lr.out" 2>&1 ||
	fail "logrotate: $(cat "$tmp/lr.out")"
echo "ok: logrotate file"
