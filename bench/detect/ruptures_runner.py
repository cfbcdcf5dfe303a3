#!/usr/bin/env python3
"""Peer baseline for `npm run bench:detect`: ruptures PELT and BinSeg on the same series.

Reads a JSON file {"c": float, "series": [{"id": str, "values": [float, ...]}]} and writes
{"results": {id: {"pelt": [...], "binseg": [...], "pelt_s": float, "binseg_s": float}}}
to the output path. Change points are indices of the first sample of each new segment.

Penalty (fixed rule, never tuned on labels): pen = c * sigma^2 * ln(n), with sigma estimated
robustly from first differences (1.4826 * median|diff| / sqrt(2); the mean |diff| when the median
is 0, i.e. on quantised series): a BIC-like penalty for the
l2 (mean-shift) cost, min_size 2, jump 1 (every index is a candidate).

PELT runs as ruptures' KernelCPD with the linear kernel: the same l2 cost and the same PELT search,
implemented in C (ruptures' pure-Python Pelt(model="l2") takes ~20 s per 1000 points at jump 1).
BinSeg is ruptures' Binseg(model="l2"); series longer than binseg_max_points (default 4000) are
averaged over blocks of k samples first (change points mapped back as index * k).
"""
import json
import math
import sys
import time

import numpy as np
import ruptures as rpt


def sigma_from_diffs(x):
    d = np.abs(np.diff(x))
    if d.size == 0:
        return 0.0
    med = float(np.median(d))
    if med == 0.0:
        # quantised series (most consecutive values equal): the median collapses to 0, so use the
        # mean |diff| (E|diff| = 2 sigma / sqrt(pi) for Gaussian noise)
        return float(np.mean(d)) * math.sqrt(math.pi) / 2.0
    return 1.4826 * med / math.sqrt(2.0)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        job = json.load(f)
    c = float(job.get("c", 2.0))
    max_points = int(job.get("binseg_max_points", 4000))
    out = {}
    for s in job["series"]:
        x = np.asarray(s["values"], dtype=float)
        n = x.size
        sigma = sigma_from_diffs(x)
        # a constant series has sigma 0: fall back to a tiny scale so a clean step still costs something
        if sigma <= 0:
            sigma = 1e-9 * max(1.0, float(np.median(np.abs(x)))) if n else 1e-9
        pen = c * sigma * sigma * math.log(max(n, 2))
        res = {}
        # PELT: the whole series
        t0 = time.perf_counter()
        cps = [] if n < 4 else rpt.KernelCPD(kernel="linear", min_size=2, jump=1).fit(x.reshape(-1, 1)).predict(pen=pen)[:-1]
        res["pelt"] = [int(k) for k in cps]
        res["pelt_s"] = time.perf_counter() - t0
        # BinSeg (pure Python, O(n) per split): series longer than max_points are replaced by means of
        # k consecutive samples first, and change points mapped back (index * k), to bound the run time
        t0 = time.perf_counter()
        k = max(1, math.ceil(n / max_points))
        xb = x[: (n // k) * k].reshape(-1, k).mean(axis=1) if k > 1 else x
        sb = sigma_from_diffs(xb) or sigma
        penb = c * sb * sb * math.log(max(xb.size, 2))
        cps = [] if xb.size < 4 else rpt.Binseg(model="l2", min_size=2, jump=1).fit(xb.reshape(-1, 1)).predict(pen=penb)[:-1]
        res["binseg"] = [int(i) * k for i in cps]
        res["binseg_s"] = time.perf_counter() - t0
        res["binseg_k"] = k
        out[s["id"]] = res
    with open(dst, "w") as f:
        json.dump({"results": out}, f)


if __name__ == "__main__":
    main()
