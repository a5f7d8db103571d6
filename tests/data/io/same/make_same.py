#!/usr/bin/python3
"""Regenerate the "same structure in every format" files (run from this folder):
    /usr/bin/python3 make_same.py
ASE 3.22.1 writes POSCAR (direct), XDATCAR (2 identical frames), .gro (triclinic 9-number box) and
a LAMMPS data file; LAMMPS (Debian 20220106) reads the data file and writes the dump with the
bounding-box (xlo_bound ...) convention, so our triclinic conversion is checked against LAMMPS
itself.  ref.extxyz is the reference (hand-chosen numbers: positions are multiples of 0.01 A so the
.gro (nm, 3 decimals) is exact)."""
import subprocess
import numpy as np
from ase import Atoms
from ase.io import write

cell = [[10.0, 0.0, 0.0], [2.0, 9.0, 0.0], [1.5, -1.0, 8.0]]
symbols = ["Sb", "Se", "Sb", "Se", "Sb", "Se"]
pos = [[1.00, 2.00, 3.00], [4.50, 1.20, 0.80], [7.30, 6.60, 5.10],
       [2.20, 8.10, 7.70], [9.90, 0.10, 4.40], [5.55, 4.45, 2.25]]
atoms = Atoms(symbols, positions=pos, cell=cell, pbc=True)

with open("ref.extxyz", "w") as f:
    f.write("6\n")
    f.write('Lattice="10 0 0 2 9 0 1.5 -1 8" Properties=species:S:1:pos:R:3 pbc="T T T"\n')
    for s, p in zip(symbols, pos):
        f.write("%s %.2f %.2f %.2f\n" % (s, *p))

write("POSCAR", atoms, format="vasp", direct=True, vasp5=True)
write("XDATCAR", [atoms, atoms], format="vasp-xdatcar")
write("ref.gro", atoms, format="gromacs")
write("ref.lmp", atoms, format="lammps-data", specorder=["Sb", "Se"])
with open("in.dump", "w") as f:
    f.write("units metal\natom_style atomic\nboundary p p p\nread_data ref.lmp\n"
            "mass * 1.0\n"
            "write_dump all custom ref.lammpstrj id type element xs ys zs x y z ix iy iz "
            "modify element Sb Se sort id\n"
            # exact scaled coordinates, shuffled columns, type only (species via the types map)
            "write_dump all custom ref_scaled.lammpstrj zs type ys id xs "
            "modify format float %.17g sort id\n"
            # unwrapped Cartesian, atoms in reverse id order
            "write_dump all custom ref_unwrapped.lammpstrj xu yu zu element id "
            "modify element Sb Se format float %.17g sort -1\n")
subprocess.run(["lmp", "-in", "in.dump", "-log", "none", "-screen", "none"], check=True)
