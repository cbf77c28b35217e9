#!/usr/bin/env bash
# Whole-process figures of `hvp-gdeploy-gen --policy balanced` (release build) with
# /usr/bin/time -v: wall time, CPU time (user + system) and peak memory per output format, for
# generated facts of 3 x 3, 64 x 12, 150 x 24, 300 x 24 and 600 x 24 disks
# (scripts/gen-facts.py), so that the growth with the number of disks shows. Each case runs
# HVP_BENCH_RUNS times (default 3); the best wall and CPU time and the largest peak RSS are
# printed, with the load average (the machine may be shared). With HVP_BENCH_INSTRUCTIONS=1 and
# valgrind installed, each case also prints the whole process's instruction count (callgrind),
# which a loaded machine does not disturb. Figures only: no limits.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --quiet --release -p hvp-modules --bin hvp-gdeploy-gen
cli=target/release/hvp-gdeploy-gen
work=$(mktemp -d /tmp/hvb-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
runs=${HVP_BENCH_RUNS:-3}
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), best of $runs runs"
instructions=${HVP_BENCH_INSTRUCTIONS:-0}
if [ "$instructions" = 1 ] && ! command -v valgrind > /dev/null; then
    echo "HVP_BENCH_INSTRUCTIONS=1 needs valgrind (apt-get install valgrind)" >&2
    instructions=0
fi
printf '%-10s %-16s %8s %8s %8s %12s %11s %12s\n' size format wall_s user_s sys_s max_rss_MiB output_MB Minstructions
sizes=${HVP_BENCH_BALANCED_SIZES:-3x3 64x12 150x24 300x24 600x24}
formats=${HVP_BENCH_BALANCED_FORMATS:-json table ini commands gluster-ansible}
for size in $sizes; do
    python3 scripts/gen-facts.py "${size%x*}" "${size#*x}" > "$work/facts.json"
    for format in $formats; do
        best_wall="" best_user="" best_sys="" rss=0
        for _ in $(seq "$runs"); do
            /usr/bin/time -v "$cli" --policy balanced --format "$format" -o "$work/out" \
                "$work/facts.json" 2> "$work/time.log" || { cat "$work/time.log" >&2; exit 1; }
            read -r wall user sys kib < <(awk -F': ' '
                /Elapsed \(wall clock\)/ {split($2, t, ":"); s = 0;
                    for (i = 1; i <= length(t); i++) s = s * 60 + t[i]; wall = s}
                /User time \(seconds\)/ {user = $2}
                /System time \(seconds\)/ {sys = $2}
                /Maximum resident set size/ {kib = $2}
                END {print wall, user, sys, kib}' "$work/time.log")
            best_wall=$(awk -v a="$best_wall" -v b="$wall" 'BEGIN {print (a == "" || b < a) ? b : a}')
            best_user=$(awk -v a="$best_user" -v b="$user" 'BEGIN {print (a == "" || b < a) ? b : a}')
            best_sys=$(awk -v a="$best_sys" -v b="$sys" 'BEGIN {print (a == "" || b < a) ? b : a}')
            rss=$(( kib > rss ? kib : rss ))
        done
        out=$(stat -c %s "$work/out" | awk '{printf "%.1f", $1 / 1000000}')
        count=-
        if [ "$instructions" = 1 ]; then
            count=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$cli" \
                --policy balanced --format "$format" -o "$work/out" "$work/facts.json" 2>&1 |
                awk '/Collected/ {printf "%.0f", $4 / 1000000}')
        fi
        printf '%-10s %-16s %8s %8s %8s %12s %11s %12s\n' "$size" "$format" "$best_wall" \
            "$best_user" "$best_sys" "$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')" "$out" \
            "$count"
    done
done
