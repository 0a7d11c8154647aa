#!/usr/bin/env python3
"""Profiles one training step of a PyTorch reference (models.py) per operator, the counterpart of
`gen4j bench --op-trace`: warms up as bench.py does, then runs one step under torch.autograd.profiler,
prints the operators by self CPU time and writes the Chrome trace for bench/tools/optime.py.

    /usr/bin/python3 bench/pytorch/profile_ops.py --family pixelcnn --threads 1 --trace /tmp/torch-pixelcnn.json
"""
import argparse
import time

import torch

import models


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--family", required=True, choices=list(models.FAMILIES))
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup-seconds", type=float, default=5.0)
    p.add_argument("--trace", default=None, help="write the Chrome trace of the profiled step here")
    p.add_argument("--top", type=int, default=25)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    m = models.FAMILIES[a.family]()
    start = time.perf_counter()
    while time.perf_counter() - start < a.warmup_seconds:
        m.train_step()
    with torch.autograd.profiler.profile() as prof:
        m.train_step()
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=a.top))
    if a.trace:
        prof.export_chrome_trace(a.trace)


if __name__ == "__main__":
    main()
