#!/usr/bin/python3
"""Bond-angle distribution: materia vs ASE Analysis.get_angles, timed in the same run.

Structure: 10,000 Si atoms (5 x 10 x 25 conventional diamond cells, a = 5.43 A, every atom
displaced by N(0, 0.1 A), seed 17), cutoff 2.85 A, 180 bins on [0, 180] degrees.

  ASE   : /work/shared/peers/ase_adf.py (NeighborList + Analysis.get_angles(unique=True) +
          get_values(mic=True)); its own timer, which EXCLUDES reading the file.
  materia: `materia adf FILE --cutoff 2.85 --bins 180 --counts --threads 1` as a subprocess, wall
          clock of the whole process (INCLUDES start-up, reading and parsing the file, writing the
          CSV), best of --repeat runs.  Single thread, so the ratio is not a core count.

The histograms are compared bin by bin (must be identical), then the speed ratio is printed.
Exit status 1 when the counts differ or the ratio is below --min-ratio (default 20).

Usage: /usr/bin/python3 benchmarks/compare_adf.py [--materia build/materia] [--atoms-cells 5,10,25]

Besides the human-readable lines it prints `RESULT <analysis> <size> <materia_s> <peer> <peer_s> note`
for benchmarks/compare_all.sh.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.environ.get("MATERIA_PEERS", "/work/shared/peers")


def diamond(cells, a=5.43, noise=0.1, seed=17):
    basis = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]], float)
    basis = np.vstack([basis, basis + 0.25])
    nx, ny, nz = cells
    grid = np.array([[i, j, k] for i in range(nx) for j in range(ny) for k in range(nz)], float)
    pos = (grid[:, None, :] + basis[None, :, :]).reshape(-1, 3) * a
    pos += np.random.default_rng(seed).normal(0.0, noise, pos.shape)
    cell = np.diag([nx * a, ny * a, nz * a])
    return pos, cell


def write_xyz(path, pos, cell):
    with open(path, "w") as f:
        f.write("%d\n" % len(pos))
        f.write('Lattice="%s" Properties=species:S:1:pos:R:3 pbc="T T T"\n'
                % " ".join("%.10f" % x for x in cell.reshape(-1)))
        for r in pos:
            f.write("Si %.10f %.10f %.10f\n" % tuple(r))


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def find_materia(explicit):
    if explicit:
        return explicit
    for cand in ("build-adf-rel/materia", "build-release/materia", "build/materia"):
        p = os.path.join(HERE, "..", cand)
        if os.path.exists(p):
            return p
    sys.exit("compare_adf: no materia binary found; pass --materia PATH (a Release build)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--materia", default=None)
    ap.add_argument("--atoms-cells", default="5,10,25", help="diamond cells nx,ny,nz (8 atoms each)")
    ap.add_argument("--cutoff", type=float, default=2.85)
    ap.add_argument("--bins", type=int, default=180)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--min-ratio", type=float, default=20.0)
    a = ap.parse_args()
    exe = find_materia(a.materia)
    cells = tuple(int(x) for x in a.atoms_cells.split(","))
    tmp = tempfile.mkdtemp(prefix="materia-adf-")
    xyz = os.path.join(tmp, "si_diamond.xyz")
    pos, cell = diamond(cells)
    write_xyz(xyz, pos, cell)
    n = len(pos)

    # ASE (peer script; prints "TIME ase_adf N=... angles=... X s")
    ase_out = os.path.join(tmp, "ase.dat")
    c0 = cpu_children()
    p = subprocess.run(["/usr/bin/python3", os.path.join(PEERS, "ase_adf.py"), xyz, "--cutoff", str(a.cutoff),
                        "--nbins", str(a.bins), "--out", ase_out], capture_output=True, text=True, check=True)
    m = re.search(r"angles=(\d+).* ([0-9.]+) s", p.stdout)
    t_ase = float(m.group(2))
    cpu_ase = cpu_children() - c0  # whole ASE process, incl. Python start-up and reading
    ase_counts = np.loadtxt(ase_out)[:, 2].astype(np.int64)

    # materia, best of --repeat whole-process runs
    times, cpus = [], []
    out = None
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        c0 = cpu_children()
        q = subprocess.run([exe, "adf", xyz, "--cutoff", str(a.cutoff), "--bins", str(a.bins), "--counts",
                            "--threads", "1"], capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_children() - c0)
        out = q.stdout
    t_us = min(times)
    lines = [l for l in out.splitlines() if l and not l.startswith("#")]
    header = lines[0].split(",")
    ci = header.index("count")
    our_counts = np.array([int(float(l.split(",")[ci])) for l in lines[1:]], dtype=np.int64)

    same = our_counts.shape == ase_counts.shape and bool(np.all(our_counts == ase_counts))
    ratio = t_ase / t_us
    print("N=%d atoms, cutoff %.2f A, %d bins: angles ASE %d, materia %d, histograms %s"
          % (n, a.cutoff, a.bins, ase_counts.sum(), our_counts.sum(), "identical" if same else "DIFFER"))
    print("TIME ase Analysis.get_angles (NeighborList + get_angles + get_values, no I/O): %.3f s" % t_ase)
    print("TIME materia adf (whole process incl. reading %d atoms, 1 thread, best of %d): %.4f s"
          % (n, a.repeat, t_us))
    print("CPU  ase whole process %.3f s, materia whole process %.4f s: CPU ratio %.1f x"
          % (cpu_ase, min(cpus), cpu_ase / max(min(cpus), 1e-6)))
    print("RATIO ase/materia = %.1f x (wall, target >= %.0f x)" % (ratio, a.min_ratio))
    # Machine-readable line for benchmarks/compare_all.sh.
    print("RESULT bond_angles %d_atoms %.6g ASE_Analysis_(get_angles) %.6g materia: whole process incl. reading, "
          "1 thread, best of %d; ASE: NeighborList + get_angles + get_values, reading excluded; histograms %s"
          % (n, t_us, t_ase, a.repeat, "identical" if same else "DIFFER"))
    return 0 if same and ratio >= a.min_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
