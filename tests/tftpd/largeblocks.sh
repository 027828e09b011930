# Large blocks, lock-step and windowed, byte-exact over IPv4 and IPv6: at
# blksize 65464 (one block per message) and 8192 (GSO groups a window's
# blocks), for a file ending mid-block, files of an exact number of blocks
# (the last DATA is empty) and an empty file. A header lost or a block sent
# twice breaks the sha256 or the transfer.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
box_setup
head -c $((65464 * 20)) /dev/urandom >"$ROOT/m65464.bin"
head -c $((8192 * 40)) /dev/urandom >"$ROOT/m8192.bin"
: >"$ROOT/empty.bin"
chmod a+r "$ROOT"/*.bin
start_tftpd box "$T/log4" 69 -a 127.0.0.1 "$ROOT"
start_tftpd box "$T/log6" 70 -6 -a '[::1]:70' "$ROOT"

# fetch ADDR PORT NAME BLKSIZE WINDOW
fetch() {
	local out
	out=$(netns_exec box "${TFTPC[@]}" "$1" "$3" "$T/got" --port "$2" --opt blksize="$4" \
		--opt windowsize="$5") || fail "$*: $out"
	[ "$(kv oack "$out")" = "blksize=$4,windowsize=$5" ] || fail "$*: oack $(kv oack "$out")"
	assert_same_file "$ROOT/$3" "$T/got"
	rm -f "$T/got"
}

for target in "127.0.0.1 69" "::1 70"; do
	for bs in 65464 8192; do
		for w in 1 16; do
			for name in big.bin m65464.bin m8192.bin empty.bin; do
				fetch $target $name $bs $w
			done
		done
	done
	fetch $target big.bin 65464 64
	fetch $target m65464.bin 32768 4
done
echo PASS
