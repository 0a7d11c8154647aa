#!/usr/bin/env python3
"""Self time per operator name in Chrome traces of libtorch's profiler, for one trace or two side by side.

Reads the traces `gen4j bench --op-trace PREFIX` keeps (PREFIX-train-FAMILY.json: one profiled training
step) and those of bench/pytorch/profile_ops.py (torch.autograd.profiler, one training step). An event's
self time is its duration minus that of the events directly nested in it on the same thread; the table
sums calls and self time per operator name, largest first.

    /usr/bin/python3 bench/tools/optime.py gen4j.json                     # one trace
    /usr/bin/python3 bench/tools/optime.py gen4j.json torch.json --top 30  # A and B, with A - B
"""
import argparse
import collections
import json


def events(path):
    with open(path) as f:
        data = json.load(f)
    evs = data if isinstance(data, list) else data.get("traceEvents", [])
    out = []
    for e in evs:
        if e.get("ph") != "X":
            continue
        # kineto traces of PyTorch also hold python functions and profiler markers: operators only
        cat = e.get("cat", "")
        if cat and cat not in ("cpu_op", "Operator", "operator"):
            continue
        ts = float(e["ts"])
        out.append((str(e.get("tid", "")), ts, ts + float(e.get("dur", 0)), e["name"]))
    return out


def self_times(path):
    """name -> [calls, self microseconds, top-level calls]"""
    evs = sorted(events(path), key=lambda e: (e[0], e[1], -e[2]))
    table = collections.defaultdict(lambda: [0, 0.0, 0])
    stack = []  # [end, name, self time]
    tid = None

    def close(item):
        table[item[1]][1] += item[2]

    for t, start, end, name in evs:
        if t != tid:
            while stack:
                close(stack.pop())
            tid = t
        while stack and stack[-1][0] <= start:
            close(stack.pop())
        if stack:
            stack[-1][2] -= end - start
        else:
            table[name][2] += 1
        table[name][0] += 1
        stack.append([end, name, end - start])
    while stack:
        close(stack.pop())
    return table


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", help="a Chrome trace")
    p.add_argument("b", nargs="?", help="a second trace, shown beside the first")
    p.add_argument("--top", type=int, default=25, help="rows (default 25)")
    args = p.parse_args()
    a = self_times(args.a)
    b = self_times(args.b) if args.b else None
    total_a = sum(v[1] for v in a.values()) / 1e3
    if b is None:
        print("%-44s %7s %7s %10s %6s" % ("operator", "calls", "top", "self ms", "%"))
        for name, (calls, us, top) in sorted(a.items(), key=lambda kv: -kv[1][1])[:args.top]:
            print("%-44s %7d %7d %10.2f %6.1f" % (name[:44], calls, top, us / 1e3, 100 * us / 1e3 / total_a))
        print("%-44s %7d %7d %10.2f" % ("total", sum(v[0] for v in a.values()), sum(v[2] for v in a.values()),
                                         total_a))
        return
    total_b = sum(v[1] for v in b.values()) / 1e3
    names = set(a) | set(b)
    zero = [0, 0.0, 0]
    print("%-40s %7s %9s %7s %9s %9s" % ("operator", "A calls", "A self ms", "B calls", "B self ms", "A - B ms"))
    rows = sorted(names, key=lambda n: -max(a.get(n, zero)[1], b.get(n, zero)[1]))[:args.top]
    for n in rows:
        x, y = a.get(n, zero), b.get(n, zero)
        print("%-40s %7d %9.2f %7d %9.2f %9.2f" % (n[:40], x[0], x[1] / 1e3, y[0], y[1] / 1e3,
                                                   (x[1] - y[1]) / 1e3))
    print("%-40s %7d %9.2f %7d %9.2f %9.2f" % ("total", sum(v[0] for v in a.values()), total_a,
                                               sum(v[0] for v in b.values()), total_b, total_a - total_b))


if __name__ == "__main__":
    main()
