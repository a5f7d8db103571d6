#!/usr/bin/python3
"""materia hull vs SciPy ConvexHull and pymatgen PhaseDiagram, timed in the same run.

Usage: /usr/bin/python3 benchmarks/compare_hull.py [path/to/materia] [--n 1000000] [--n-scipy 100000]
         [--n6 100000] [--workdir DIR]

1. A ternary Y-Th-H CSV of N entries (random integer formulas Y_a Th_b H_c with 0..40 atoms each,
   formation energies like ../shared/peers/pmg_hull.py: -U(0,1)*4*(mixing) + N(0,0.05)), written
   once (seed 2026), then `materia hull FILE --out OUT` (wall time of the whole program: reading,
   parsing formulas, building the hull, every entry's e_above_hull and decomposition, writing CSV;
   best of 3 runs, as for SciPy).
2. SciPy: ConvexHull on N_scipy lifted points (x_Th, x_H, e_form) of the same generator + e_above_hull
   as the maximum over lower-facet planes (the recipe of pmg_hull.py), timed in-process after a
   warm-up call, best of 3 (materia: one plain run, wall time including process start and file I/O).
3. Query rate: pymatgen get_e_above_hull over a 2000-entry ternary (PhaseDiagram built first) vs
   materia's batch query rate (--timing metadata: a second pass of pure queries over all N entries).
4. Six components (Li,Fe,P,O,S,N) at N6 entries through `materia hull`; pymatgen's query rate on a
   2000-entry six-component set for comparison.
Prints the times and the ratios; the last line is `RATIO hull_1e6_vs_scipy_1e5 <materia s / scipy s>`
(< 1 meets the issue's target).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def make(n, k, seed, maxc=40, spread=4.0):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, maxc + 1, size=(n, k))
    counts[counts.sum(1) == 0] = 1
    counts[:k] = np.eye(k, dtype=int)
    x = counts / counts.sum(1, keepdims=True)
    mix = sum(x[:, a] * x[:, b] for a in range(k) for b in range(a + 1, k))
    ef = -rng.random(n) * spread * mix + rng.normal(0, 0.05, n) * (mix > 0)
    return counts, x, ef


def write_csv(path, els, eref, counts, x, ef):
    e = ef + x @ np.array(eref)
    with open(path, "w") as f:
        f.write("name,formula,energy\n")
        lines = []
        for i in range(len(e)):
            form = "".join(f"{s}{c}" for s, c in zip(els, counts[i]) if c)
            lines.append(f"e{i},{form},{e[i]!r}\n")
        f.write("".join(lines))


def run_materia(exe, path, out, repeat=3):
    # Wall time of a plain run (best of `repeat`, like SciPy's best of 3; the machine is shared);
    # a further run with --timing gives the stage times and query rate.
    t = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = subprocess.run([exe, "hull", path, "--out", out], capture_output=True, text=True)
        t = min(t, time.perf_counter() - t0)
        if r.returncode != 0:
            sys.exit("materia failed: " + r.stderr)
    r = subprocess.run([exe, "hull", path, "--out", out, "--timing"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("materia failed: " + r.stderr)
    meta = {}
    with open(out) as f:
        for line in f:
            if not line.startswith("#"):
                break
            k, _, v = line[2:].partition(":")
            meta[k.strip()] = v.strip()
    return t, meta


def scipy_hull(x, ef):
    from scipy.spatial import ConvexHull
    pts = np.column_stack([x[:, 1], x[:, 2], ef])
    t0 = time.perf_counter()
    hull = ConvexHull(pts)
    eq = hull.equations
    low = eq[eq[:, 2] < -1e-12]
    planes = -(low[:, 0][None] * pts[:, :1] + low[:, 1][None] * pts[:, 1:2] + low[:, 3][None]) / low[:, 2][None]
    eh = ef - planes.max(1)
    return time.perf_counter() - t0, eh


def pmg_rate(els, eref, n, seed, nq):
    from pymatgen.analysis.phase_diagram import PDEntry, PhaseDiagram
    from pymatgen.core import Composition
    counts, x, ef = make(n, len(els), seed, maxc=12)
    etot = (ef + x @ np.array(eref)) * counts.sum(1)
    entries = [PDEntry(Composition({e: int(c) for e, c in zip(els, row) if c}), float(E)) for row, E in zip(counts, etot)]
    t0 = time.perf_counter()
    pd = PhaseDiagram(entries)
    tb = time.perf_counter() - t0
    nq = min(nq, n)
    t0 = time.perf_counter()
    for i in range(nq):
        pd.get_e_above_hull(entries[i])
    tq = time.perf_counter() - t0
    return tb, nq / tq, len(pd.facets)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("materia", nargs="?", default="build/materia")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--n-scipy", type=int, default=100_000)
    ap.add_argument("--n6", type=int, default=100_000)
    ap.add_argument("--workdir", default=None)
    a = ap.parse_args()
    wd = a.workdir or tempfile.mkdtemp(prefix="materia_hull_")
    els3, ref3 = ["Y", "Th", "H"], [-6.45, -7.41, -3.39]
    big = os.path.join(wd, "ternary_%d.csv" % a.n)
    if not os.path.exists(big):
        write_csv(big, els3, ref3, *make(a.n, 3, 2026))
    t_m, meta = run_materia(a.materia, big, os.path.join(wd, "out3.csv"))
    print("materia hull, %d ternary entries: %.3f s wall (read %s s, parse+build+evaluate %s s; %s facets)"
          % (a.n, t_m, meta.get("time_read_s"), meta.get("time_parse_build_and_evaluate_s"), meta.get("facets")))
    _, x, ef = make(a.n_scipy, 3, 2027)
    scipy_hull(x[:1000], ef[:1000])  # warm-up: imports and first-call overhead are not timed
    t_s = min(scipy_hull(x, ef)[0] for _ in range(3))
    print("SciPy ConvexHull + e_above_hull, %d points: %.3f s" % (a.n_scipy, t_s))
    print("RATIO scipy(%d) / materia(%d) time = %.2f  (> 1: materia on 10x the entries is faster)" % (a.n_scipy, a.n, t_s / t_m))
    tb, rate, nf = pmg_rate(els3, ref3, 2000, 2024, 2000)
    mrate = float(meta["query_rate_per_s"])
    print("pymatgen ternary 2000 entries: build %.3f s, %.0f e_above_hull queries/s (%d facets)" % (tb, rate, nf))
    print("materia batch query rate (ternary, %d entries): %.3g queries/s" % (a.n, mrate))
    print("RATIO materia / pymatgen query rate (ternary) = %.0f" % (mrate / rate))
    els6, ref6 = ["Li", "Fe", "P", "O", "S", "N"], [-1.9, -8.3, -5.4, -4.9, -4.1, -8.3]
    six = os.path.join(wd, "six_%d.csv" % a.n6)
    if not os.path.exists(six):
        write_csv(six, els6, ref6, *make(a.n6, 6, 2028, maxc=12))
    t6, meta6 = run_materia(a.materia, six, os.path.join(wd, "out6.csv"), repeat=1)
    print("materia hull, %d six-component entries: %.3f s wall (parse+build+evaluate %s s, %s facets, %s q/s)"
          % (a.n6, t6, meta6.get("time_parse_build_and_evaluate_s"), meta6.get("facets"), meta6.get("query_rate_per_s")))
    tb6, rate6, nf6 = pmg_rate(els6, ref6, 2000, 2025, 200)
    print("pymatgen six components 2000 entries: build %.3f s, %.0f queries/s (%d facets)" % (tb6, rate6, nf6))
    print("RATIO materia / pymatgen query rate (six components) = %.0f" % (float(meta6["query_rate_per_s"]) / rate6))
    # Final summary line (the target: < 1 means materia on 10x the entries is faster).
    print("RATIO hull_1e6_vs_scipy_1e5 %.4f" % (t_m / t_s))


if __name__ == "__main__":
    main()
