#!/usr/bin/python3
"""Reference numbers from pymatgen's PhaseDiagram for materia's hull tests.

Run (Debian python3-pymatgen 2022.11.7, scipy 1.10.1):
    cd tests/data/phase && /usr/bin/python3 make_pmg_reference.py
Writes
  pmg_random_ternary.csv     Y-Th-H,   300 random entries (seed 20261121)
  pmg_random_quaternary.csv  Li-Fe-P-O, 300 random entries (seed 20261122)
  pmg_li_fe_o.csv            every row of pd_entries_test.csv
with columns name,formula,energy (eV/atom, repr = exact double) then pymatgen's
e_form (eV/atom), e_above_hull (eV/atom), stable (1 = one of pd.stable_entries),
eq_reaction (get_equilibrium_reaction_energy for stable non-elemental entries, else empty),
phase_sep (get_phase_separation_energy for every non-elemental entry, else empty).
The random sets contain duplicates, scaled duplicates (Y2H4 next to YH2) and a
few entries exactly at zero formation energy, on purpose.
"""
import csv

import numpy as np
from pymatgen.analysis.phase_diagram import PDEntry, PhaseDiagram
from pymatgen.core import Composition


def formula_of(els, counts):
    return "".join(f"{e}{c}" if c != 1 else e for e, c in zip(els, counts) if c)


def random_set(els, eref, n, seed):
    rng = np.random.default_rng(seed)
    k = len(els)
    rows = []
    for i, e in enumerate(els):  # elements, plus a higher polymorph each
        rows.append((e, [1 if j == i else 0 for j in range(k)], eref[i]))
        rows.append((e + "_hi", [2 if j == i else 0 for j in range(k)], eref[i] + 0.1 * rng.random()))
    while len(rows) < n:
        c = rng.integers(0, 7, size=k)
        if (c > 0).sum() < 2:
            continue
        x = c / c.sum()
        mix = sum(x[a] * x[b] for a in range(k) for b in range(a + 1, k))
        ef = -rng.random() * 3.0 * mix + rng.normal(0.0, 0.03)
        u = rng.random()
        if u < 0.03:
            ef = 0.0  # exactly on the reference plane
        e = float(ef + x @ np.array(eref))
        rows.append(("r%d" % len(rows), [int(v) for v in c], e))
        if u > 0.95:  # scaled duplicate, same energy per atom
            rows.append(("s%d" % len(rows), [int(2 * v) for v in c], e))
        elif u > 0.92:  # exact duplicate
            rows.append(("d%d" % len(rows), [int(v) for v in c], e))
    return rows


def run(els, rows, out):
    entries = [PDEntry(Composition({e: c for e, c in zip(els, cnt) if c}), E * sum(cnt), name=nm)
               for nm, cnt, E in rows]
    pd = PhaseDiagram(entries)
    stable = set(id(e) for e in pd.stable_entries)
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "formula", "energy", "e_form_pmg", "e_above_hull_pmg", "stable_pmg", "eq_reaction_pmg",
                    "phase_sep_pmg"])
        for (nm, cnt, E), en in zip(rows, entries):
            ehull = pd.get_e_above_hull(en)
            st = id(en) in stable
            eq = ""
            ps = ""
            if st and not en.composition.is_element:
                eq = repr(pd.get_equilibrium_reaction_energy(en))
            if not en.composition.is_element:
                ps = repr(pd.get_phase_separation_energy(en))
            w.writerow([nm, formula_of(els, cnt), repr(E), repr(pd.get_form_energy_per_atom(en)), repr(ehull),
                        1 if st else 0, eq, ps])
    print(out, len(rows), "entries,", len(pd.stable_entries), "stable,", len(pd.facets), "facets")


def li_fe_o(out):
    rows = []
    with open("pd_entries_test.csv") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            cnt = [int(float(v)) for v in row[1:4]]
            rows.append((row[0], cnt, float(row[4]) / sum(cnt)))
    run(["Li", "Fe", "O"], rows, out)


if __name__ == "__main__":
    run(["Y", "Th", "H"], random_set(["Y", "Th", "H"], [-6.45, -7.41, -3.39], 300, 20261121), "pmg_random_ternary.csv")
    run(["Li", "Fe", "P", "O"], random_set(["Li", "Fe", "P", "O"], [-1.91, -8.31, -5.41, -4.95], 300, 20261122),
        "pmg_random_quaternary.csv")
    li_fe_o("pmg_li_fe_o.csv")
