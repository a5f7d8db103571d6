#!/usr/bin/env bash
# Scale-out of materia across threads and MPI ranks (issue 13), timed in one run.
#
# Usage: benchmarks/compare_mpi.sh [BUILD_DIR]   (default: build; needs a Release build with MPI:
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
#   cmake --build build --target materia_cli example_mpi_rdf example_mpi_hull)
#
# 1. g(r): FRAMES (default 50) frames × 10,000 atoms (random Si/O, cubic 58.5 Å box, seed 13), r_max 10 Å,
#    200 bins: serial `materia rdf` with 1 and 2 threads, and example_mpi_rdf (frames split over
#    ranks, accumulators reduced with materia::mpi::reduce) with 1 and 2 ranks × 1 and 2 threads.
# 2. hull: 100,000 random ternary Y-Th-H entries (seed 2026): serial `materia hull` and
#    example_mpi_hull (hull built once per rank, entries split, rows gathered in input order).
# Wall time of the whole program (reading, computing, writing), best of REPEAT (default 3) runs; for
# the MPI programs also the time inside the program (after MPI_Init, from --timing), which leaves out
# the ~0.5 s that mpirun needs to start the ranks here, and the CPU time of the busiest process
# (busiest rank, all its threads; from --timing, or /usr/bin/time for the serial tool).  For 1-thread
# ranks that CPU time is the wall time the run needs on free cores, so work_split = serial CPU /
# busiest-rank CPU is the speed-up an unloaded machine would show (shared machines distort wall times).
# Every parallel output is compared with the serial one (apart from `# command:`).  The hull runs
# write with --out: through mpirun, stdout is forwarded by the launcher (slow for 6 MB of CSV).
# Prints `RESULT <name> <seconds> <speed-up vs the 1-thread serial run>` lines.
#
# Threads × ranks: each rank runs --threads T threads; Open MPI binds a rank to one core by default
# (for ≤ 2 ranks), so hybrid runs (T > 1) use `mpirun --bind-to none`.  This machine has
# 2 cores here: 2 ranks × 2 threads oversubscribes a 2-core machine (measured anyway).
set -euo pipefail
BUILD=${1:-build}
REPEAT=${REPEAT:-3}
MATERIA=$BUILD/materia
MPI_RDF=$BUILD/examples/example_mpi_rdf
MPI_HULL=$BUILD/examples/example_mpi_hull
for exe in "$MATERIA" "$MPI_RDF" "$MPI_HULL"; do
    [ -x "$exe" ] || { echo "missing $exe (build materia_cli example_mpi_rdf example_mpi_hull)"; exit 1; }
done
MPIRUN=(mpirun)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
WD=${WORKDIR:-$(mktemp -d /tmp/materia_mpi_XXXX)}
echo "== work dir $WD, $(nproc) cores, best of $REPEAT"

FRAMES=${FRAMES:-50}
/usr/bin/python3 - "$WD" "$FRAMES" <<'EOF'
import random, sys
wd = sys.argv[1]
rng = random.Random(13)
n, frames, L = 10000, int(sys.argv[2]), 58.5
with open(wd + "/traj.extxyz", "w") as f:
    for k in range(frames):
        f.write("%d\nLattice=\"%.1f 0 0 0 %.1f 0 0 0 %.1f\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n" % (n, L, L, L))
        f.write("".join("%s %.5f %.5f %.5f\n" % ("O" if i % 3 else "Si", rng.random() * L, rng.random() * L, rng.random() * L)
                        for i in range(n)))
rng = random.Random(2026)
els, eref = ["Y", "Th", "H"], [-6.4, -7.4, -3.4]
with open(wd + "/hull.csv", "w") as f:
    f.write("name,formula,energy\n")
    out = []
    for i in range(100000):
        c = [1 if j == i else 0 for j in range(3)] if i < 3 else [rng.randint(0, 40) for _ in range(3)]
        if sum(c) == 0:
            c[2] = 1
        t = sum(c)
        x = [v / t for v in c]
        mix = x[0] * x[1] + x[0] * x[2] + x[1] * x[2]
        ef = -rng.random() * 4.0 * mix + (rng.gauss(0, 0.05) if mix > 0 else 0.0)
        e = ef + sum(xi * ri for xi, ri in zip(x, eref))
        out.append("e%d,%s,%r\n" % (i, "".join("%s%d" % (s, v) for s, v in zip(els, c) if v), e))
    f.write("".join(out))
EOF

best() {  # best wall, in-program (--timing) and CPU-of-the-busiest-process times of REPEAT runs of "$@"
    local b= bi= bc=
    for _ in $(seq "$REPEAT"); do
        local t0 t1 inner cpu
        t0=$(date +%s.%N)
        /usr/bin/time -o "$OUT.time" -f "%U %S" "$@" > "$OUT" 2> "$OUT.err" ||
            { echo "FAILED: $*" >&2; cat "$OUT.err" >&2; exit 1; }
        t1=$(date +%s.%N)
        b=$(echo "$t1 - $t0" | bc -l | awk -v b="$b" '{ if (b == "" || $1 < b) print $1; else print b }')
        inner=$(awk '/^# mpi_time_s:/ { print $3 }' "$OUT.err")
        [ -n "$inner" ] && bi=$(echo "$inner" | awk -v b="$bi" '{ if (b == "" || $1 < b) print $1; else print b }')
        # MPI programs report the CPU time of their busiest rank; serial ones: user + system time.
        cpu=$(awk '/^# cpu_s_busiest_rank:/ { print $3 }' "$OUT.err")
        [ -z "$cpu" ] && cpu=$(awk '{ print $1 + $2 }' "$OUT.time")
        bc=$(echo "$cpu" | awk -v b="$bc" '{ if (b == "" || $1 < b) print $1; else print b }')
    done
    echo "$b ${bi:--} $bc"
}
same() { cmp -s <(grep -v '^# command' "$1") <(grep -v '^# command' "$2") && echo identical || echo DIFFERENT; }

RDF_ARGS=("$WD/traj.extxyz" --rmax 10 --bins 200)
declare -A T TI TC
run() {  # name, reference output, command...
    local name=$1 ref=$2 r
    shift 2
    OUT=$WD/$name.csv
    r=$(best "$@") || exit 1
    read -r T[$name] TI[$name] TC[$name] <<< "$r"
    [ "${TI[$name]}" = - ] && TI[$name]=${T[$name]}
    local check=""
    [ -n "$ref" ] && check=" ($(same "$ref" "$OUT"))"
    echo "$name: wall ${T[$name]} s, in program ${TI[$name]} s, CPU of the busiest process ${TC[$name]} s$check"
}
echo "== g(r), $FRAMES frames x 10,000 atoms, r_max 10 A, 200 bins"
run rdf_serial_t1 "" "$MATERIA" rdf "${RDF_ARGS[@]}" --threads 1
run rdf_serial_t2 "$WD/rdf_serial_t1.csv" "$MATERIA" rdf "${RDF_ARGS[@]}" --threads 2
run rdf_np1_t1 "$WD/rdf_serial_t1.csv" "${MPIRUN[@]}" -np 1 "$MPI_RDF" "${RDF_ARGS[@]}" --timing --threads 1
run rdf_np2_t1 "$WD/rdf_serial_t1.csv" "${MPIRUN[@]}" -np 2 "$MPI_RDF" "${RDF_ARGS[@]}" --timing --threads 1
run rdf_np1_t2 "$WD/rdf_serial_t1.csv" "${MPIRUN[@]}" --bind-to none -np 1 "$MPI_RDF" "${RDF_ARGS[@]}" --timing --threads 2
run rdf_np2_t2 "$WD/rdf_serial_t1.csv" "${MPIRUN[@]}" --bind-to none -np 2 "$MPI_RDF" "${RDF_ARGS[@]}" --timing --threads 2
run rdf_np2_t2_bound "$WD/rdf_serial_t1.csv" "${MPIRUN[@]}" -np 2 "$MPI_RDF" "${RDF_ARGS[@]}" --timing --threads 2

echo "== hull, 100,000 ternary entries"
run hull_serial_t1 "" "$MATERIA" hull "$WD/hull.csv" --threads 1 --out "$WD/hull_serial_t1.csv"
run hull_serial_t2 "$WD/hull_serial_t1.csv" "$MATERIA" hull "$WD/hull.csv" --threads 2 --out "$WD/hull_serial_t2.csv"
run hull_np1_t1 "$WD/hull_serial_t1.csv" "${MPIRUN[@]}" -np 1 "$MPI_HULL" "$WD/hull.csv" --timing --threads 1 --out "$WD/hull_np1_t1.csv"
run hull_np2_t1 "$WD/hull_serial_t1.csv" "${MPIRUN[@]}" -np 2 "$MPI_HULL" "$WD/hull.csv" --timing --threads 1 --out "$WD/hull_np2_t1.csv"
run hull_np2_t2 "$WD/hull_serial_t1.csv" "${MPIRUN[@]}" --bind-to none -np 2 "$MPI_HULL" "$WD/hull.csv" --timing --threads 2 --out "$WD/hull_np2_t2.csv"

ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
for k in rdf_serial_t1 rdf_serial_t2 rdf_np1_t1 rdf_np2_t1 rdf_np1_t2 rdf_np2_t2 rdf_np2_t2_bound \
         hull_serial_t1 hull_serial_t2 hull_np1_t1 hull_np2_t1 hull_np2_t2; do
    base=${k%%_*}_serial_t1
    echo "RESULT $k wall ${T[$k]} s in_program ${TI[$k]} s speedup $(ratio "${T[$base]}" "${TI[$k]}")" \
         "cpu_busiest ${TC[$k]} s work_split $(ratio "${TC[$base]}" "${TC[$k]}")"
done
grep -h '^# mpi_time_s' "$WD"/hull_np*.csv.err | sed 's/^/hull stages: /' || true
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
