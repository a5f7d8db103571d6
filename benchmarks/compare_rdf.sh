#!/usr/bin/env bash
# g(r) against the peers, in one run on the same inputs (r_max 10 Å, 200 bins, total + all partials).
#   benchmarks/compare_rdf.sh [sizes...]      (default: 1000 10000 44000)
# Needs build/materia (Release) and the peers of ../shared/PEERS.md (LAMMPS, MDAnalysis).
# Prints one line per size and cell: materia's whole process (reading included, --threads 1 and
# --threads 2), LAMMPS' own per-evaluation compute rdf time (from its Loop time) and MDAnalysis
# InterRDF's own analysis time (4 runs: total + 3 partials; Python start-up excluded), and the ratios.
# For benchmarks/compare_all.sh it also prints machine-readable lines
#   RESULT <analysis> <size> <materia_s> <peer> <peer_s> [note]
# (materia_s = whole `materia rdf --threads 1` process).  Environment: MATERIA (binary), DATA (work
# directory for the generated inputs, reused when present), KINDS (default "ortho tri").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
peers=${PEERS:-$root/../shared/peers}
exe=${MATERIA:-$root/build/materia}
PY=/usr/bin/python3
data=${DATA:-/tmp/materia-bench}
mkdir -p "$data"
sizes=${*:-1000 10000 44000}
kinds=${KINDS:-ortho tri}
now() { date +%s.%N; }
printf '%-6s %-5s %12s %12s %14s %12s %12s %12s\n' atoms cell materia_1t materia_2t lammps_eval mda_4runs lmp/mat1t mda/mat1t
for n in $sizes; do
  for kind in $kinds; do
    f=$data/conf_${kind}_$n.xyz
    if [ ! -f "$f" ]; then
      if [ $kind = tri ]; then $PY "$peers/make_config.py" --n "$n" --triclinic --out "$f" >/dev/null
      else $PY "$peers/make_config.py" --n "$n" --out "$f" >/dev/null; fi
    fi
    t0=$(now); "$exe" rdf "$f" --rmax 10 --bins 200 --threads 1 > "$data/m1.csv"; t1=$(now)
    "$exe" rdf "$f" --rmax 10 --bins 200 --threads 2 > "$data/m2.csv"; t2=$(now)
    m1=$(echo "$t1 - $t0" | bc -l); m2=$(echo "$t2 - $t1" | bc -l)
    lout=$(cd "$data" && $PY "$peers/lammps_rdf.py" "$f" --rmax 10 --nbins 200 --pairs Si-Si,Si-O,O-O --out "$data/l.dat" 2>&1)
    lmp=$(echo "$lout" | sed -n 's/.*N=[0-9]* \([0-9.e-]*\) s per rdf evaluation.*/\1/p')
    # LAMMPS' whole process for one evaluation: its read + setup process time plus one evaluation.
    lbase=$(echo "$lout" | sed -n 's/.*baseline process (read+setup) \([0-9.e-]*\)s.*/\1/p')
    mda=$(cd "$data" && $PY "$peers/mda_rdf.py" "$f" --rmax 10 --nbins 200 --pairs Si-Si,Si-O,O-O --out "$data/mda.dat" 2>&1 |
          sed -n 's/^TIME mda_rdf N=[0-9]* \([0-9.e-]*\) s.*/\1/p')
    printf '%-6s %-5s %12.4f %12.4f %14.4f %12.3f %12.2f %12.1f\n' "$n" "$kind" "$m1" "$m2" "$lmp" "$mda" \
      "$(echo "$lmp / $m1" | bc -l)" "$(echo "$mda / $m1" | bc -l)"
    echo "RESULT g(r)_${kind} ${n}_atoms $m1 LAMMPS_compute_rdf $lmp materia: whole process incl. reading, 1 thread; LAMMPS: its per-evaluation time (Loop time / runs), reading excluded"
    [ -n "$lbase" ] && echo "RESULT g(r)_${kind} ${n}_atoms $m1 LAMMPS_whole_process $(echo "$lbase + $lmp" | bc -l) both whole processes incl. reading: LAMMPS read+setup process + 1 evaluation; materia 1 thread"
    echo "RESULT g(r)_${kind} ${n}_atoms $m1 MDAnalysis_InterRDF $mda materia: whole process, 1 thread; MDAnalysis: its analysis time for total + 3 partials (4 runs), reading excluded"
  done
done
