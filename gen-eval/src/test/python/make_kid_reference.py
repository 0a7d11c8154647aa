#!/usr/bin/env python3
"""KID reference values over seeded subsets, for cases where the subset-size cap binds.

KID (Binkowski et al. 2018) averages the unbiased MMD^2 with the kernel (x.y/d + 1)^3 over
`num_subsets` pairs of subsets of size m = min(max_subset_size, N_real, N_gen). gen-eval's Kid draws
each pair from one java.util.Random(seed): m real rows, then m generated rows, with gen-core's
Permutations.sample. This script draws the same indices with an independent re-implementation of
java.util.Random and of the sampler (gen-core/src/test/python/java_random.py), computes MMD^2 with numpy
(the kernel matrices written out in full, diagonals removed with np.trace) and reports the mean and the
population std over subsets.

Input: the seeded features `real` (200 x 16) and `gen` (150 x 16) of metric-reference.json (written by
make_metric_reference.py; this script does not change that file). Output: kid-reference.json next to
it, read by KidTest.

Run: python3 gen-eval/src/test/python/make_kid_reference.py   (numpy only)
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "gen-core", "src", "test", "python"))
from java_random import JavaRandom, sample  # noqa: E402

RES = os.path.join(HERE, "..", "resources", "io", "gen4j", "eval")


def mmd2(x, y):
    d = x.shape[1]
    m, n = len(x), len(y)
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1))
                 + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
                 - 2 * kxy.sum() / (m * n))


def kid(real, gen, num_subsets, max_subset_size, seed):
    m = min(max_subset_size, len(real), len(gen))
    rnd = JavaRandom(seed)
    values = []
    for _ in range(num_subsets):
        x = real[sample(len(real), m, rnd)]
        y = gen[sample(len(gen), m, rnd)]
        values.append(mmd2(x, y))
    values = np.array(values)
    return {"subset_size": m, "subsets": num_subsets, "mean": float(values.mean()),
            "std": float(values.std()), "first": float(values[0])}


def main():
    with open(os.path.join(RES, "metric-reference.json")) as f:
        ref = json.load(f)
    real = np.array(ref["real"])
    gen = np.array(ref["gen"])
    cases = {
        # the cap binds: m = 50 < N_gen = 150 < N_real = 200
        "cap50_subsets7_seed3": {"swap": False, "num_subsets": 7, "max_subset_size": 50, "seed": 3},
        # N_gen binds: m = 150 (all generated rows, permuted), 150 of the 200 real rows
        "cap1000_subsets5_seed11": {"swap": False, "num_subsets": 5, "max_subset_size": 1000, "seed": 11},
        # N_real binds: the 150-row set as the real one, m = 150 of the 200 generated rows
        "swapped_cap1000_subsets4_seed2": {"swap": True, "num_subsets": 4, "max_subset_size": 1000, "seed": 2},
    }
    out = {}
    for name, c in cases.items():
        r, g = (gen, real) if c["swap"] else (real, gen)
        out[name] = dict(c, **kid(r, g, c["num_subsets"], c["max_subset_size"], c["seed"]))
    with open(os.path.join(RES, "kid-reference.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
