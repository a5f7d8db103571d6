#!/usr/bin/python3
"""Time `materia msd` against MDAnalysis EinsteinMSD in the same run, reading included.

  /usr/bin/python3 benchmarks/compare_msd.py [--materia build/materia] [--n 2000] [--frames 500]

Generates a make_traj.py random walk (extended XYZ, N atoms x frames, sigma Si 0.05 / O 0.1 A),
then runs, one after the other:
  * materia msd TRAJ                         (whole process: read + unwrap + FFT MSD + D fit)
  * ../shared/peers/mda_msd.py TRAJ --fft false   (whole process: read with xyzio + EinsteinMSD
    direct for all atoms and each species; fft=True needs tidynamics, which Debian lacks)
and prints wall times, the ratio, the analysis-only MDA time it reports, and the largest relative
difference of the MSD columns (MDA stores coordinates as float32, so ~1e-7 is the floor).
For benchmarks/compare_all.sh it also prints `RESULT <analysis> <size> <materia_s> <peer> <peer_s> note`.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "peers"))
if not os.path.isdir(PEERS):
    PEERS = "/work/shared/peers"


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("FAILED (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr[-2000:]))
    return dt, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--materia", default=os.path.join(HERE, "..", "build", "materia"))
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--frames", type=int, default=500)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    exe = os.path.abspath(a.materia)
    td = tempfile.mkdtemp(prefix="materia-msd-cmp-")
    traj = os.path.join(td, "traj.xyz")
    subprocess.run(["/usr/bin/python3", os.path.join(PEERS, "make_traj.py"), "--n", str(a.n), "--frames",
                    str(a.frames), "--out", traj], check=True, capture_output=True)
    size_mb = os.path.getsize(traj) / 1e6
    ours_csv = os.path.join(td, "ours.csv")
    mda_dat = os.path.join(td, "mda.dat")
    t_ours, _ = run([exe, "msd", traj, "--dt", "1", "--out", ours_csv])
    t_ours1, _ = run([exe, "msd", traj, "--dt", "1", "--threads", "1", "--out", ours_csv])
    t_mda, out = run(["/usr/bin/python3", os.path.join(PEERS, "mda_msd.py"), traj, "--fft", "false", "--out", mda_dat])
    t_mda_analysis = float("nan")
    for line in out.splitlines():
        if line.startswith("TIME mda_msd"):
            t_mda_analysis = float(line.split()[-2])
    # Accuracy: columns msd, msd:O, msd:Si vs MDA msd_all, msd_O, msd_Si.
    lines = [l for l in open(ours_csv) if not l.startswith("#")]
    hdr = lines[0].strip().split(",")
    ours = np.array([[float(x) for x in l.split(",")] for l in lines[1:]])
    mda = np.loadtxt(mda_dat)
    worst = 0.0
    for ours_col, mda_col in (("msd", 2), ("msd:O", 3), ("msd:Si", 4)):
        o = ours[1:, hdr.index(ours_col)]
        m = mda[1:, mda_col]
        worst = max(worst, float(np.max(np.abs(o - m) / np.abs(m))))
    print("trajectory: N=%d frames=%d (%.0f MB extended XYZ)" % (a.n, a.frames, size_mb))
    print("materia msd (all threads), wall, reading included : %8.3f s" % t_ours)
    print("materia msd (--threads 1), wall, reading included : %8.3f s" % t_ours1)
    print("MDAnalysis EinsteinMSD fft=False, wall, reading incl.: %8.3f s (analysis alone %.3f s)" % (t_mda, t_mda_analysis))
    print("ratio MDA/materia (wall, all threads)  : %6.1fx" % (t_mda / t_ours))
    print("ratio MDA/materia (wall, 1 thread)     : %6.1fx" % (t_mda / t_ours1))
    print("ratio MDA analysis alone / materia total (1 thread): %6.1fx" % (t_mda_analysis / t_ours1))
    print("max relative difference of MSD (lag >= 1): %.2e" % worst)
    # Machine-readable lines for benchmarks/compare_all.sh.
    size = "%dx%d_atoms_x_frames" % (a.n, a.frames)
    print("RESULT MSD %s %.6g MDAnalysis_EinsteinMSD %.6g both whole processes incl. reading the %.0f MB XYZ; materia "
          "1 thread (FFT, all lags); MDA fft=False (fft=True needs tidynamics, not in Debian); max rel. diff %.1e"
          % (size, t_ours1, t_mda, size_mb, worst))
    print("RESULT MSD(analysis_only_peer) %s %.6g MDAnalysis_EinsteinMSD(run_only) %.6g materia: whole process, "
          "1 thread; MDA: its run() time alone, reading excluded" % (size, t_ours1, t_mda_analysis))
    if not a.keep:
        for f in (traj, ours_csv, mda_dat):
            os.remove(f)
        os.rmdir(td)
    else:
        print("kept", td)


if __name__ == "__main__":
    main()
