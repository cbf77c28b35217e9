#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS seconds each (niced; FUZZ_JOBS at a time, default 1),
# seeding each corpus from the fixtures, and prints executions and findings per target.
# Usage: scripts/fuzz.sh SECONDS [TARGET...]
#        scripts/fuzz.sh build      (builds every target with the same flags, runs none: make fuzz-build)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS|build [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(facts_plan probe_plan fragment module_args ini cpu netfacts
    facts_policy fileservices engine_state engine_plan recorded_plan drift_parsers free_disks cmdline)
fixtures=hvp-core/tests/fixtures

prefixed() { # prefixed BYTE FILE DEST: DEST = the byte BYTE, then FILE (targets with a selector)
    [ -e "$3" ] || { printf "\\$(printf '%03o' "$1")"; cat "$2"; } >"$3"
}

seed() { # seed TARGET: copy the fixtures that fit the target into its corpus
    local dir=fuzz/corpus/$1
    mkdir -p "$dir"
    case $1 in
        facts_plan) cp -n "$fixtures"/gdeploy/*.json examples/facts-*.json "$dir"/ 2>/dev/null || true ;;
        probe_plan) cp -n "$fixtures"/network/*.json "$dir"/ 2>/dev/null || true ;;
        fragment) cp -n fuzz/seeds/fragment/* "$dir"/ 2>/dev/null || true ;;
        module_args) cp -n fuzz/seeds/module_args/* "$dir"/ 2>/dev/null || true ;;
        ini) cp -n "$fixtures"/gdeploy/*.ini "$dir"/ 2>/dev/null || true ;;
        cpu) cp -n "$fixtures"/cpu/* "$dir"/ 2>/dev/null || true ;;
        netfacts) cp -n fuzz/seeds/netfacts/* "$dir"/ 2>/dev/null || true ;;
        facts_policy) # first byte: policy (byte % 3: the facts' own, compat, balanced) and format (byte / 3)
            for file in "$fixtures"/balanced/*.json examples/facts-*.json; do
                for selector in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
                    prefixed "$selector" "$file" "$dir/$selector-$(basename "$file")"
                done
            done ;;
        fileservices) cp -n examples/fileservices-*.json "$dir"/ 2>/dev/null || true ;;
        recorded_plan) # first byte: 0 teardown, 1-10 expansion in one format, without/with ignore_drift
            for file in fuzz/seeds/recorded_plan/*; do
                for selector in 0 1 2 3 4 5 6 7 8 9 10; do
                    prefixed "$selector" "$file" "$dir/$selector-$(basename "$file")"
                done
            done ;;
        engine_state | engine_plan | free_disks | cmdline) cp -n fuzz/seeds/"$1"/* "$dir"/ 2>/dev/null || true ;;
        drift_parsers) # first byte: 0 pvs, 1 vgs, 2 lvs, 3 mountinfo, 4 volume info XML, 5 group, 6 vdo status
            local d=$fixtures/drift
            for file in "$d"/*pvs*.json; do prefixed 0 "$file" "$dir/0-$(basename "$file")"; done
            for file in "$d"/*vgs*.json; do prefixed 1 "$file" "$dir/1-$(basename "$file")"; done
            for file in "$d"/*lvs*.json; do prefixed 2 "$file" "$dir/2-$(basename "$file")"; done
            for file in "$d"/mountinfo-*.txt; do prefixed 3 "$file" "$dir/3-$(basename "$file")"; done
            for file in "$d"/volume-info-*.xml; do prefixed 4 "$file" "$dir/4-$(basename "$file")"; done
            prefixed 5 "$d/group-virt" "$dir/5-group-virt"
            prefixed 6 "$d/vdo-status-legacy.yaml" "$dir/6-vdo-status-legacy.yaml" ;;
    esac
}

# hvp has no `unsafe` code, so AddressSanitizer finds nothing Rust's own checks miss, while it
# makes the build and every execution several times slower: off unless FUZZ_SANITIZER=address.
sanitizer=${FUZZ_SANITIZER:-none}
# Without a sanitizer cargo-fuzz passes no unstable flag, so the default toolchain builds the
# targets; AddressSanitizer (-Zsanitizer) needs nightly (`FUZZ_SANITIZER=address make fuzz-deps`).
toolchain=()
[ "$sanitizer" = none ] || toolchain=(+nightly)
# FUZZ_TRACE_COMPARES=0 builds without comparison tracing: 2-3 times the executions per
# second on the parsers (long campaigns), at the cost of guidance towards magic values.
build_flags=()
[ "${FUZZ_TRACE_COMPARES:-1}" != 0 ] || build_flags+=(--no-trace-compares)
# No debug information: cargo-fuzz forces line tables into the release profile, which makes each
# target binary 47 MB instead of 21 MB (1.1 GB of fuzz/target instead of 0.7 GB, on CI machines
# whose disk may be small). A panic still names its file and line (the panic location is
# compiled in); rustc takes the last -C debuginfo, and cargo-fuzz appends RUSTFLAGS to its own.
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Cdebuginfo=0"

if [ "$seconds" = build ]; then
    exec cargo ${toolchain[@]+"${toolchain[@]}"} fuzz build --fuzz-dir fuzz -O --debug-assertions --sanitizer "$sanitizer" ${build_flags[@]+"${build_flags[@]}"} "$@"
fi

# FUZZ_JOBS=N fuzzes N targets at a time (`make fuzz-ci`: 2, one per core; a target is one
# single-threaded libFuzzer process, so one at a time leaves a core idle). Each target still
# runs SECONDS; the summary keeps the targets' order.
jobs_max=${FUZZ_JOBS:-1}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# fuzz_target INDEX TARGET: one target; its summary line in $results/INDEX, its exit status
# (0, or 1 for a finding) in $results/INDEX.status.
fuzz_target() {
    local index=$1 target=$2 log finding runs rc=0
    log=$(mktemp)
    # -timeout: an input taking more than 10 s is a hang; -rss_limit_mb keeps the shared machine safe.
    if nice -n "${FUZZ_NICE:-19}" cargo ${toolchain[@]+"${toolchain[@]}"} fuzz run --fuzz-dir fuzz -O --debug-assertions --sanitizer "$sanitizer" ${build_flags[@]+"${build_flags[@]}"} "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1; then
        finding=none
    else
        finding="CRASH/HANG (see fuzz/artifacts/$target)"
        rc=1
        # The panic message and where the input is; the input itself is in the artifact.
        grep -a -E "panicked|ERROR: libFuzzer|SUMMARY|Failing input|artifacts/" "$log" | head -20 | sed "s/^/$target: /" || true
    fi
    # -a: a crash log may hold the input's bytes; no match must not end the script (set -e).
    runs=$(grep -a -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
    printf '%-12s %12s executions  findings: %s' "$target" "${runs:-?}" "$finding" >"$results/$index"
    echo "$rc" >"$results/$index.status"
    rm -f "$log"
}

index=0
for target in "${targets[@]}"; do
    seed "$target"
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
    fuzz_target "$index" "$target" &
    index=$((index + 1))
done
wait
status=0
summary=()
for ((i = 0; i < index; i++)); do
    summary+=("$(cat "$results/$i" 2>/dev/null || echo "${targets[$i]}: no result")")
    [ "$(cat "$results/$i.status" 2>/dev/null)" = 0 ] || status=1
done
header="fuzz summary ($(date -u +%Y-%m-%d), ${seconds}s per target, sanitizer $sanitizer, trace-compares ${FUZZ_TRACE_COMPARES:-1}):"
echo "$header"
printf '  %s\n' "${summary[@]}"
# FUZZ_LOG=FILE also appends the summary there (campaign records for docs/fuzzing.md).
if [ -n "${FUZZ_LOG:-}" ]; then
    { echo "$header"; printf '  %s\n' "${summary[@]}"; } >>"$FUZZ_LOG"
fi
exit $status
