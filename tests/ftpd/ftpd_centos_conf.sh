#!/bin/bash
# The stock CentOS 7 vsftpd.conf starts pxe-ftpd as its vsftpd.service runs
# it (Type=forking: the command returns, a daemon stays): dual stack on
# port 21, not-served keys reported, local logins refused with a clear 530,
# xferlog lines, and the serving process unprivileged and chrooted.
. "$PXE_SRC/tests/ftpd/lib.sh"
need_cmd curl
ftpd_setup 54
rand_file pub/vmlinuz 2000000
CONF="$PXE_SRC/tests/ftpd/centos7-vsftpd.conf"
NS=$(ns_name srv)
# Debian has no "ftp" user (CentOS's has /var/ftp as home): name the user
# and root on the command line, leaving the file as shipped. A zone far
# from UTC, read from its file as /etc/localtime is: local times must
# survive the chroot.
export TZ=Asia/Seoul
hour=$(date '+%a %b %e %H:')
JOURNAL_STREAM=test netns_exec srv "$FTPD" "$CONF" -oftp_username=nobody -oanon_root="$ROOT" \
	-oxferlog_file="$T/xferlog" -ouse_localtime=YES 2>"$T/stderr"
rc=$?
[ $rc = 0 ] || fail "start-up exit $rc: $(cat "$T/stderr")"
wait_tcp_port srv 21 || fail "no listener on 21"
PID=$(ip netns pids "$NS" | head -1)
[ -n "$PID" ] || fail "no daemon left running"
NETNS_PIDS+=("$PID")

for key in local_enable write_enable pam_service_name userlist_enable tcp_wrappers; do
	grep -q "$key: accepted but not served" "$T/stderr" || fail "$key not reported"
done

netns_exec srv curl -sS --fail -o "$T/v4" ftp://127.0.0.1/pub/vmlinuz || fail "IPv4 download"
netns_exec srv curl -sS --fail -o "$T/v6" "ftp://[::1]/pub/vmlinuz" || fail "IPv6 download"
cli curl -sS --fail -o "$T/veth" "ftp://$SRV/pub/vmlinuz" || fail "download over veth"
for f in v4 v6 veth; do assert_same_file "$ROOT/pub/vmlinuz" "$T/$f"; done

cli curl -sS -v -u root:secret "ftp://$SRV/" >/dev/null 2>"$T/local.log" && fail "local login accepted"
grep -q '< 530 .*local users are not served' "$T/local.log" || fail "no clear 530: $(grep '< 530' "$T/local.log")"

# xferlog(5) standard format, one line per download
grep -Eq "^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4} [0-9]+ 198\.18\.54\.2 2000000 /pub/vmlinuz b _ o a [^ ]+ ftp 0 \* c$" \
	"$T/xferlog" || fail "xferlog: $(cat "$T/xferlog")"
[ "$(grep -c /pub/vmlinuz "$T/xferlog")" = 3 ] || fail "xferlog lines"
# in local time (vsftpd's log lines always are), as the listing with use_localtime
grep -q -e "^$hour" -e "^$(date '+%a %b %e %H:')" "$T/xferlog" ||
	fail "xferlog not in local time ($hour): $(tail -1 "$T/xferlog")"
listed=$(cli curl -sS --fail "ftp://$SRV/pub/" | awk '/vmlinuz/ {print $8}')
[ "$listed" = "$(date -r "$ROOT/pub/vmlinuz" +%H:%M)" ] || fail "LIST time $listed, not local"

# the process serving sessions: not root, no capabilities, chrooted
status=/proc/$PID/status
uid=$(awk '/^Uid:/ {print $2 $3 $4 $5}' "$status")
[ "$uid" = 65534655346553465534 ] || fail "uids $uid"
grep -q '^CapEff:[[:space:]]*0000000000000000$' "$status" || fail "CapEff"
grep -q '^CapPrm:[[:space:]]*0000000000000000$' "$status" || fail "CapPrm"
grep -q '^NoNewPrivs:[[:space:]]*1$' "$status" || fail "NoNewPrivs"
[ "$(readlink /proc/$PID/root)" = "$ROOT" ] || fail "root is $(readlink /proc/$PID/root)"
echo ok
