#!/usr/bin/env bash
# Regenerates examples/data/a-Si_512.extxyz, the demo structure: amorphous silicon made by a
# melt–quench in LAMMPS (Debian packages lammps, lammps-data) with the Stillinger–Weber potential
# as modified by Vink, Barkema, van der Weg & Mousseau, J. Non-Cryst. Solids 282, 248 (2001):
# λ = 31.5, ε = 1.64833 eV.  The original SW (λ = 21) quenched this fast gives a liquid-like,
# over-coordinated glass (CN ≈ 4.7); Vink's parameters give the tetrahedral network of real a-Si.
# Deterministic: fixed velocity seed; one MPI rank.  About three CPU minutes.
#   512 atoms, diamond start (a = 5.431 Å), melt 3500 K NPT 20 ps, quench to 300 K in 100 ps
#   (3.2e13 K/s), anneal 300 K 20 ps, then conjugate-gradient relaxation with the box free.
set -euo pipefail
cd "$(dirname "$0")/.."
POT=/usr/share/lammps/potentials/Si.sw
[ -f "$POT" ] || { echo "needs Debian's lammps-data (Si.sw)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Vink's modified SW: the Si.sw line with epsilon and lambda replaced.
awk '!/^#/ && $1 == "Si" && $2 == "Si" && $3 == "Si" { $4 = "1.64833"; $7 = "31.5" } { print }' "$POT" > "$work/Si_vink.sw"
grep -q "1.64833" "$work/Si_vink.sw" || { echo "could not derive the modified SW file"; exit 1; }
POT=$work/Si_vink.sw
cat > "$work/in.aSi" <<IN
units metal
atom_style atomic
boundary p p p
lattice diamond 5.431
region box block 0 4 0 4 0 4
create_box 1 box
create_atoms 1 box
mass 1 28.0855
pair_style sw
pair_coeff * * $POT Si
timestep 0.001
velocity all create 3500.0 4928459 mom yes rot yes dist gaussian
fix md all npt temp 3500 3500 0.1 iso 0 0 1.0
run 20000
unfix md
fix md all npt temp 3500 300 0.1 iso 0 0 1.0
run 100000
unfix md
fix md all npt temp 300 300 0.1 iso 0 0 1.0
run 20000
unfix md
fix relax all box/relax iso 0.0
minimize 1e-12 1e-8 10000 100000
write_dump all custom $work/final.dump id type x y z modify sort id format float %.10f
IN
(cd "$work" && lmp -in in.aSi -log "$work/log.lammps" -screen none)
/usr/bin/python3 - "$work/final.dump" examples/data/a-Si_512.extxyz <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
n = int(lines[lines.index("ITEM: NUMBER OF ATOMS") + 1])
b = lines.index([l for l in lines if l.startswith("ITEM: BOX BOUNDS")][0])
lo_hi = [tuple(map(float, lines[b + 1 + k].split()[:2])) for k in range(3)]
L = [hi - lo for lo, hi in lo_hi]
a = lines.index([l for l in lines if l.startswith("ITEM: ATOMS")][0])
with open(sys.argv[2], "w") as f:
    f.write(f"{n}\n")
    f.write(f'Lattice="{L[0]:.10f} 0 0 0 {L[1]:.10f} 0 0 0 {L[2]:.10f}" Properties=species:S:1:pos:R:3 pbc="T T T" '
            f'source="scripts/make_sample.sh: LAMMPS melt-quench, Stillinger-Weber modified by Vink et al. 2001, 512 atoms"\n')
    for l in lines[a + 1:a + 1 + n]:
        _, _, x, y, z = l.split()
        f.write(f"Si {float(x) - lo_hi[0][0]:.10f} {float(y) - lo_hi[1][0]:.10f} {float(z) - lo_hi[2][0]:.10f}\n")
PY
echo "wrote examples/data/a-Si_512.extxyz"
