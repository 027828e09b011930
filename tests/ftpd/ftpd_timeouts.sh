#!/bin/bash
# connect_timeout: an active-mode connection that is never answered (ftpd_timeouts.py).
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd python3
ftpd_setup 57
rand_file pub/file 1000
ftpd_start /dev/null -oconnect_timeout=2
cli python3 "$PXE_SRC/tests/ftpd/ftpd_timeouts.py" "$SRV" 198.18.57.2 || fail "connect_timeout"
echo ok
