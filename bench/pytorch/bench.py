#!/usr/bin/env python3
"""Times the PyTorch references (models.py) as `gen4j bench` times gen4j's models.

Prints, per family, the same TSV line as `gen4j bench --tsv`:
TSV family batch train_wall_ms train_cpu_ms sample_wall_ms sample_cpu_ms peak_rss_mib
(wall: median per step; cpu: process user+sys per step, mean over the timed steps; each phase is
timed for at least --repeats steps and --min-seconds seconds after at least --warmup steps and
--warmup-seconds seconds of untimed steps, as gen4j's).
"""
import argparse
import os
import resource
import statistics
import time

import torch

import models


def phase(fn, units, warmup, warmup_seconds, repeats, min_seconds):
    done = 0
    start = time.perf_counter()
    while done < warmup or time.perf_counter() - start < warmup_seconds:
        fn()
        done += 1
    wall = []
    start = time.perf_counter()
    c0 = time.process_time()
    while len(wall) < repeats or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1e3 / units)
    cpu = (time.process_time() - c0) * 1e3 / units / len(wall)
    return statistics.median(wall), cpu


def autocast(fn):
    """fn run under CPU bfloat16 autocast."""
    def run():
        with torch.autocast("cpu", dtype=torch.bfloat16):
            return fn()
    return run


def blas():
    """The BLAS torch's matrix products call: Debian's torch uses whatever libblas.so.3 points to."""
    path = "/usr/lib/x86_64-linux-gnu/libblas.so.3"
    return os.path.realpath(path) if os.path.exists(path) else "as built"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--family", default="all", choices=["all"] + list(models.FAMILIES))
    p.add_argument("--threads", type=int, default=None, help="intra-op threads (default: PyTorch's)")
    p.add_argument("--batch", type=int, default=0, help="0: the family's reference batch")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--warmup-seconds", type=float, default=5.0, help="and warm up at least this long (as gen4j)")
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--min-seconds", type=float, default=2.0, help="time each phase at least this long")
    p.add_argument("--autocast", choices=["off", "bf16"], default="off",
                   help="bf16: run each step under torch.autocast('cpu', dtype=torch.bfloat16), PyTorch's usual"
                        " mixed precision (convolutions, linear layers and matrix products in bfloat16)")
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    fams = list(models.FAMILIES) if a.family == "all" else [a.family]
    for f in fams:
        m = models.FAMILIES[f](a.batch) if a.batch else models.FAMILIES[f]()
        if hasattr(m, "parameter_counts"):  # to check against gen4j bench's description
            print(f"{f}: parameters " + ", ".join(f"{k} {v:,}" for k, v in m.parameter_counts().items()), flush=True)
        train, sample = m.train_step, m.sample
        if a.autocast == "bf16":
            train, sample = autocast(train), autocast(sample)
        tw, tc = phase(train, 1, a.warmup, a.warmup_seconds, a.repeats, a.min_seconds)
        sw, sc = phase(sample, m.sample_units, a.warmup, a.warmup_seconds, a.repeats, a.min_seconds)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{f}: torch {torch.__version__}, {torch.get_num_threads()} threads, batch {m.batch}, BLAS {blas()},"
              f" autocast {a.autocast}\n"
              f"  train  {tw:9.2f} ms/step wall, {tc:9.2f} ms/step cpu, {m.batch / tw * 1e3:10.1f} items/s\n"
              f"  sample {sw:9.2f} ms/step wall, {sc:9.2f} ms/step cpu, {m.batch / sw * 1e3:10.1f} items/s\n"
              f"  peak RSS {rss} MiB")
        print("\t".join(["TSV", f, str(m.batch), f"{tw:.3f}", f"{tc:.3f}", f"{sw:.3f}", f"{sc:.3f}", str(rss)]),
              flush=True)


if __name__ == "__main__":
    main()
