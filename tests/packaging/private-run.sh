# private-run.sh SRC:DST ... -- CMD ARGS...
# Runs CMD in a new mount namespace where each directory DST shows the
# test's directory SRC (a bind mount), so a daemon started with its stock
# paths (/etc/dhcp, /var/lib/tftpboot...) reads and writes test files and
# the host's stay untouched. DST must exist (units.sh: prepare_mounts).
# Run through `unshare -m`: nothing mounted here reaches the host.
set -e
mount --make-rprivate /
while [ "$1" != -- ]; do
	mount --bind "${1%%:*}" "${1#*:}"
	shift
done
shift
exec "$@"
