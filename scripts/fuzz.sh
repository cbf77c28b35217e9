#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS seconds each (one at a time, niced), seeding each
# corpus from the fixtures, and prints executions and findings per target.
# Usage: scripts/fuzz.sh SECONDS [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(facts_plan probe_plan fragment module_args ini)
fixtures=hvp-core/tests/fixtures

seed() { # seed TARGET: copy the fixtures that fit the target into its corpus
    local dir=fuzz/corpus/$1
    mkdir -p "$dir"
    case $1 in
        facts_plan) cp -n "$fixtures"/gdeploy/*.json examples/facts-*.json "$dir"/ 2>/dev/null || true ;;
        probe_plan) cp -n "$fixtures"/network/*.json "$dir"/ 2>/dev/null || true ;;
        fragment) cp -n fuzz/seeds/fragment/* "$dir"/ 2>/dev/null || true ;;
        module_args) cp -n fuzz/seeds/module_args/* "$dir"/ 2>/dev/null || true ;;
        ini) cp -n "$fixtures"/gdeploy/*.ini "$dir"/ 2>/dev/null || true ;;
    esac
}

status=0
summary=()
for target in "${targets[@]}"; do
    seed "$target"
    log=$(mktemp)
    # -timeout: an input taking more than 10 s is a hang; -rss_limit_mb keeps the shared machine safe.
    if nice -n 19 cargo +nightly fuzz run --fuzz-dir fuzz -O "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1; then
        finding=none
    else
        finding="CRASH/HANG (see fuzz/artifacts/$target)"
        status=1
        # The panic message and where the input is; the input itself is in the artifact.
        grep -E "panicked|ERROR: libFuzzer|SUMMARY|Failing input|artifacts/" "$log" | head -20 || true
    fi
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    summary+=("$(printf '%-12s %12s executions  findings: %s' "$target" "${runs:-?}" "$finding")")
    rm -f "$log"
done
echo "fuzz summary ($(date -u +%Y-%m-%d), ${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
exit $status
