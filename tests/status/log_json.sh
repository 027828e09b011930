#!/bin/bash
# pxe-status explains a boot from the logs alone: it reads a day-old
# journal (short-iso) and the same lines as BSD syslog from stdin, and its
# JSON must show each PC's row: done with its stage times, STUCK at kernel
# with "file not found", a relayed PC mid-initrd.
set -u
. "$PXE_SRC/tests/lib/netns.sh"   # skip/fail/tmpdir helpers; no namespace is made
need_cmd python3

status="$PXE_BUILD/status/pxe-status"
log="$PXE_SRC/tests/status/boot.log"
dir=$(tmpdir)

[ -x "$status" ] || fail "no $status"
"$status" --json --at-end --stuck 30 --from "$log" > "$dir/iso.json" || fail "pxe-status --json failed"

# The same log as BSD syslog lines (UTC), read from stdin.
python3 - "$log" > "$dir/bsd.log" <<'PY' || fail "convert"
import sys, datetime
for line in open(sys.argv[1]):
    stamp, sep, rest = line.partition(" ")
    try:
        t = datetime.datetime.strptime(stamp.replace("+0000", ""), "%Y-%m-%dT%H:%M:%S.%f")
    except ValueError:
        try:
            t = datetime.datetime.strptime(stamp.replace("+0000", ""), "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            print(line, end=""); continue
    frac = ".%06d" % t.microsecond if t.microsecond else ""
    print(t.strftime("%b %d %H:%M:%S") + frac + " " + rest, end="")
PY
TZ=UTC "$status" --json --at-end --stuck 30 < "$dir/bsd.log" > "$dir/bsd.json" || fail "pxe-status from stdin failed"

python3 - "$dir/iso.json" "$dir/bsd.json" <<'PY' || fail "JSON does not tell the boot"
import json, sys
iso = json.load(open(sys.argv[1]))
bsd = json.load(open(sys.argv[2]))
pcs = {pc["mac"]: pc for pc in iso["pcs"]}
assert len(pcs) == 3, pcs.keys()

done = pcs["52:54:00:00:00:0a"]
assert done["stage"] == "done" and not done["stuck"], done
assert done["firmware"] == "iPXE" and done["arch"] == 0, done
assert done["address"] == "198.18.0.10", done
assert done["client_ids"] == ["01:52:54:00:00:00:0a"], done
assert done["stage_secs"] == {"dhcp": 4.0, "bootloader": 2.0, "config": 4.0, "kernel": 3.0,
                              "initrd": 28.0, "install-tree": 3.0}, done["stage_secs"]
assert done["transfer"]["file"] == "pub/centos/images/install.img", done
assert done["transfer"]["bytes"] == 104857600, done
assert done["error"] is None, done

stuck = pcs["52:54:00:00:00:0b"]
assert stuck["stage"] == "kernel" and stuck["stuck"], stuck
assert stuck["firmware"] == "UEFI" and stuck["arch_name"] == "x64", stuck
assert stuck["error"] == {"reason": "File not found", "file": "/images/vmlinuz-missing",
                          "stage": "kernel"}, stuck["error"]
assert stuck["time_in_stage"] == 33.0, stuck

relayed = pcs["52:54:00:00:00:0c"]
assert relayed["relay"] == "198.18.2.1" and relayed["address"] == "198.18.2.50", relayed
assert relayed["stage"] == "initrd" and not relayed["stuck"], relayed
assert relayed["transfer"]["active"] and relayed["transfer"]["bytes"] == 10485760, relayed
assert relayed["transfer"]["size"] == 52428800 and relayed["transfer"]["retransmits"] == 2, relayed

assert iso["counters"] == {"events": 43, "ignored": 0, "unattributable": 0, "dropped": 0}, iso
assert iso["pcs"] == bsd["pcs"], "syslog stamps give another story than journal stamps"
PY

# The table says the same to a person.
"$status" --once --at-end --stuck 30 --from "$log" > "$dir/table" || fail "pxe-status --once failed"
grep -q '^52:54:00:00:00:0b .* kernel .*STUCK File not found (/images/vmlinuz-missing)$' "$dir/table" ||
	fail "no STUCK kernel row: $(cat "$dir/table")"

# Start-up errors are fatal with a status.
"$status" --bogus > /dev/null 2>&1; [ $? = 2 ] || fail "bad flag not refused"
"$status" --from "$dir/missing" > /dev/null 2>&1; [ $? = 1 ] || fail "missing file not an error"
"$status" --stuck soon < /dev/null > /dev/null 2>&1; [ $? = 2 ] || fail "bad --stuck not refused"
echo "PASS"
