#!/usr/bin/python3
"""Time materia's Debye + 3 Einstein heat-capacity fit against scipy.optimize.curve_fit (and lmfit)
in the same run, on the same points, and print the speed ratios.

    /usr/bin/python3 benchmarks/compare_fit.py [--bench build-bench/benchmarks/bench_fit] [--npts 60]

1. runs the peer script ../shared/peers/scipy_fit.py (curve_fit, method 'trf' with bounds, and
   lmfit's leastsq), which writes its synthetic data (T, C/T, sigma) to a temporary file and
   prints its per-fit time;
2. runs bench_fit (Google Benchmark) with MATERIA_FIT_DATA pointing at that file, so both codes
   fit the same 60 points from the same p0 with the same weights (absolute sigma);
3. prints per-fit times and the ratios, plus a parameter-agreement check.

    /usr/bin/python3 benchmarks/compare_fit.py --reference FILE

prints curve_fit's converged parameters and standard errors (ftol = xtol = gtol = 1e-15 and the
defaults) for FILE with 17 digits: the numbers stored in tests/thermo/test_heat_capacity_fit.cpp.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def find_peer():
    for cand in (os.environ.get("MATERIA_PEERS", ""), os.path.join(ROOT, "..", "shared", "peers"),
                 "/work/shared/peers"):
        p = os.path.join(cand, "scipy_fit.py")
        if cand and os.path.exists(p):
            return p
    sys.exit("compare_fit.py: cannot find scipy_fit.py (set MATERIA_PEERS)")


def find_bench(arg):
    if arg:
        return arg
    for pat in ("build-bench/benchmarks/bench_fit", "build*/benchmarks/bench_fit", "build*/bench_fit",
                "build*/benchmarks/*fit*"):
        hits = [h for h in sorted(glob.glob(os.path.join(ROOT, pat))) if os.access(h, os.X_OK)]
        if hits:
            return hits[0]
    sys.exit("compare_fit.py: bench_fit not found; build with -DMATERIA_BUILD_BENCHMARKS=ON "
             "(Release) or pass --bench")


def reference(path, peer):
    sys.path.insert(0, os.path.dirname(peer))
    import numpy as np
    from scipy.optimize import curve_fit
    import scipy_fit as sf
    d = np.loadtxt(path)
    T, y, sig = d[:, 0], d[:, 1], d[:, 2]
    R = sf.R
    truth = np.array([5e-3, 12 * np.pi ** 4 * R / (5 * 250.0 ** 3), 3 * R * 0.05, 3 * R * 0.2, 3 * R * 0.6,
                      32.8, 61.1, 114.0])
    p0 = truth * np.array([1.3, 0.8, 0.7, 1.3, 0.8, 1.15, 0.9, 1.1])
    lo = np.zeros(8)
    hi = np.array([1, 1, 100, 100, 100, 500, 500, 500.0])
    for label, kw in (("default tolerances", {}), ("tight tolerances", dict(ftol=1e-15, xtol=1e-15, gtol=1e-15))):
        for absig in (True, False):
            popt, pcov = curve_fit(sf.model, T, y, p0=p0, sigma=sig, absolute_sigma=absig, bounds=(lo, hi),
                                   maxfev=20000, **kw)
            chi2 = np.sum(((y - sf.model(T, *popt)) / sig) ** 2)
            print("%s, absolute_sigma=%s: chi2 = %.17g" % (label, absig, chi2))
            print("  params:  " + ", ".join("%.17g" % v for v in popt))
            print("  stderrs: " + ", ".join("%.17g" % v for v in np.sqrt(np.diag(pcov))))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", help="path of the bench_fit executable")
    ap.add_argument("--npts", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=50, help="scipy timing repeats")
    ap.add_argument("--reference", metavar="FILE", help="print scipy reference numbers for FILE and exit")
    a = ap.parse_args()
    peer = find_peer()
    if a.reference:
        reference(a.reference, peer)
        return
    bench = find_bench(a.bench)
    with tempfile.TemporaryDirectory() as td:
        data = os.path.join(td, "heatcap.dat")
        out = subprocess.run(["/usr/bin/python3", peer, "--npts", str(a.npts), "--data", data,
                              "--repeat", str(a.repeat)], capture_output=True, text=True, check=True).stdout
        m = re.search(r"TIME scipy_curve_fit ([0-9.eE+-]+) s\s+lmfit ([0-9.eE+-]+) s", out)
        if m:
            t_scipy, t_lmfit = float(m.group(1)), float(m.group(2))
        else:  # lmfit missing: the first line still has the curve_fit time
            t_scipy = float(re.search(r"curve_fit \(trf, bounds\): ([0-9.eE+-]+) s/fit", out).group(1))
            t_lmfit = float("nan")
        env = dict(os.environ, MATERIA_FIT_DATA=data)
        js = subprocess.run([bench, "--benchmark_format=json", "--benchmark_min_time=0.3"], capture_output=True,
                            text=True, check=True, env=env).stdout
        res = {b["name"]: b for b in json.loads(js)["benchmarks"]}

        def secs(name):
            b = res[name]
            scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
            return b["real_time"] * scale

        t_an = secs("BM_debye3einstein_analytic")
        t_fd = secs("BM_debye3einstein_finite_difference")
        t_grid = secs("BM_debye3einstein_grid_start")
        t_auto = secs("BM_cpfit_auto_K0to4")
        print("Debye + 3 Einstein fit, %d points, same data, same p0, absolute sigma" % a.npts)
        print("  scipy curve_fit (trf, bounds, 2-point FD) : %9.3f ms/fit" % (t_scipy * 1e3))
        if t_lmfit == t_lmfit:
            print("  lmfit Model.fit (leastsq)                 : %9.3f ms/fit" % (t_lmfit * 1e3))
        print("  materia, analytic Jacobian                : %9.3f ms/fit   ratio scipy/materia = %.1f"
              % (t_an * 1e3, t_scipy / t_an))
        print("  materia, forward-difference Jacobian      : %9.3f ms/fit   ratio scipy/materia = %.1f"
              % (t_fd * 1e3, t_scipy / t_fd))
        print("  materia, no p0 (Theta grid + LM)          : %9.3f ms/fit" % (t_grid * 1e3))
        print("  materia, auto K = 0..4 (model selection)  : %9.3f ms" % (t_auto * 1e3))
        print("RATIO scipy_curve_fit/materia_analytic %.2f" % (t_scipy / t_an))
        print("RATIO scipy_curve_fit/materia_fd %.2f" % (t_scipy / t_fd))
        # Machine-readable lines for benchmarks/compare_all.sh (seconds per fit).
        print("RESULT Cp_fit_Debye+3Einstein %d_points %.6g SciPy_curve_fit %.6g per fit, same data, p0, weights; "
              "materia analytic Jacobian (Google Benchmark); SciPy trf with bounds, 2-point Jacobian" % (a.npts, t_an, t_scipy))
        if t_lmfit == t_lmfit:
            print("RESULT Cp_fit_Debye+3Einstein %d_points %.6g lmfit_Model.fit %.6g per fit, same data, p0, weights; "
                  "materia analytic Jacobian; lmfit leastsq" % (a.npts, t_an, t_lmfit))
        print("RESULT Cp_fit_Debye+3Einstein(finite_diff) %d_points %.6g SciPy_curve_fit %.6g per fit; both with "
              "finite-difference Jacobians" % (a.npts, t_fd, t_scipy))


if __name__ == "__main__":
    main()
