#!/usr/bin/env bash
# The running-cluster side: hvp_gdeploy_config with `existing` writes exactly the bytes of
# `hvp-gdeploy-gen --existing` (commands and merged plan) and refuses drift (E020);
# playbooks/expand.yaml and teardown.yaml pass the syntax check; teardown.yaml refuses to
# start without its confirmation variable.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

cli=${HVP_GDEPLOY_GEN:-target/x86_64-unknown-linux-gnu/release/hvp-gdeploy-gen}
[[ -x $cli ]] || fail "$cli is missing: run make modules (or set HVP_GDEPLOY_GEN)"
work=$(mktemp -d /tmp/hvr-running.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/out"
fixtures=$repo/hvp-core/tests/fixtures/expand
"$cli" --existing "$fixtures/plan-3nodes.json" "$fixtures/facts-6nodes.json" --format commands -o "$work/expected.sh"
"$cli" --existing "$fixtures/plan-3nodes.json" "$fixtures/facts-6nodes.json" --format json -o "$work/expected.json"
"$cli" --existing "$fixtures/plan-3nodes.json" "$fixtures/facts-6nodes.json" --format commands --grow vmstore=1TiB -o "$work/expected-grow.sh"

play expand_config.yml -e "work=$work" -e "facts_file=$fixtures/facts-6nodes.json" \
    -e "plan_file=$fixtures/plan-3nodes.json" >"$work/play.log" ||
    { cat "$work/play.log" >&2; fail "expand_config.yml failed"; }
cmp -s "$work/expected.sh" "$work/out/expand.sh" || fail "the module's commands differ from the CLI's"
cmp -s "$work/expected.json" "$work/out/merged.json" || fail "the module's merged plan differs from the CLI's"
cmp -s "$work/expected-grow.sh" "$work/out/grow.sh" || fail "the module's grow option differs from the CLI's --grow"
[[ $(stat -c %a "$work/out/merged.json") == 600 ]] || fail "the merged plan is not 0600"

for playbook in expand teardown; do
    ansible-playbook -i examples/inventory "playbooks/$playbook.yaml" --syntax-check >/dev/null ||
        fail "playbooks/$playbook.yaml does not pass the syntax check"
done
if ansible-playbook -i examples/inventory playbooks/teardown.yaml >"$work/teardown.log" 2>&1; then
    fail "teardown.yaml ran without the confirmation variable"
fi
grep -q 'hvp_teardown_confirm=destroy-planned-storage' "$work/teardown.log" ||
    fail "teardown.yaml did not name the confirmation variable: $(tail -5 "$work/teardown.log")"
grep -qE 'localhost +: ok=0 +changed=0 .*failed=1' "$work/teardown.log" ||
    fail "teardown.yaml went past the confirmation: $(tail -5 "$work/teardown.log")"
echo "73-running-playbooks: OK"
