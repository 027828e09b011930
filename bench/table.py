#!/usr/bin/env python3
"""Print one metric of a bench results file as a table with ratios.

results.tsv lines: VARIANT <tab> SERVER <tab> METRIC <tab> VALUE
Rows are variants in first-seen order, columns the servers ("ours" first),
then one "ours/PEER" column per peer. A value that is not a number (n/a,
DNF...) is printed as it is and gives no ratio.
"""
import sys


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def fmt(value):
    num = number(value)
    if num is None:
        return value
    if num.is_integer() and abs(num) < 1e9:
        return "%d" % num
    if abs(num) >= 100:
        return "%.0f" % num
    if abs(num) >= 1:
        return "%.2f" % num
    return "%.3g" % num


def load(path, metric):
    variants, servers, cells = [], [], {}
    with open(path) as results:
        for line in results:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4 or parts[2] != metric:
                continue
            variant, server, _, value = parts
            if variant not in variants:
                variants.append(variant)
            if server not in servers:
                servers.append(server)
            cells[(variant, server)] = value
    first_seen = list(servers)
    servers.sort(key=lambda s: (s != "ours", first_seen.index(s)))
    return variants, servers, cells


def ratio(cells, variant, peer):
    ours = number(cells.get((variant, "ours"), ""))
    theirs = number(cells.get((variant, peer), ""))
    if ours is None or theirs is None or theirs == 0:
        return "-"
    return "%.2f" % (ours / theirs)


def main():
    path, metric, title, better = sys.argv[1:5]
    variants, servers, cells = load(path, metric)
    if not variants:
        return
    peers = [s for s in servers if s != "ours"]
    numeric = any(number(v) is not None for v in cells.values())
    with_ratios = "ours" in servers and numeric
    head = ["variant"] + servers
    if with_ratios:
        head += ["ours/" + p for p in peers]
    rows = []
    for variant in variants:
        row = [variant] + [fmt(cells.get((variant, s), "-")) for s in servers]
        if with_ratios:
            row += [ratio(cells, variant, p) for p in peers]
        rows.append(row)
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    note = {"low": "lower is better", "high": "higher is better"}.get(better, "for information")
    print("\n## %s  [%s; %s]" % (title, metric, note))
    for row in [head] + rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))))


if __name__ == "__main__":
    main()
