# `cmake --install --prefix /usr` into a staging root lays exactly the tree
# the RPMs hold: the same files, links and owned directories.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/packaging/lib.sh"

need_cmd rpmbuild rpm git
need_daemon $DAEMONS
need_usr_prefix
git -C "$PXE_SRC" rev-parse --git-dir >/dev/null 2>&1 || skip "make dist needs a git work tree"
build_rpms
stage_install "$tmp/root"

# Files and links of the staged tree, against every RPM's.
(cd "$tmp/root" && find . ! -type d | sed 's|^\.||' | sort) >"$tmp/tree"
rpm_entries "$RPMS"/*/pxesuite-*.rpm >"$tmp/entries"
grep -v '^d' "$tmp/entries" | cut -d' ' -f2- | sort >"$tmp/rpm"
diff -u "$tmp/rpm" "$tmp/tree" || fail "the install tree and the RPMs differ (- RPM, + tree)"

# Every directory an RPM owns exists in the tree.
sed -n 's/^d[^ ]* //p' "$tmp/entries" | while read -r d; do
	[ -d "$tmp/root$d" ] || fail "RPM directory $d missing from the tree"
done || exit 1
echo "ok: $(wc -l <"$tmp/tree") files and links, same in both"
