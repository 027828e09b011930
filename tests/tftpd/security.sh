# Names that try to leave the served directory are refused: "..", symlinks
# out of the root, NUL and control characters; only world-readable files
# unless -p; a leading "/" or the directory's own path stay inside, and a
# name spelling out one of several directories is looked up in that one.
# Both without -s (served directories) and with -s (chroot). Under -s, as
# in in.tftpd's chroot, ".." and absolute symlinks resolve inside the root.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
box_setup
ln -s /etc/passwd "$ROOT/esc"
ln -s / "$ROOT/rootlink"
ln -s ../../small.bin "$ROOT/sub/dir/inlink"
ln -s /big.bin "$ROOT/absin"
ln -s ../../../../small.bin "$ROOT/sub/dir/upup"
mkfifo -m 666 "$ROOT/fifo"     # opening it must not stall the server
head -c 999 /dev/urandom >"$ROOT/nobody-only.bin"
chown nobody "$ROOT/nobody-only.bin"
chmod 600 "$ROOT/nobody-only.bin"
start_tftpd box "$T/log" 69 -a 127.0.0.1 "$ROOT"
start_tftpd box "$T/log-s" 70 -a 127.0.0.1:70 -s "$ROOT"
start_tftpd box "$T/log-p" 71 -a 127.0.0.1:71 -p "$ROOT"
ROOT2="$T/root2"     # a second served directory, holding a k1.bin of its own
mkdir "$ROOT2"
head -c 999 /dev/urandom >"$ROOT2/k1.bin"
chmod -R a+rX "$ROOT2"
start_tftpd box "$T/log-2" 72 -a 127.0.0.1:72 "$ROOT" "$ROOT2"

# refused PORT ERRORCODE NAME: the server answers NAME with that error.
refused() {
	local out
	out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 "$3" "$T/got" --port "$1")
	[ "$(kv error "$out")" = "$2" ] || fail "port $1 name $3: want error $2, got: $out"
	[ ! -e "$T/got" ] || fail "port $1 name $3: a file was served"
}
# served PORT NAME FILE: NAME fetches FILE byte-exact.
served() {
	local out
	out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 "$2" "$T/got" --port "$1") || fail "$2: $out"
	assert_same_file "$3" "$T/got"
	rm -f "$T/got"
}

# escapes: refused without -s; under -s looked up inside the root (where
# there is no etc/passwd), as in.tftpd -s
escapes=(../etc/passwd ../../../../../../etc/passwd sub/../../etc/passwd esc rootlink/etc/passwd)
for name in "${escapes[@]}"; do
	refused 69 2 "$name"
	refused 70 1 "$name"
done
for name in absin ../big.bin sub/../big.bin /../big.bin; do
	refused 69 2 "$name"
	served 70 "$name" "$ROOT/big.bin"
done
refused 69 2 sub/dir/upup
served 70 sub/dir/upup "$ROOT/small.bin"
served 70 rootlink/small.bin "$ROOT/small.bin"
refused 69 2 sub/dir/../../..
refused 70 0 sub/dir/../../..          # the root: a directory, as in.tftpd's error 0
for port in 69 70; do
	refused $port 2 "$(printf 'small.bin\001')"
	refused $port 2 "$(printf 'a\nb')"
	refused $port 1 /etc/passwd
	refused $port 4 hex:736d616c6c2e62696e002e2e2f2e2e2f6574632f706173737764  # small.bin\0../../etc/passwd
	refused $port 0 private.txt        # in.tftpd: code 0, "Permission denied"
	refused $port 2 nobody-only.bin
	refused $port 0 sub                # code 0, "Is a directory"
	refused $port 2 fifo
	served $port /small.bin "$ROOT/small.bin"
	served $port sub/dir/inlink "$ROOT/small.bin"
	served $port hex:736d616c6c2e62696effff "$ROOT/small.bin"    # 0xFF padding
done
served 69 "$ROOT/sub/dir/deep.bin" "$ROOT/small.bin"      # in.tftpd: the dir's own path
refused 70 1 "$ROOT/sub/dir/deep.bin"                     # chrooted: no such path
served 71 nobody-only.bin "$ROOT/nobody-only.bin"          # -p
refused 71 0 private.txt                                  # -p: still the system's rules
served 72 k1.bin "$ROOT/k1.bin"                           # the first directory holding it
served 72 "$ROOT2/k1.bin" "$ROOT2/k1.bin"                 # the one it names
served 72 "$ROOT/k1.bin" "$ROOT/k1.bin"
refused 72 1 "$ROOT2/small.bin"                           # not looked up elsewhere
assert_log "$T/log" 'Client 127.0.0.1 ".." in file name ../etc/passwd'
assert_log "$T/log" 'Client 127.0.0.1 control character in file name a\x0ab'
echo PASS
