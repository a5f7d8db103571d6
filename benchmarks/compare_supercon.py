#!/usr/bin/python3
"""Compare materia's WHH solver with the approaches found in peer scripts (SCIENCE.md §6.3).

Usage:  /usr/bin/python3 benchmarks/compare_supercon.py BUILD_DIR/materia

Peers (no standard library exists): (a) the truncated Matsubara sum with N terms, vectorised with
NumPy and solved with scipy.optimize.brentq (the usual GitHub-script approach); (b) the closed
digamma form with mpmath at 30 digits (slow, accurate — used as the reference).  materia is timed
through `materia whh` (which also fits lines, GL and a full WHH curve, so the ratio is an upper bound
on materia's per-solve cost).  Prints accuracy of h*(0) and wall-time ratios.
"""
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
    exe = sys.argv[1] if len(sys.argv) > 1 else "build/materia"
    a, l = 1.0, 1.0
    ref0 = 0.605752505040627  # h*(0; 1, 1), mpmath t = 0 limit (tests/supercon/ref/whh_reference.py)
    t_small = 1e-4
    t0 = time.perf_counter()
    ref_small = hstar_mp(t_small, a, l)
    t_mp = time.perf_counter() - t0
    print(f"mpmath closed form h*(1e-4) = {ref_small:.12f}  ({t_mp * 1e3:.1f} ms per solve)")
    for N in (1000, 10000, 1000000):
        t0 = time.perf_counter()
        try:
            v = hstar_sum(t_small, a, l, N)
        except ValueError:
            print(f"Matsubara sum N={N:>7}: no root at all (the truncated sum never reaches ln(1/t))")
            continue
        dt = time.perf_counter() - t0
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
    print(f"ratio mpmath-one-solve / materia-whole-command = {t_mp / dt:.2f} (the command also starts a process, "
          "fits a line, GL, parabolic and a full WHH curve; per-solve timing: benchmarks/bench_supercon.cpp "
          "BM_whh_solve)")


if __name__ == "__main__":
    main()
