#!/usr/bin/env python3
"""Time per oneDNN primitive in a verbose log: which convolutions and reorders a step runs, in which layouts.

Run a workload with ONEDNN_VERBOSE=1 (libtorch 2.x, gen4j) or DNNL_VERBOSE=1 (PyTorch 1.13's older oneDNN also
reads ONEDNN_VERBOSE), keep its standard output, and summarise the `exec` lines: one row per primitive kind,
propagation, implementation, problem and memory formats, with its calls and its summed execution time (oneDNN
measures each call itself, so the figures are the kernels' own, without the framework around them). With
--steps N the calls and times are divided by N; with --from / --to only the lines between two markers the
workload prints (regular expressions) count, e.g. after the warm-up steps.

    ONEDNN_VERBOSE=1 ./gen4j bench --family dcgan --threads 1 --repeats 10 > /tmp/v.txt
    /usr/bin/python3 bench/tools/onednn_summary.py /tmp/v.txt --top 20
    /usr/bin/python3 bench/tools/onednn_summary.py /tmp/v.txt --from MARK-START --to MARK-END --steps 50

The format columns name oneDNN's memory tags: `abcd` is (N, C, H, W)-contiguous, `acdb` channels-last,
`aBcd16b` its blocked layout with 16 channels innermost; a reorder between `abcd` and `aBcd16b` around every
convolution is the cost of handing it (N, C, H, W) arrays (docs/performance.md, sessions 17 and 18).
"""
import argparse
import collections
import re
import sys


def parse(line):
    """(kind, propagation, implementation, problem, formats, milliseconds) of an exec line, else None."""
    if "verbose" not in line or ",exec," not in line:
        return None
    p = line.rstrip("\n").split(",")
    try:
        i = p.index("exec")
        ms = float(p[-1])
    except ValueError:
        return None
    # after "exec": engine, kind, implementation, propagation, memory descriptors, attributes, auxiliary,
    # problem, time (libtorch 2.x writes "v1,primitive," before "exec"; PyTorch 1.13's oneDNN does not)
    if len(p) < i + 9:
        return None
    kind, impl, prop, mds, problem = p[i + 2], p[i + 3], p[i + 4], p[i + 5], p[-2]
    formats = []
    for md in mds.split():
        parts = md.split(":")
        # "src:f32::blocked:acdb::f0" (libtorch 2.x) or "src_f32::blocked:abcd:f0" (PyTorch 1.13)
        name = re.sub(r"_(f32|f64|bf16|f16|s8|u8|s32|undef)$", "", parts[0])
        tag = ""
        if "blocked" in parts:
            k = parts.index("blocked")
            tag = parts[k + 1] if k + 1 < len(parts) else ""
        formats.append(name + ":" + tag)
    return kind, prop, impl, problem, " ".join(formats), ms


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("log", nargs="?", default="-", help="the verbose log (default: standard input)")
    ap.add_argument("--steps", type=float, default=1, help="divide calls and times by this many steps")
    ap.add_argument("--from", dest="start", help="count only after the first line matching this expression")
    ap.add_argument("--to", dest="end", help="stop at the first line matching this expression (after --from)")
    ap.add_argument("--top", type=int, default=25, help="rows to print (default 25)")
    a = ap.parse_args()
    f = sys.stdin if a.log == "-" else open(a.log, errors="replace")
    counting = a.start is None
    start = re.compile(a.start) if a.start else None
    end = re.compile(a.end) if a.end else None
    rows = collections.defaultdict(lambda: [0, 0.0])
    kinds = collections.defaultdict(float)
    for line in f:
        if not counting:
            counting = bool(start.search(line))
            continue
        if end is not None and end.search(line):
            break
        r = parse(line)
        if r is None:
            continue
        rows[r[:5]][0] += 1
        rows[r[:5]][1] += r[5]
        kinds[r[0]] += r[5]
    n = a.steps
    total = sum(kinds.values())
    print("per %s: %s; all %.2f ms" % ("step" if n != 1 else "log",
                                     ", ".join("%s %.2f ms" % (k, v / n) for k, v in sorted(kinds.items())), total / n))
    print("%8s %10s  %s" % ("calls", "ms", "kind | propagation | implementation | problem | formats"))
    for key, (calls, ms) in sorted(rows.items(), key=lambda kv: -kv[1][1])[:a.top]:
        print("%8.1f %10.3f  %s" % (calls / n, ms / n, " | ".join(key)))


if __name__ == "__main__":
    main()
