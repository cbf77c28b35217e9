#!/usr/bin/env bash
# Whole-process figures of `hvp-gdeploy-gen --policy balanced` (release build) with
# /usr/bin/time -v: wall time and peak memory per output format, for generated facts of
# 3 x 3, 64 x 12, 150 x 24, 300 x 24 and 600 x 24 disks (scripts/gen-facts.py), so that the
# growth with the number of disks shows. Figures only: no limits. Run from anywhere.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --quiet --release -p hvp-modules --bin hvp-gdeploy-gen
cli=target/release/hvp-gdeploy-gen
work=$(mktemp -d /tmp/hvb-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '%-10s %-16s %10s %12s %12s\n' size format seconds max_rss_MiB output_MiB
for size in ${HVP_BENCH_BALANCED_SIZES:-"3x3 64x12 150x24 300x24 600x24"}; do
    python3 scripts/gen-facts.py "${size%x*}" "${size#*x}" > "$work/facts.json"
    for format in ${HVP_BENCH_BALANCED_FORMATS:-"table json ini commands gluster-ansible"}; do
        /usr/bin/time -v "$cli" --format "$format" -o "$work/out" "$work/facts.json" \
            2> "$work/time.log" || { cat "$work/time.log" >&2; exit 1; }
        seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); s = 0;
            for (i = 1; i <= length(t); i++) s = s * 60 + t[i]; print s}' "$work/time.log")
        rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$work/time.log")
        out=$(stat -c %s "$work/out" | awk '{printf "%.1f", $1 / 1048576}')
        printf '%-10s %-16s %10s %12s %12s\n' "$size" "$format" "$seconds" "$rss" "$out"
    done
done
