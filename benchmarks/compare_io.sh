#!/usr/bin/env bash
# Reading speed of materia's extxyz and LAMMPS-dump readers against `wc -l` on the same files.
#
#   benchmarks/compare_io.sh [BUILD_DIR]     (a Release build with benchmarks enabled, or the script
#                                             builds bench_io itself with g++ -O2)
# Prints MB/s (CPU time) for both and the ratio (the issue's target: reader time ≤ 2 × wc -l time).
# /usr/bin/time has 10 ms resolution, hence the ~35 MB files.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:+$1/benchmarks/bench_io}
if [ -z "${bin}" ] || [ ! -x "$bin" ]; then
    bin=${TMPDIR:-/tmp}/materia_bench_io
    g++ -std=c++20 -O2 -DNDEBUG -Iinclude benchmarks/bench_io.cpp -o "$bin" -lbenchmark_main -lbenchmark -lpthread
fi
json=$("$bin" --benchmark_format=json --benchmark_min_time=1 2>/dev/null)
tmp=${TMPDIR:-/tmp}
for f in extxyz lammpstrj; do
    file=$tmp/materia_bench_io.$f
    bytes=$(stat -c %s "$file")
    # best of 7 CPU times for wc -l (perf's task-clock, ms resolution; else /usr/bin/time user+sys,
    # 10 ms resolution); the file is in the page cache after the benchmark.  CPU time, not wall
    # time, on both sides: on a shared machine wall times measure the neighbours.
    if perf stat -x, -e task-clock true >/dev/null 2>&1; then
        best=$(for i in 1 2 3 4 5 6 7; do perf stat -x, -e task-clock wc -l "$file" 2>&1 >/dev/null | awk -F, '{print $1 / 1000}'; done | sort -g | head -1)
    else
        best=$(for i in 1 2 3 4 5 6 7; do /usr/bin/time -f "%U %S" wc -l "$file" 2>&1 >/dev/null | awk '{print $1 + $2}'; done | sort -g | head -1)
    fi
    echo "$f: $(( bytes / 1000000 )) MB, wc -l best of 7 (CPU): ${best} s"
    WC_BEST=$best BYTES=$bytes FMT=$f JSON="$json" /usr/bin/python3 - <<'PY'
import json, os
d = json.loads(os.environ["JSON"])
fmt = {"extxyz": "extxyz", "lammpstrj": "lammps_dump"}[os.environ["FMT"]]
by = {b["name"]: b for b in d["benchmarks"]}
B = int(os.environ["BYTES"])
wc = max(float(os.environ["WC_BEST"]), 1e-3)
for name in ("BM_read_" + fmt, "BM_count_frames_" + fmt, "BM_newline_count_" + fmt):
    b = by[name]
    t = b["cpu_time"] / 1e3 if b["time_unit"] == "ms" else b["cpu_time"] / 1e9
    print("  %-30s %8.1f MB/s   %6.3f s   ratio to wc -l: %5.2f" % (name, B / t / 1e6, t, t / wc))
print("  %-30s %8.1f MB/s   %6.3f s" % ("wc -l", B / wc / 1e6, wc))
PY
done
