#!/bin/bash
# Python ftplib against pxe-ftpd (see ftpd_ftplib.py).
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd python3
ftpd_setup 52
rand_file pub/data.bin 3000000
printf 'one\ntwo\r\nthree\n' >"$ROOT/pub/text.txt"
chmod 644 "$ROOT/pub/text.txt"
mkdir -m 755 "$ROOT/pub/sub"
ln -s /etc/passwd "$ROOT/pub/passwd-link"
ln -s /etc "$ROOT/pub/etc-link"
ftpd_start /dev/null -oascii_download_enable=YES
cli python3 "$PXE_SRC/tests/ftpd/ftpd_ftplib.py" "$SRV" "$ROOT" || fail "ftplib checks"
