#!/usr/bin/env python3
"""Check pxe-status's JSON (read from stdin) against what the VMs did.

    status-check.py done MAC=FIRMWARE[|FIRMWARE] ...
        every MAC's row is at stage "done", with one of the firmware names
        and a time recorded for each stage it went through
    status-check.py stuck MAC STAGE ERROR
        MAC's row is STUCK at STAGE and its last error contains ERROR

Exit 0 when it holds; otherwise 1, with the offending rows on stderr.
"""
import json
import sys

STAGES = ("bootloader", "config", "kernel", "initrd", "install-tree")


def rows_by_mac(board):
    return {pc["mac"]: pc for pc in board["pcs"] if pc.get("mac")}


def check_done(rows, specs):
    bad = []
    for spec in specs:
        mac, names = spec.split("=", 1)
        pc = rows.get(mac)
        if pc is None:
            bad.append(f"{mac}: no row")
        elif pc["stage"] != "done":
            bad.append(f"{mac}: stage {pc['stage']}, error {pc.get('error')}")
        elif pc["firmware"] not in names.split("|"):
            bad.append(f"{mac}: firmware {pc['firmware']}, expected {names}")
        elif any(s not in pc.get("stage_secs", {}) for s in STAGES):
            bad.append(f"{mac}: stage times {pc.get('stage_secs')}")
    return bad


def error_text(pc):
    error = pc.get("error") or {}
    return error.get("reason", "") if isinstance(error, dict) else str(error)


def check_stuck(rows, mac, stage, error):
    pc = rows.get(mac)
    if pc is None:
        return [f"{mac}: no row"]
    if not (pc["stuck"] and pc["stage"] == stage and
            error.lower() in error_text(pc).lower()):
        return [f"{mac}: stuck={pc['stuck']} stage={pc['stage']} error={pc.get('error')}"]
    return []


def main():
    rows = rows_by_mac(json.load(sys.stdin))
    if sys.argv[1] == "done":
        bad = check_done(rows, sys.argv[2:])
    else:
        bad = check_stuck(rows, *sys.argv[2:5])
    for line in bad:
        print("pxe-status:", line, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
