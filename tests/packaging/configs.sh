# The dhcpd.conf files we ship load in the build's pxe-dhcpd (`dhcpd -t`):
# the default one, and the PXE example, which dhcpd.conf(5) prints.
. "$PXE_SRC/tests/lib/netns.sh"
. "$PXE_SRC/tests/packaging/lib.sh"

need_daemon dhcpd
dhcpd=$(daemon_bin dhcpd)
example=$PXE_SRC/etc/dhcp/dhcpd.conf.example
"$dhcpd" -t -cf "$PXE_SRC/etc/dhcp/dhcpd.conf" || fail "the default dhcpd.conf does not load"
echo "ok: default dhcpd.conf"

# The man page's example is the shipped example file, statement for
# statement (comments and line breaks aside).
statements() { tr -s ' \n' ' ' | sed 's/^ //; s/ $//'; }
man_example=$(sed -n '/^\.SH "PXE: BIOS AND UEFI/,/^\.SH/{/^\.nf$/,/^\.fi$/p}' \
	"$PXE_SRC/man/dhcpd.conf.5" | sed '/^\.[nf][fi]$/d' | statements)
file_example=$(sed 's/#.*//' "$example" | statements)
[ -n "$man_example" ] && [ "$man_example" = "$file_example" ] ||
	fail "dhcpd.conf(5)'s PXE example and dhcpd.conf.example differ"
echo "ok: the man page prints the shipped example"

"$dhcpd" -t -cf "$example" || fail "dhcpd.conf.example does not load"
echo "ok: dhcpd.conf.example"
