#!/usr/bin/env bash
# The recorded plan: hvp_gdeploy_config with plan_dest writes the --format json bytes of the
# CLI next to the gDeploy file, mode 0600, atomically, changed only on a difference; check mode
# writes nothing; no temporary file is left behind.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

cli=${HVP_GDEPLOY_GEN:-target/x86_64-unknown-linux-gnu/release/hvp-gdeploy-gen}
[[ -x $cli ]] || fail "$cli is missing: run make modules (or set HVP_GDEPLOY_GEN)"

work=$(mktemp -d /tmp/hvr-plan.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/out"
facts=$repo/examples/facts-3nodes.json
"$cli" "$facts" --format json -o "$work/expected.json"

play recorded_plan.yml -e "work=$work" -e "facts_file=$facts" >"$work/play.log" ||
    { cat "$work/play.log" >&2; fail "recorded_plan.yml failed"; }
leftovers=$(find "$work/out" -name '.*.tmp')
[[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"
echo "71-recorded-plan: OK"
