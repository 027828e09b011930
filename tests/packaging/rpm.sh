# The RPMs build here from `make dist`'s tarball (rpmbuild --nodeps: the
# BuildRequires are Debian packages, not in rpm's database), and each
# subpackage holds exactly its files, replaces exactly its stock package,
# and carries the stock scriptlets.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/packaging/lib.sh"

need_cmd rpmbuild rpm rpmspec git
need_daemon $DAEMONS
git -C "$PXE_SRC" rev-parse --git-dir >/dev/null 2>&1 || skip "make dist needs a git work tree"
build_rpms

# expect_files NAME: what `rpm -qlp` must list (man pages as installed;
# rpm may compress them).
expect_files() {
	case $1 in
	dhcpd) cat <<'LIST' ;;
/etc/dhcp
/etc/dhcp/dhcpd.conf
/usr/lib/systemd/system/dhcpd.service
/usr/lib/sysusers.d/pxesuite-dhcpd.conf
/usr/lib/tmpfiles.d/pxesuite-dhcpd.conf
/usr/sbin/dhcpd
/usr/sbin/pxe-dhcpd
/usr/share/doc/pxesuite
/usr/share/doc/pxesuite/dhcpd.conf.example
/usr/share/man/man5/dhcpd.conf.5
/usr/share/man/man5/dhcpd.leases.5
/usr/share/man/man8/dhcpd.8
/usr/share/man/man8/pxe-dhcpd.8
/var/lib/dhcpd
/var/lib/dhcpd/dhcpd.leases
LIST
	tftpd) cat <<'LIST' ;;
/etc/xinetd.d/tftp
/usr/lib/systemd/system/tftp.service
/usr/lib/systemd/system/tftp.socket
/usr/lib/tmpfiles.d/pxesuite-tftpd.conf
/usr/sbin/in.tftpd
/usr/sbin/pxe-tftpd
/usr/share/man/man8/in.tftpd.8
/usr/share/man/man8/pxe-tftpd.8
/var/lib/tftpboot
LIST
	ftpd) cat <<'LIST' ;;
/etc/logrotate.d/vsftpd
/etc/vsftpd
/etc/vsftpd/vsftpd.conf
/usr/lib/systemd/system/vsftpd.service
/usr/lib/systemd/system/vsftpd.target
/usr/lib/systemd/system/vsftpd@.service
/usr/lib/sysusers.d/pxesuite-ftpd.conf
/usr/lib/tmpfiles.d/pxesuite-ftpd.conf
/usr/sbin/pxe-ftpd
/usr/sbin/vsftpd
/usr/share/man/man5/vsftpd.conf.5
/usr/share/man/man8/pxe-ftpd.8
/usr/share/man/man8/vsftpd.8
/var/ftp
/var/ftp/pub
LIST
	status) cat <<'LIST' ;;
/usr/bin/pxe-status
/usr/share/man/man1/pxe-status.1
LIST
	esac
}
# The stock package each one stands in for, as rpm prints the relations.
declare -A STOCK=([dhcpd]="dhcp-server" [tftpd]="tftp-server" [ftpd]="vsftpd")
declare -A STOCK_EVR=([dhcpd]="12:4.4.3" [tftpd]="5.2" [ftpd]="3.0.5")

for p in $DAEMONS status; do
	pkg=$(rpm_of "$p") || fail "no pxesuite-$p RPM"
	rpm_entries "$pkg" | cut -d' ' -f2- >"$tmp/$p.files"
	expect_files "$p" | diff -u - "$tmp/$p.files" || fail "pxesuite-$p: file list differs"
	echo "ok: pxesuite-$p files"
done

for p in $DAEMONS; do
	pkg=$(rpm_of "$p")
	stock=${STOCK[$p]}
	rpm -qp --provides "$pkg" | grep -qx "$stock = ${STOCK_EVR[$p]}" ||
		fail "pxesuite-$p does not provide $stock"
	[ "$(rpm -qp --conflicts "$pkg")" = "$stock" ] ||
		fail "pxesuite-$p conflicts: $(rpm -qp --conflicts "$pkg") (want $stock)"
	[ -z "$(rpm -qp --obsoletes "$pkg")" ] ||
		fail "pxesuite-$p obsoletes $(rpm -qp --obsoletes "$pkg"): yum update would swap out the stock daemon"
	# Config files the admin edits survive upgrades.
	rpm -qp --configfiles "$pkg" | while read -r f; do
		rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' "$pkg" |
			grep -qx "$f cn" || fail "pxesuite-$p: $f is not %config(noreplace)"
	done || exit 1
	rpm -qp --scripts "$pkg" >"$tmp/$p.scripts"
	grep -q 'systemctl --no-reload preset' "$tmp/$p.scripts" &&
		grep -q 'systemctl try-restart' "$tmp/$p.scripts" ||
		fail "pxesuite-$p: no systemd scriptlets"
	echo "ok: pxesuite-$p replaces $stock"
done

# Beside the stock packages (stand-ins owning the stock paths, in a
# scratch rpm database): each of ours conflicts with its counterpart only.
stand_in() {
	local name=$1 version=$2
	shift 2
	cat >"$tmp/$name.spec" <<SPEC
Name: $name
Version: $version
Release: 1
Summary: stand-in for the stock $name
License: none
BuildArch: noarch
%description
Owns the stock paths, nothing else.
%install
for f in $*; do mkdir -p %{buildroot}\$(dirname \$f); echo stock >%{buildroot}\$f; done
%files
$(printf '%s\n' "$@")
SPEC
	rpmbuild -bb --define "_topdir $tmp/stock" "$tmp/$name.spec" >"$tmp/$name.log" 2>&1 ||
		fail "stand-in $name: $(tail -5 "$tmp/$name.log")"
}
stand_in dhcp-server 4.4.3 /usr/sbin/dhcpd /etc/dhcp/dhcpd.conf
stand_in tftp-server 5.2 /usr/sbin/in.tftpd /etc/xinetd.d/tftp
stand_in vsftpd 3.0.5 /usr/sbin/vsftpd /etc/vsftpd/vsftpd.conf
rpm --root "$tmp/sysroot" --initdb
rpm --root "$tmp/sysroot" -i --nodeps "$tmp"/stock/RPMS/noarch/*.rpm || fail "stand-ins"
for p in $DAEMONS; do
	# --test reports unmet library requirements too (an empty database);
	# only the conflicts matter here.
	rpm --root "$tmp/sysroot" -i --test "$(rpm_of "$p")" 2>&1 |
		grep -i conflict >"$tmp/$p.conflicts"
	sed "s/^/pxesuite-$p: /" "$tmp/$p.conflicts"
	grep -q "${STOCK[$p]}" "$tmp/$p.conflicts" ||
		fail "pxesuite-$p installs over ${STOCK[$p]}"
	for other in $DAEMONS; do
		[ "$other" = "$p" ] && continue
		! grep -q "${STOCK[$other]}" "$tmp/$p.conflicts" ||
			fail "pxesuite-$p conflicts with ${STOCK[$other]}: $(cat "$tmp/$p.conflicts")"
	done
done
echo "ok: each conflicts with its stock package only"

# Symlinks as the stock paths, relative to our binaries.
for pair in dhcpd:dhcpd/pxe-dhcpd tftpd:in.tftpd/pxe-tftpd ftpd:vsftpd/pxe-ftpd; do
	p=${pair%%:*} rest=${pair#*:}
	link=${rest%%/*} target=${rest#*/}
	rpm -qp --qf '[%{FILENAMES} -> %{FILELINKTOS}\n]' "$(rpm_of "$p")" |
		grep -qx "/usr/sbin/$link -> $target" || fail "/usr/sbin/$link is not a link to $target"
done
# The leases file: owned by dhcpd, not checked for content by rpm -V.
rpm -qp --qf '[%{FILENAMES} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEMODES:perms}\n]' \
	"$(rpm_of dhcpd)" | grep -qx '/var/lib/dhcpd/dhcpd.leases dhcpd dhcpd -rw-r--r--' ||
	fail "leases file attributes"

# On EL7 the ISC server package is "dhcp".
rpmspec -q --define 'rhel 7' --provides "$PXE_SRC/packaging/pxesuite.spec" \
	>"$tmp/el7.provides" 2>/dev/null
rpmspec -q --define 'rhel 7' --conflicts "$PXE_SRC/packaging/pxesuite.spec" \
	>"$tmp/el7.conflicts" 2>/dev/null
grep -qx 'dhcp = 12:4.4.3' "$tmp/el7.provides" && grep -qx 'dhcp' "$tmp/el7.conflicts" ||
	fail "EL7 build does not replace dhcp: $(cat "$tmp/el7.provides" "$tmp/el7.conflicts")"
echo "ok: links, attributes, EL7 names"
