#!/usr/bin/python3
"""Debye scattering equation at 10,000 atoms: materia vs ASE XrDebye, timed in the same run.

Structure: 10,000 Si atoms (5 x 10 x 25 conventional diamond cells, a = 5.43 A, every atom displaced
by N(0, 0.1 A), seed 17), treated as a finite cluster (both codes ignore periodic images).
One species, so ASE's I/(N<Z^2>) (f = Z) equals materia's number-weighted S(q) exactly.

  ASE    : /work/shared/peers/ase_xrdebye.py FILE --qmin 0.5 --qmax 12 --nq NQ_ASE (XrDebye.calc_pattern,
           mode SAXS, method None, damping 0); its own timer EXCLUDES reading the file.  XrDebye costs
           O(N^2) per q point, so its time per q point does not depend on the number of q points.
  materia: `materia sq FILE --method debye --threads 1` (histogram method, dr = 1e-3 A, stated error
           bound in the output metadata) as a subprocess; wall clock of the whole process INCLUDING
           start-up, reading the file and writing the CSV.  Single thread, so the ratio is not a core
           count.  Run twice: on ASE's own q points (NQ_ASE points: the distance histogram, O(N^2),
           is built once per run, so few q points carry its whole cost), and on a typical 200-point grid.

The S(q) values on the common q points are compared, then the per-q-point speed ratios are printed.
Exit status 1 when the values differ by more than 1e-5 or the 200-point ratio is below --min-ratio.

Usage: /usr/bin/python3 benchmarks/compare_sq.py [--materia build/materia] [--nq-ase 3] [--cells 5,10,25]

Besides the human-readable lines it prints `RESULT <analysis> <size> <materia_s> <peer> <peer_s> note`
for benchmarks/compare_all.sh: the same q points for both codes, and the 200-point grid against ASE's
per-q-point time x 200 (extrapolated: XrDebye's cost is linear in the number of q points).
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
    return pos, np.diag([nx * a, ny * a, nz * a])


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
    for d in ("build-release", "build", "build-bench", "build-sq"):
        p = os.path.join(HERE, "..", d, "materia")
        if os.path.exists(p) and subprocess.run([p, "sq", "--help"], capture_output=True).returncode == 0:
            return os.path.abspath(p)
    sys.exit("compare_sq: no materia binary found; pass --materia")


def read_csv(text):
    meta, rows, header = {}, [], None
    for line in text.splitlines():
        if line.startswith("#"):
            k, _, v = line[1:].partition(":")
            meta[k.strip()] = v.strip()
        elif header is None:
            header = line.split(",")
        elif line.strip():
            rows.append([float(x) for x in line.split(",")])
    return meta, header, np.array(rows)


def run_materia(exe, xyz, q, repeat):
    h = q[1] - q[0] if len(q) > 1 else 1.0
    args = [exe, "sq", xyz, "--method", "debye", "--threads", "1",
            "--qmin", repr(q[0] - h / 2), "--qmax", repr(q[-1] + h / 2), "--bins", str(len(q))]
    best, out, best_cpu = None, None, None
    for _ in range(repeat):
        c0 = cpu_children()
        t0 = time.perf_counter()
        p = subprocess.run(args, capture_output=True, text=True, check=True)
        dt = time.perf_counter() - t0
        dc = cpu_children() - c0
        if best is None or dt < best:
            best, out = dt, p.stdout
        best_cpu = dc if best_cpu is None else min(best_cpu, dc)
    return best, best_cpu, read_csv(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--materia")
    ap.add_argument("--nq-ase", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--min-ratio", type=float, default=100.0)
    ap.add_argument("--cells", default="5,10,25", help="diamond cells nx,ny,nz (8 atoms each)")
    a = ap.parse_args()
    exe = find_materia(a.materia)
    work = tempfile.mkdtemp(prefix="materia-sq-")
    pos, cell = diamond(tuple(int(x) for x in a.cells.split(",")))
    xyz = os.path.join(work, "si_%d.xyz" % len(pos))
    write_xyz(xyz, pos, cell)
    print("structure: %d Si atoms (perturbed diamond, treated as a cluster), %s" % (len(pos), xyz))

    # ASE's q points are chosen to be bin centres of materia's grid starting at q = 0.25
    nq = a.nq_ase
    qa = 0.5 if nq == 1 else (0.25 + 12.0 / (2 * (nq - 1))) / (1 + 1.0 / (2 * (nq - 1)))
    q_ase = np.linspace(qa, 12.0, nq)
    out = os.path.join(work, "ase.dat")
    c0 = cpu_children()
    p = subprocess.run(["/usr/bin/python3", os.path.join(PEERS, "ase_xrdebye.py"), xyz, "--qmin", repr(qa), "--qmax", "12",
                        "--nq", str(nq), "--out", out], capture_output=True, text=True, check=True, cwd=work)
    cpu_ase = cpu_children() - c0
    m = re.search(r"TIME ase_xrdebye N=(\d+) nq=(\d+) ([0-9.]+) s", p.stdout)
    t_ase = float(m.group(3))
    ase = np.loadtxt(out)
    ase_per_q = t_ase / a.nq_ase
    print("ASE XrDebye: %.2f s wall for %d q points -> %.3f s per q point (its timer, excluding file reading); "
          "process CPU %.2f s (including Python start-up and reading)" % (t_ase, a.nq_ase, ase_per_q, cpu_ase))

    t_same, c_same, (meta, header, rows) = run_materia(exe, xyz, q_ase, a.repeat)
    diff = np.max(np.abs(rows[:, 1] - ase[:, 2]))
    qdiff = np.max(np.abs(rows[:, 0] - ase[:, 0]))
    print("materia (same %d q points): %.3f s wall incl. reading -> %.4f s per q point; max |S - S_ASE| = %.2e "
          "(stated histogram error bound %s)" % (a.nq_ase, t_same, t_same / a.nq_ase, diff, meta.get("error_bound")))
    q200 = np.linspace(0.25 + 11.75 / 400, 12.0 - 11.75 / 400, 200)
    t_200, c_200, _ = run_materia(exe, xyz, q200, a.repeat)
    print("materia (200 q points):     %.3f s wall incl. reading -> %.5f s per q point" % (t_200, t_200 / 200))
    r_same = ase_per_q / (t_same / a.nq_ase)
    r_200 = ase_per_q / (t_200 / 200)
    print("RATIO per q point, wall (ASE / materia, single thread): %.0fx on ASE's %d q points, %.0fx on a 200-point grid"
          % (r_same, a.nq_ase, r_200))
    print("RATIO per q point, process CPU time: %.0fx on ASE's %d q points, %.0fx on a 200-point grid"
          % ((cpu_ase / a.nq_ase) / (c_same / a.nq_ase), a.nq_ase, (cpu_ase / a.nq_ase) / (c_200 / 200)))
    # Machine-readable lines for benchmarks/compare_all.sh.
    print("RESULT S(q)_Debye %d_atoms_%dq %.6g ASE_XrDebye %.6g same q points; materia: whole process incl. reading, "
          "1 thread; ASE: its calc_pattern time, reading excluded; max |dS| = %.1e" % (len(pos), nq, t_same, t_ase, diff))
    print("RESULT S(q)_Debye %d_atoms_200q %.6g ASE_XrDebye(extrapolated) %.6g ASE time = its per-q-point time x 200 "
          "(linear in q points); materia: whole process, 1 thread" % (len(pos), t_200, ase_per_q * 200))
    ok = diff < 1e-5 and qdiff < 1e-9 and r_200 >= a.min_ratio
    if not ok:
        print("FAIL: values differ or ratio below %.0f" % a.min_ratio)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
