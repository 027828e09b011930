#!/bin/bash
# max_clients, apart from max_per_ip (ftpd_max_clients.py).
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd python3
ftpd_setup 58
ftpd_start /dev/null -omax_clients=3 -omax_per_ip=0
cli python3 "$PXE_SRC/tests/ftpd/ftpd_max_clients.py" "$SRV" || fail "max_clients"
echo ok
