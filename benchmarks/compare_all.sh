#!/usr/bin/env bash
# compare_all.sh — materia against its peers (LAMMPS, MDAnalysis, ASE, SciPy, lmfit, mpmath,
# pymatgen) in ONE run, on the same generated inputs, and a Markdown table of the ratios.
#
#   benchmarks/compare_all.sh                 # install missing peers, build, run everything (~10-15 min, 2 cores)
#   benchmarks/compare_all.sh --no-install    # do not call apt-get (the comparisons whose peer is missing fail and are listed)
#   benchmarks/compare_all.sh --only rdf,msd  # a subset: rdf adf sq rings msd fit supercon hull io
#
# Steps:
#  1. installs the peers from Debian packages when missing (apt-get as root, or through sudo);
#  2. builds materia in Release in its own directory (targets materia_cli, bench_fit, bench_io, bench_supercon);
#  3. runs every benchmarks/compare_*.{sh,py} script; each prints its usual human-readable report
#     and machine-readable lines  `RESULT <analysis> <size> <materia_s> <peer> <peer_s> [note]`
#     (compare_hull.py and compare_io.sh may print `RATIO <name> <value>` lines instead);
#  4. writes benchmarks/PEERS_TABLE.md: the machine, the date, the command, the sizes, one row per
#     RESULT line (materia time, peer time, ratio materia/peer and speed-up peer/materia), the RATIO
#     lines, and the status and wall time of every step.  Full logs stay in BUILD_DIR/compare-logs.
#
# Sizes (environment variables, defaults chosen so the whole run stays around 10 minutes on 2 cores):
#   RDF_SIZES="1000 10000 44000"  RDF_KINDS="ortho tri"   g(r): atoms, orthorhombic and triclinic cells
#   ADF_CELLS=5,10,25       bond angles: diamond cells (x 8 atoms = 10,000)
#   SQ_CELLS=5,10,25  SQ_NQ=3   Debye S(q): diamond cells, q points given to ASE
#   RINGS_LARGE=0           1: also the 108,027-atom ring run (no peer)
#   MSD_ATOMS=2000 MSD_FRAMES=500   MSD trajectory
#   FIT_POINTS=60           heat-capacity fit points
#   HULL_N=200000 HULL_N_SCIPY=20000 HULL_N6=20000   convex hulls (compare_hull.py)
# Other: BUILD_DIR (default build-bench-rel), JOBS (2), OUT (benchmarks/PEERS_TABLE.md),
#        STEP_TIMEOUT (seconds per script, 1200), PEERS (../shared/peers), DATA (generated inputs).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"

install=1
only="rdf adf sq rings msd fit supercon hull io"
for arg in "$@"; do
    case $arg in
        --no-install) install=0 ;;
        --only=*) only=${arg#--only=}; only=${only//,/ } ;;
        --only) echo "compare_all.sh: use --only=LIST (comma separated)" >&2; exit 2 ;;
        -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
        *) echo "compare_all.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

: "${RDF_SIZES:=1000 10000 44000}" "${RDF_KINDS:=ortho tri}" "${ADF_CELLS:=5,10,25}" "${SQ_CELLS:=5,10,25}"
: "${SQ_NQ:=3}" "${RINGS_LARGE:=0}" "${MSD_ATOMS:=2000}" "${MSD_FRAMES:=500}" "${FIT_POINTS:=60}"
: "${HULL_N:=200000}" "${HULL_N_SCIPY:=20000}" "${HULL_N6:=20000}"
BUILD_DIR=${BUILD_DIR:-build-bench-rel}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$root/$BUILD_DIR ;; esac
JOBS=${JOBS:-2}
OUT=${OUT:-$root/benchmarks/PEERS_TABLE.md}
STEP_TIMEOUT=${STEP_TIMEOUT:-1200}
PEERS=${PEERS:-$root/../shared/peers}
[ -d "$PEERS" ] || PEERS=/work/shared/peers
PEERS=$(cd "$PEERS" 2>/dev/null && pwd || echo "$PEERS")
export MATERIA_PEERS=$PEERS PEERS
DATA=${DATA:-${TMPDIR:-/tmp}/materia-compare-all}
PY=/usr/bin/python3   # Debian's python: the one that sees python3-ase, python3-mdanalysis, ...
logs=$BUILD_DIR/compare-logs
command_line="benchmarks/compare_all.sh${*:+ $*}"
t_start=$(date +%s.%N)
date_start=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
say() { printf '\n=== %s ===\n' "$*"; }

# ---------------------------------------------------------------- 1. peers from Debian packages
peer_packages="python3-ase python3-mdanalysis python3-pymatgen python3-scipy python3-numpy python3-lmfit python3-mpmath lammps"
build_packages="build-essential cmake ninja-build libeigen3-dev libxtensor-dev xtl-dev libbenchmark-dev bc"
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
missing=""
for p in $peer_packages $build_packages; do installed "$p" || missing="$missing $p"; done
say "1/4 packages"
if [ -z "$missing" ]; then
    echo "all peer and build packages already installed"
elif [ $install = 0 ]; then
    echo "missing (not installing, --no-install):$missing"
else
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"
    else sudo="none"; fi
    if [ "$sudo" = none ]; then
        echo "missing:$missing — not root and no password-less sudo: install them by hand; continuing without"
    else
        echo "installing:$missing"
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get update -qq || echo "apt-get update failed; trying the install anyway"
        # shellcheck disable=SC2086
        $sudo apt-get install -y -qq --no-install-recommends $missing ||
            echo "apt-get install failed: the comparisons that need the missing peers will fail and be listed"
    fi
fi

# ---------------------------------------------------------------- 2. Release build
say "2/4 build ($BUILD_DIR, Release)"
gen=""; command -v ninja >/dev/null && gen="-G Ninja"
# shellcheck disable=SC2086
cmake -S "$root" -B "$BUILD_DIR" $gen -DCMAKE_BUILD_TYPE=Release -DMATERIA_BUILD_BENCHMARKS=ON \
      -DMATERIA_BUILD_TESTS=OFF -DMATERIA_BUILD_EXAMPLES=OFF -DMATERIA_HEADER_CHECK=OFF >/dev/null &&
    cmake --build "$BUILD_DIR" --target materia_cli bench_fit bench_io bench_supercon -j "$JOBS" ||
    { echo "compare_all.sh: the Release build failed" >&2; exit 1; }
exe=$BUILD_DIR/materia
mkdir -p "$logs" "$DATA"
rm -f "$logs"/*.log "$logs"/steps.tsv

# ---------------------------------------------------------------- 3. the comparisons
say "3/4 comparisons"
run_step() {  # run_step NAME COMMAND... : log to $logs/NAME.log (and the terminal), record status and wall time
    local name=$1; shift
    case " $only " in *" $name "*) ;; *) return 0 ;; esac
    echo; echo "--- $name: $*"
    local t0 t1 rc
    t0=$(date +%s.%N)
    timeout "$STEP_TIMEOUT" "$@" 2>&1 | tee "$logs/$name.log"
    rc=${PIPESTATUS[0]}
    t1=$(date +%s.%N)
    printf '%s\t%s\t%.1f\n' "$name" "$rc" "$(echo "$t1 - $t0" | bc -l)" >> "$logs/steps.tsv"
}
# shellcheck disable=SC2086
run_step rdf env MATERIA="$exe" DATA="$DATA" KINDS="$RDF_KINDS" PEERS="$PEERS" bash "$here/compare_rdf.sh" $RDF_SIZES
run_step adf "$PY" "$here/compare_adf.py" --materia "$exe" --atoms-cells "$ADF_CELLS" --min-ratio 0
run_step sq "$PY" "$here/compare_sq.py" --materia "$exe" --cells "$SQ_CELLS" --nq-ase "$SQ_NQ" --min-ratio 0
large=--skip-large; [ "$RINGS_LARGE" = 1 ] && large=""
run_step rings "$PY" "$here/compare_rings.py" --exe "$exe" --threads 1 $large
run_step msd "$PY" "$here/compare_msd.py" --materia "$exe" --n "$MSD_ATOMS" --frames "$MSD_FRAMES"
run_step fit "$PY" "$here/compare_fit.py" --bench "$BUILD_DIR/benchmarks/bench_fit" --npts "$FIT_POINTS"
run_step supercon "$PY" "$here/compare_supercon.py" "$exe" --bench "$BUILD_DIR/benchmarks/bench_supercon"
run_step hull "$PY" "$here/compare_hull.py" "$exe" --n "$HULL_N" --n-scipy "$HULL_N_SCIPY" --n6 "$HULL_N6"
run_step io bash "$here/compare_io.sh" "$BUILD_DIR"

# ---------------------------------------------------------------- 4. the table
say "4/4 table -> $OUT"
t_end=$(date +%s.%N)
versions=""
for p in $peer_packages; do
    v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null) || v="not installed"
    versions="$versions$p=$v;"
done
export LOGS=$logs OUT COMMAND_LINE=$command_line DATE_START=$date_start LOAD_START=$load_start
export LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)" WALL="$(echo "$t_end - $t_start" | bc -l)" VERSIONS=$versions
export CXX_VERSION="$(${CXX:-g++} --version | head -1)" CMAKE_VERSION="$(cmake --version | head -1)"
export PY_VERSION="$($PY --version 2>&1)" STEPS_RUN="$only"
export SIZES="RDF_SIZES=\"$RDF_SIZES\" RDF_KINDS=\"$RDF_KINDS\" ADF_CELLS=$ADF_CELLS SQ_CELLS=$SQ_CELLS SQ_NQ=$SQ_NQ RINGS_LARGE=$RINGS_LARGE MSD_ATOMS=$MSD_ATOMS MSD_FRAMES=$MSD_FRAMES FIT_POINTS=$FIT_POINTS HULL_N=$HULL_N HULL_N_SCIPY=$HULL_N_SCIPY HULL_N6=$HULL_N6"
"$PY" - <<'PY'
import os, platform, re

logs, out = os.environ["LOGS"], os.environ["OUT"]
FLOAT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def first(path, key):
    try:
        for line in open(path):
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


cpu = first("/proc/cpuinfo", "model name")
mem_kb = first("/proc/meminfo", "MemTotal").split()[0]
os_name = "?"
try:
    os_name = dict(l.rstrip("\n").split("=", 1) for l in open("/etc/os-release") if "=" in l)["PRETTY_NAME"].strip('"')
except (OSError, KeyError):
    pass

steps = []  # (name, rc, wall)
try:
    steps = [l.rstrip("\n").split("\t") for l in open(os.path.join(logs, "steps.tsv")) if l.strip()]
except OSError:
    pass

rows, ratios, notes = [], [], []
for name, rc, wall in steps:
    path = os.path.join(logs, name + ".log")
    for line in open(path, errors="replace"):
        line = line.strip()
        if line.startswith("RESULT "):
            t = line.split(None, 6)
            if len(t) < 6 or not (FLOAT.match(t[3]) and FLOAT.match(t[5])):
                continue
            note = t[6] if len(t) > 6 else ""
            rows.append((name, t[1].replace("_", " "), t[2].replace("_", " "), float(t[3]), t[4].replace("_", " "),
                         float(t[5]), note))
        elif line.startswith("RATIO ") and name in ("hull", "io"):
            t = line.split()
            if len(t) >= 3 and FLOAT.match(t[2]):
                ratios.append((name, t[1], t[2], " ".join(t[3:])))
            else:  # free-form "RATIO a / b ... = 12.3 (...)": take the number after the first '='
                m = re.match(r"RATIO\s+(.*?)\s*=\s*([-+0-9.eE]+)\s*(.*)$", line)
                if m:
                    ratios.append((name, m.group(1), m.group(2), m.group(3)))


def fmt_t(s):
    if s >= 1:
        return "%.3g s" % s
    if s >= 1e-3:
        return "%.3g ms" % (s * 1e3)
    return "%.3g µs" % (s * 1e6)


def fmt_r(x):
    if x != x or x == float("inf"):
        return "–"
    return "%.3g" % x if x < 100 else "%.0f" % x


L = []
L.append("# materia against its peers: one run, same inputs, same machine\n")
L.append("Generated by `%s` on %s (wall time of the whole run: %.1f min). **Ratios, not seconds:** "
         "every row compares materia with the peer measured in the same run on the same input. The machine "
         "has 2 cores shared with other builds (load average %s at the start, %s at the end), so absolute times "
         "are noisy and inflated; the ratios are the meaningful figure (expect roughly ±30 %% between runs). "
         "Rows are also sensitive to what is timed: each row's note says whether reading the input and process "
         "start-up are included on either side.\n"
         % (os.environ["COMMAND_LINE"], os.environ["DATE_START"], float(os.environ["WALL"]) / 60,
            os.environ["LOAD_START"], os.environ["LOAD_END"]))
L.append("## Machine\n")
L.append("| | |\n|---|---|")
L.append("| CPU | %s (%d logical cores) |" % (cpu, os.cpu_count() or 0))
L.append("| RAM | %.1f GB |" % (int(mem_kb) / 1024 ** 2 if mem_kb.isdigit() else float("nan")))
L.append("| OS | %s, kernel %s |" % (os_name, platform.release()))
L.append("| compiler | %s, Release (-O3), %s |" % (os.environ["CXX_VERSION"], os.environ["CMAKE_VERSION"]))
L.append("| Python (peers) | /usr/bin/python3, %s |" % os.environ["PY_VERSION"])
L.append("| peers (Debian packages) | %s |" % ", ".join("%s %s" % tuple(v.split("=", 1))
                                                      for v in os.environ["VERSIONS"].split(";") if v))
L.append("| sizes | `%s` |\n" % os.environ["SIZES"])
L.append("## Timings\n")
L.append("ratio = materia time / peer time (< 1: materia is faster); speed-up = peer time / materia time.\n")
L.append("| analysis | input size | materia time | peer | peer time | ratio materia/peer | speed-up peer/materia | note |")
L.append("|---|---|---|---|---|---|---|---|")
note_index = {}  # identical notes share one footnote
for step, an, size, tm, peer, tp, note in rows:
    key = "`%s`: %s" % (step, note or "–")
    if key not in note_index:
        note_index[key] = len(note_index) + 1
        notes.append("[%d] %s" % (note_index[key], key))
    ratio = tm / tp if tp > 0 else float("nan")
    speed = tp / tm if tm > 0 else float("nan")
    L.append("| %s | %s | %s | %s | %s | %s | **%s×** | [%d] |" % (an, size, fmt_t(tm), peer, fmt_t(tp), fmt_r(ratio),
                                                              fmt_r(speed), note_index[key]))
if not rows:
    L.append("| (no RESULT lines: see the steps below) | | | | | | | |")
L.append("")
L.extend(n + "  " for n in notes)
L.append("")
if ratios:
    L.append("## Ratios reported by compare_hull.py and compare_io.sh\n")
    L.append("These scripts print their own `RATIO` lines (the direction is in the name).\n")
    L.append("| script | ratio | value | remark |\n|---|---|---|---|")
    for step, nm, val, rest in ratios:
        L.append("| `%s` | %s | **%s** | %s |" % (step, nm.replace("|", "/"), val, rest.replace("|", "/")))
    L.append("")
L.append("## Steps\n")
L.append("| step | exit status | wall time (s) |\n|---|---|---|")
for name, rc, wall in steps:
    status = {"0": "ok", "124": "TIMEOUT"}.get(rc, "FAILED (%s)" % rc)
    L.append("| `%s` | %s | %s |" % (name, status, wall))
L.append("\nA non-zero status means the script failed or a check inside it failed (results differ, or a "
         "peer is missing); its rows may then be absent. Logs: `%s/<step>.log`. Reproduce with "
         "`benchmarks/compare_all.sh` (sizes via the environment variables listed in its header).\n"
         % os.path.relpath(logs, os.getcwd()))
open(out, "w").write("\n".join(L))
print("\n".join(L))
PY
echo
echo "compare_all.sh: wrote $OUT in $(printf '%.0f' "$(echo "$(date +%s.%N) - $t_start" | bc -l)") s"
