# Refusals in in.tftpd's codes and words (tftp-hpa 5.2, side by side):
# a directory, a file nobody may open, one without the world bit, a name
# too long, an "a" remap rule, a bad or missing mode, an option value
# outside its RFC's range (before a WRQ truncates anything), and write
# requests to files that may not be written.
. "$PXE_SRC/tests/tftpd/tftpd-lib.sh"
box_setup
for f in nobody600 nobody644 ww; do echo keep >"$ROOT/$f.bin"; done
chown nobody "$ROOT/nobody600.bin" "$ROOT/nobody644.bin"
chmod 600 "$ROOT/nobody600.bin"
chmod 644 "$ROOT/nobody644.bin"
chmod 666 "$ROOT/ww.bin"
printf 'a ^denied\n' >"$T/rules"
start_tftpd box "$T/log" 69 -a 127.0.0.1 -s -m "$T/rules" "$ROOT"

# answers CODE MESSAGE NAME [tftpc args...]: the server refuses NAME so.
answers() {
	local code=$1 msg=$2 name=$3 out
	shift 3
	out=$(netns_exec box "${TFTPC[@]}" 127.0.0.1 "$name" "$@")
	[ "$(kv error "$out")" = "$code" ] && [ "$(kv errmsg "$out")" = "$msg" ] ||
		fail "${name:0:40} $*: want error $code \"$msg\", got: $out"
}

long=$(printf 'a%.0s' $(seq 300))
bad_option="Unsupported option(s) requested"
answers 0 "Is a directory" sub
answers 0 "Is a directory" /
answers 0 "Permission denied" private.txt
answers 2 "File must have global read permissions" nobody600.bin
answers 0 "File name too long" "$long"
answers 1 "File not found" missing.bin
answers 2 "Access denied" denied.bin
answers 4 "Unknown mode" small.bin --mode mail
answers 4 "Missing mode" ""
answers 8 "$bad_option" small.bin --opt blksize=7
answers 8 "$bad_option" small.bin --opt timeout=300
answers 8 "$bad_option" small.bin --opt utimeout=1

answers 0 "Permission denied" small.bin --wrq
answers 2 "File must have global write permissions" nobody644.bin --wrq
answers 0 "Is a directory" sub --wrq
answers 1 "File not found" new.bin --wrq
answers 8 "$bad_option" ww.bin --wrq --opt blksize=0
for f in nobody644 ww; do
	[ "$(cat "$ROOT/$f.bin")" = keep ] || fail "$f.bin changed by a refused WRQ"
done
assert_log "$T/log" "Client 127.0.0.1 File must have global read permissions nobody600.bin"
echo PASS
