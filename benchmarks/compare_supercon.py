#!/usr/bin/python3
"""Compare materia's WHH solver with the approaches found in peer scripts (SCIENCE.md §6.3).

Usage:  /usr/bin/python3 benchmarks/compare_supercon.py BUILD_DIR/materia [--bench BUILD_DIR/benchmarks/bench_supercon]

Peers (no standard library exists): (a) the truncated Matsubara sum with N terms, vectorised with
NumPy and solved with scipy.optimize.brentq (the usual GitHub-script approach); (b) the closed
digamma form with mpmath at 30 digits (slow, accurate — used as the reference).  materia is timed
through `materia whh` (which also fits lines, GL and a full WHH curve, so the ratio is an upper bound
on materia's per-solve cost).  Prints accuracy of h*(0) and wall-time ratios, and for
benchmarks/compare_all.sh the lines `RESULT <analysis> <size> <materia_s> <peer> <peer_s> note`.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import mpmath as mp
import numpy as np
from scipy.optimize import brentq


def hstar_sum(t, a, l, N):
    nu = np.arange(N)
    k = 2 * nu + 1.0

    def f(h):
        s = np.sum(1.0 / k - 1.0 / (k + h / t + (a * h / t) ** 2 / (k + (h + l) / t)))
        return 2 * s - math.log(1 / t)
    return math.pi ** 2 / 4 * brentq(f, 1e-9, 2.0, xtol=1e-15)


def hstar_mp(t, a, l):
    mp.mp.dps = 30
    t = mp.mpf(t)

    def f(h):
        g = mp.sqrt(mp.mpc((a * h) ** 2 - (l / 2) ** 2))
        z = 0.5 + (h + l / 2 + 1j * g) / (2 * t)
        zc = 0.5 + (h + l / 2 - 1j * g) / (2 * t)
        v = (0.5 + 1j * l / (4 * g)) * mp.digamma(z) + (0.5 - 1j * l / (4 * g)) * mp.digamma(zc) - mp.digamma(0.5)
        return mp.re(v) - mp.log(1 / t)
    return float(mp.pi ** 2 / 4 * mp.findroot(f, (mp.mpf('1e-6'), mp.mpf('0.3')), solver='anderson'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("materia", nargs="?", default="build/materia")
    ap.add_argument("--bench", help="bench_supercon (Google Benchmark): adds materia's own per-solve time")
    args = ap.parse_args()
    exe = args.materia
    a, l = 1.0, 1.0
    ref0 = 0.605752505040627  # h*(0; 1, 1), mpmath t = 0 limit (tests/supercon/ref/whh_reference.py)
    t_small = 1e-4
    t0 = time.perf_counter()
    ref_small = hstar_mp(t_small, a, l)
    t_mp = time.perf_counter() - t0
    print(f"mpmath closed form h*(1e-4) = {ref_small:.12f}  ({t_mp * 1e3:.1f} ms per solve)")
    sums = []
    for N in (1000, 10000, 1000000):
        t0 = time.perf_counter()
        try:
            v = hstar_sum(t_small, a, l, N)
        except ValueError:
            print(f"Matsubara sum N={N:>7}: no root at all (the truncated sum never reaches ln(1/t))")
            continue
        dt = time.perf_counter() - t0
        sums.append((N, dt, v - ref_small))
        print(f"Matsubara sum N={N:>7}: h*(1e-4) = {v:.12f}  error {v - ref_small:+.2e}  ({dt * 1e3:.1f} ms per solve)")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "hc.csv")
        with open(path, "w") as f:
            f.write("T,H\n" + "".join(f"{t},{2.0 * (5.0 - t)}\n" for t in (4.0, 4.3, 4.6, 4.9)))
        reps = 20
        t0 = time.perf_counter()
        for _ in range(reps):
            out = subprocess.run([exe, "whh", path, "--alpha", str(a), "--lambda-so", str(l)],
                                 capture_output=True, text=True, check=True).stdout
        dt = (time.perf_counter() - t0) / reps
    row = [r for r in out.splitlines() if r.startswith("Hc2_whh_full,")][0]
    hfull = float(row.split(",")[1])
    h0 = hfull / 10.0  # Tc·|slope| = 10 T for this input
    print(f"materia whh (whole command): h*(0) = {h0:.12f}  error {h0 - ref0:+.2e}  ({dt * 1e3:.1f} ms per run)")
    # Machine-readable lines for benchmarks/compare_all.sh: materia's whole `whh` command (process start,
    # line fit, GL, parabolic and a full WHH curve) against ONE solve of each peer approach.
    print(f"RESULT WHH_h*(t) 1_solve_alpha=lambda=1 {dt:.6g} mpmath_digamma_findroot {t_mp:.6g} materia: whole `materia "
          f"whh` command (process + several fits), peer: one solve at t=1e-4; materia error {h0 - ref0:+.1e}")
    if sums:  # the most accurate truncation that has a root
        N, tn, err = sums[-1]
        print(f"RESULT WHH_h*(t) 1_solve_alpha=lambda=1 {dt:.6g} NumPy_Matsubara_sum_N={N}+brentq {tn:.6g} materia: whole "
              f"command; peer: one solve at t=1e-4, its truncation error {err:+.1e}")
    if args.bench and os.path.exists(args.bench):
        js = subprocess.run([args.bench, "--benchmark_filter=BM_whh_solve/1$", "--benchmark_format=json",
                             "--benchmark_min_time=0.2"], capture_output=True, text=True, check=True).stdout
        b = json.loads(js)["benchmarks"][0]
        t_solve = b["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        print(f"materia one WHH solve (bench_supercon BM_whh_solve/1, t = 1e-3): {t_solve * 1e6:.2f} us")
        print(f"RESULT WHH_h*(t)_per_solve 1_solve_alpha=lambda=1 {t_solve:.6g} mpmath_digamma_findroot {t_mp:.6g} "
              f"materia: one solve in-process (Google Benchmark BM_whh_solve/1, t=1e-3); mpmath: one solve at t=1e-4 "
              f"(30 digits); materia error at t=0 {h0 - ref0:+.1e}")
    print(f"ratio mpmath-one-solve / materia-whole-command = {t_mp / dt:.2f} (the command also starts a process, "
          "fits a line, GL, parabolic and a full WHH curve; per-solve timing: benchmarks/bench_supercon.cpp "
          "BM_whh_solve)")


if __name__ == "__main__":
    main()
