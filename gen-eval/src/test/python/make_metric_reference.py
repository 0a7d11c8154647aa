#!/usr/bin/env python3
"""Reference values for gen-eval's metrics, computed with numpy/scipy.

Writes src/test/resources/io/gen4j/eval/metric-reference.json: seeded random features and the
values of FID, KID (one full subset), IS (one split), precision/recall (k=3), density/coverage (k=5),
CLIP score (both conventions) computed here independently of the Java code. The Java test
MetricReferenceTest reads the file, so the build needs neither Python nor network.

Run with Debian's python (apt-get install python3-numpy python3-scipy):
    /usr/bin/python3 gen-eval/src/test/python/make_metric_reference.py
"""
import json
import os

import numpy as np
from scipy import linalg
from scipy.spatial.distance import cdist


def fid(x, y):
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)  # unbiased (N-1)
    covmean = linalg.sqrtm(s1 @ s2)  # Schur-based, independent of the Java eigen route
    covmean = covmean.real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def mmd2(x, y):
    d = x.shape[1]
    m, n = len(x), len(y)
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1))
                 + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
                 - 2 * kxy.sum() / (m * n))


def inception_score_one_split(logits):
    logp = logits - logits.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    p = np.exp(logp)
    py = p.mean(0)
    kl = (p * (logp - np.log(py)[None, :])).sum(1).mean()
    return float(np.exp(kl))


def kth_radius(x, k):
    d = cdist(x, x)
    np.fill_diagonal(d, np.inf)  # exclude self
    return np.sort(d, axis=1)[:, k - 1]


def precision_recall(gen, real, k=3):
    rr, rg = kth_radius(real, k), kth_radius(gen, k)
    d = cdist(gen, real)
    precision = (d <= rr[None, :]).any(1).mean()
    recall = (d.T <= rg[None, :]).any(1).mean()
    return float(precision), float(recall)


def density_coverage(gen, real, k=5):
    rr = kth_radius(real, k)
    d = cdist(real, gen)
    density = (d < rr[:, None]).sum() / (k * len(gen))
    coverage = (d.min(1) < rr).mean()
    return float(density), float(coverage)


def clip(img, txt):
    img = img / np.linalg.norm(img, axis=1, keepdims=True)
    txt = txt / np.linalg.norm(txt, axis=1, keepdims=True)
    cos = (img * txt).sum(1)
    return float((2.5 * np.maximum(cos, 0)).mean()), float(max((100 * cos).mean(), 0.0))


def main():
    rng = np.random.default_rng(20240611)
    d = 16
    real = rng.standard_normal((200, d)) @ (np.eye(d) + 0.3 * rng.standard_normal((d, d))) + 0.5
    gen = 1.2 * rng.standard_normal((150, d)) + 0.8
    logits = 3.0 * rng.standard_normal((120, 10))
    img = rng.standard_normal((64, 8))
    txt = img + 1.5 * rng.standard_normal((64, 8))

    s1, s2 = np.cov(real, rowvar=False), np.cov(gen, rowvar=False)
    w, v = linalg.eigh(s1)  # cross-check sqrtm against the eigen route
    r1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    alt = np.sqrt(np.clip(linalg.eigvalsh(r1 @ s2 @ r1), 0, None)).sum()
    assert abs(alt - np.trace(linalg.sqrtm(s1 @ s2).real)) < 1e-9 * alt

    pr = precision_recall(gen, real)
    dc = density_coverage(gen, real)
    hessel, scaled = clip(img, txt)
    out = {
        "real": real.tolist(),
        "gen": gen.tolist(),
        "logits": logits.tolist(),
        "clip_image": img.tolist(),
        "clip_text": txt.tolist(),
        "fid": fid(real, gen),
        "fid_real_real": fid(real[:100], real[100:]),
        "kid_full": mmd2(real, gen),
        "is_one_split": inception_score_one_split(logits),
        "precision_k3": pr[0],
        "recall_k3": pr[1],
        "density_k5": dc[0],
        "coverage_k5": dc[1],
        "clip_hessel": hessel,
        "clip_scaled_100": scaled,
    }
    res = os.path.join(os.path.dirname(__file__), "..", "resources", "io", "gen4j", "eval")
    # reference statistics in the pytorch-fid / clean-fid .npz layout
    np.savez(os.path.join(res, "real-stats.npz"), mu=real.mean(0), sigma=np.cov(real, rowvar=False))
    path = os.path.join(res, "metric-reference.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print({k: v for k, v in out.items() if not isinstance(v, list)})


if __name__ == "__main__":
    main()
