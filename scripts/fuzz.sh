#!/usr/bin/env bash
# Fuzz every structure reader with libFuzzer for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET=20] [TARGET...]
#
# Builds tests/fuzz/fuzz_<format>.cpp with clang++ -fsanitize=fuzzer,address,undefined into
# build-fuzz/ (override with FUZZ_DIR), seeds each corpus from tests/data/io/ and the regression
# folder, and runs each target for SECONDS.  Crashers, hangs (> 10 s) and memory blow-ups (> 2 GB)
# land in $FUZZ_DIR/artifacts/; copy them into tests/data/io/fuzz_regressions/ (the doctest
# tests/io/test_fuzz_regressions.cpp replays that folder) and fix the reader.  Exit status 1 if any
# target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(extxyz poscar xdatcar lammps_dump gro auto); fi
out=${FUZZ_DIR:-build-fuzz}
cxx=${CXX_FUZZ:-clang++}
mkdir -p "$out/artifacts"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude)

seed() {  # seed corpus for one target
    local t=$1 dir=$out/corpus_$1
    mkdir -p "$dir"
    local d=tests/data/io
    case $t in
        extxyz) cp $d/*.extxyz $d/*.xyz $d/same/ref.extxyz "$dir"/ 2>/dev/null || true ;;
        poscar) cp $d/POSCAR* $d/CONTCAR $d/same/POSCAR "$dir"/ ;;
        xdatcar) cp $d/XDATCAR* "$dir"/; cp $d/same/XDATCAR "$dir"/XDATCAR_same ;;
        lammps_dump) cp $d/*.dump $d/same/*.lammpstrj "$dir"/ ;;
        gro) cp $d/highprec.gro $d/same/ref.gro "$dir"/ ;;
        auto) cp $d/multi.extxyz $d/POSCAR_selective $d/XDATCAR_varcell $d/ortho.dump $d/highprec.gro "$dir"/ ;;
    esac
    # aC.extxyz and spc216.gro are large seeds; keep corpora small and fast.
    rm -f "$dir"/aC.extxyz "$dir"/spc216*
    if [ -d $d/fuzz_regressions ]; then
        find $d/fuzz_regressions -type f -name "${t}-*" -exec cp {} "$dir"/ \;
    fi
}

status=0
for t in "${targets[@]}"; do
    src=tests/fuzz/fuzz_$t.cpp
    bin=$out/fuzz_$t
    if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ -n "$(find include/materia/io tests/fuzz -newer "$bin" -name '*.hpp' 2>/dev/null)" ]; then
        echo "== building $bin"
        "$cxx" "${flags[@]}" "$src" -o "$bin"
    fi
    seed "$t"
    echo "== fuzzing $t for ${secs}s"
    if ! "$bin" "$out/corpus_$t" -dict=tests/fuzz/io.dict -max_total_time="$secs" -timeout=10 \
            -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
            -artifact_prefix="$out/artifacts/$t-" 2> "$out/fuzz_$t.log"; then
        echo "!! $t found a problem: see $out/fuzz_$t.log and $out/artifacts/"
        tail -30 "$out/fuzz_$t.log"
        status=1
    else
        grep -E "stat::number_of_executed_units|cov:" "$out/fuzz_$t.log" | tail -2
    fi
done
exit $status
