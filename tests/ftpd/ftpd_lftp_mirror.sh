#!/bin/bash
# lftp mirrors a 2000-file tree (in nested directories) from pxe-ftpd; every
# file byte-exact.
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd lftp
ftpd_setup 53
for d in $(seq 0 19); do
	mkdir -m 755 -p "$ROOT/pub/tree/d$d/sub"
	for f in $(seq 0 49); do
		head -c $((RANDOM % 3000 + f)) /dev/urandom >"$ROOT/pub/tree/d$d/f$f.rpm"
		head -c $((RANDOM % 500)) /dev/urandom >"$ROOT/pub/tree/d$d/sub/g$f.xml"
	done
done
chmod -R a+r "$ROOT/pub/tree"
[ "$(find "$ROOT/pub/tree" -type f | wc -l)" = 2000 ] || fail "tree size"
ftpd_start /dev/null
MIRROR="$T/mirror"
cli timeout 120 lftp -e "set net:max-retries 1; set net:timeout 20; mirror --parallel=4 /pub/tree $MIRROR; quit" \
	"ftp://$SRV" >"$T/lftp.log" 2>&1 || fail "lftp mirror: $(tail -5 "$T/lftp.log")"
(cd "$ROOT/pub/tree" && find . -type f -exec sha256sum {} + | sort) >"$T/want"
(cd "$MIRROR" && find . -type f -exec sha256sum {} + | sort) >"$T/got"
[ "$(wc -l <"$T/got")" = 2000 ] || fail "mirrored $(wc -l <"$T/got") files"
cmp -s "$T/want" "$T/got" || fail "mirror differs: $(diff "$T/want" "$T/got" | head -3)"
echo ok
