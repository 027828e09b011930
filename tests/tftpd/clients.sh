# Real clients against pxe-tftpd over a veth pair: tftp-hpa, curl, atftp
# (also windowed), netascii, leading-slash names, not-found answers, the
# blksize cap by the interface MTU, and the in.tftpd -v log lines.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
netns_require
need_cmd tftp curl atftp python3
make_root
T=$(tmpdir)
netns_pair srv cli 198.18.31
S=198.18.31.1
start_tftpd srv "$T/log" 69 -a $S "$ROOT"

cd "$T" || fail cd
netns_exec cli tftp $S -m binary -c get big.bin hpa.bin
assert_same_file "$ROOT/big.bin" hpa.bin
netns_exec cli tftp $S -m binary -c get k1.bin k1.bin
assert_same_file "$ROOT/k1.bin" k1.bin
netns_exec cli tftp $S -m ascii -c get pxelinux.cfg/default default.txt
assert_same_file "$ROOT/pxelinux.cfg/default" default.txt
netns_exec cli curl -sS --tftp-blksize 1468 -o curl.bin "tftp://$S/big.bin" || fail curl
assert_same_file "$ROOT/big.bin" curl.bin
netns_exec cli curl -sS --tftp-blksize 8 -o curl8.bin "tftp://$S/small.bin" || fail curl8
assert_same_file "$ROOT/small.bin" curl8.bin
netns_exec cli curl -sS -o slash.cfg "tftp://$S//grub/grub.cfg" || fail "curl leading slash"
assert_same_file "$ROOT/grub/grub.cfg" slash.cfg
for w in 1 16 64; do
	netns_exec cli atftp --option "blksize 1468" --option "windowsize $w" --option "tsize" \
		-g -r big.bin -l "atftp$w.bin" $S >/dev/null 2>&1 || fail "atftp windowsize $w"
	assert_same_file "$ROOT/big.bin" "atftp$w.bin"
done
assert_log "$T/log" "windowsize 64"

# An OVMF-style request: blksize above the veth MTU is capped to MTU - 32.
out=$(netns_exec cli "${TFTPC[@]}" $S sub/dir/deep.bin deep.bin --opt tsize=0 \
	--opt blksize=65464 --opt windowsize=4) || fail "tftpc: $out"
[ "$(kv oack "$out")" = "tsize=20000,blksize=1468,windowsize=4" ] || fail "oack: $out"
assert_same_file "$ROOT/small.bin" deep.bin
ip -n "$NS_srv" link set veth0 mtu 9000
ip -n "$NS_cli" link set veth0 mtu 9000
out=$(netns_exec cli "${TFTPC[@]}" $S big.bin jumbo.bin --opt blksize=65464) || fail "$out"
[ "$(kv oack "$out")" = "blksize=8968" ] || fail "jumbo oack: $out"
assert_same_file "$ROOT/big.bin" jumbo.bin

netns_exec cli tftp $S -m binary -c get pxelinux.cfg/01-52-54-00-12-34-56 nf.bin 2>&1 | \
	grep -q "File not found" || fail "tftp-hpa did not see File not found"
assert_log "$T/log" "RRQ from 198.18.31.2 filename big.bin"
assert_log "$T/log" "Client 198.18.31.2 finished big.bin"
assert_log "$T/log" "Client 198.18.31.2 File not found pxelinux.cfg/01-52-54-00-12-34-56"
assert_log "$T/log" "3000000 bytes, blksize 1468, windowsize 16"
echo PASS
