# Shared by the packaging tests: where things are, a staged install, the
# RPMs built once per source tarball.
#   . "$PXE_SRC/tests/packaging/lib.sh"   (after tests/lib/netns.sh)

: "${PXE_BUILD:?run from ctest (PXE_BUILD unset)}" "${PXE_SRC:?}"
COMPAT="$PXE_SRC/../shared/compat/centos7"
DAEMONS="dhcpd tftpd ftpd"

# The test's scratch directory in $tmp, made in this shell (not in $(...))
# so that the harness knows it and removes it on exit.
tmpdir >/dev/null
tmp=$NETNS_TMP

daemon_bin() { echo "$PXE_BUILD/$1/pxe-$1"; }

# need_daemon NAME...: skip unless the build has these daemons.
need_daemon() {
	local d
	for d in "$@"; do
		[ -x "$(daemon_bin "$d")" ] || skip "pxe-$d is not built yet"
	done
}

# unit_get FILE KEY: the last value of KEY= in a unit file (sections are
# not needed to tell apart the keys these tests read).
unit_get() { sed -n "s/^$2=//p" "$1" | tail -1; }

# stage_install DIR: `cmake --install` of the build into DIR as DESTDIR.
stage_install() {
	DESTDIR="$1" cmake --install "$PXE_BUILD" --prefix /usr >"$1.log" 2>&1 ||
		fail "cmake --install: $(tail -5 "$1.log")"
}

# build_rpms: RPMs from `make dist`'s tarball, into $RPMS (built once per
# tarball content). Holds a shared lock until the test exits, so another
# test never rebuilds them while this one reads them.
build_rpms() {
	local top="$PXE_BUILD/packaging-rpms" tarball sum
	mkdir -p "$top"
	exec 9>"$top.lock"
	flock -x 9
	cmake --build "$PXE_BUILD" --target dist >"$top/dist.log" 2>&1 ||
		fail "make dist: $(tail -5 "$top/dist.log")"
	tarball=$(ls "$PXE_BUILD"/pxesuite-*.tar.gz)
	sum=$(sha "$tarball")
	RPMS="$top/RPMS"
	if [ "$(cat "$top/stamp" 2>/dev/null)" != "$sum" ]; then
		rm -rf "$top/RPMS" "$top/BUILD" "$top/BUILDROOT" "$top/stamp"
		# --nodeps: Debian's rpm database has none of the BuildRequires.
		rpmbuild -tb --nodeps --define "_topdir $top" \
			--define 'debug_package %{nil}' "$tarball" \
			>"$top/rpmbuild.log" 2>&1 ||
			fail "rpmbuild: $(tail -20 "$top/rpmbuild.log")"
		echo "$sum" >"$top/stamp"
	fi
	flock -s 9
}

# rpm_of NAME: the path of subpackage NAME's binary RPM.
rpm_of() { ls "$RPMS"/*/pxesuite-"$1"-[0-9]*.rpm; }

# rpm_entries RPM...: "MODE PATH" for every entry, as a tree holds it:
# rpm's own /usr/lib/.build-id links left out, man pages by their installed
# names (rpm may gzip them).
rpm_entries() {
	local pkg
	for pkg in "$@"; do
		rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$pkg"
	done | grep -v ' /usr/lib/\.build-id' | sed 's|^\([^ ]* /usr/share/man/.*\)\.gz$|\1|'
}

# need_usr_prefix: `cmake --install --prefix /usr` must put the daemons in
# /usr/sbin, where the units and the RPM have them; an absolute
# PXE_SBINDIR from another prefix cannot be moved at install time.
need_usr_prefix() {
	local sbin
	sbin=$(sed -n 's/^PXE_SBINDIR:[A-Z]*=//p' "$PXE_BUILD/CMakeCache.txt")
	case $sbin in
	sbin | /usr/sbin) ;;
	*) skip "PXE_SBINDIR=$sbin: --prefix /usr cannot move it (make it relative, or configure with -DCMAKE_INSTALL_PREFIX=/usr)" ;;
	esac
}
