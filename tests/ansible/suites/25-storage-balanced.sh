#!/usr/bin/env bash
# hvp_gdeploy_config with policy balanced under ansible-playbook: every output format is the
# same bytes as `hvp-gdeploy-gen --policy balanced --format F`, changed then not changed,
# --check writes nothing; an inventory the policy refuses (two nodes) fails naming E011.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

cli=${HVP_GDEPLOY_GEN:-target/x86_64-unknown-linux-gnu/release/hvp-gdeploy-gen}
[[ -x $cli ]] || fail "$cli is missing: run make modules (or set HVP_GDEPLOY_GEN)"

work=$(mktemp -d /tmp/hvp-storage.XXXXXX)
trap 'rm -rf "$work"' EXIT
facts=$repo/examples/facts-6nodes.json
outputs='["ini", "json", "table", "commands", "gluster-ansible"]'
for output in $(jq -r '.[]' <<<"$outputs"); do
    "$cli" --policy balanced --format "$output" "$facts" -o "$work/expected.$output" 2>/dev/null
done
# Every format in one ansible-playbook run per pass; each format's `changed` in PASS.json.
pass() {
    local pass=$1
    shift
    play storage_balanced.yml -e "facts_file=$facts" -e "{\"outputs\": $outputs}" -e "dest_dir=$work" \
        -e "results=$work/$pass.json" "$@" >"$work/$pass.log" || { cat "$work/$pass.log" >&2; fail "$pass failed"; }
}
changed() { jq -e --arg f "$2" --argjson want "$3" '.[$f] == $want' "$work/$1.json" >/dev/null; }
pass check --check
for output in $(jq -r '.[]' <<<"$outputs"); do
    changed check "$output" true || fail "$output: --check reported no change"
    [[ ! -e $work/plan.$output ]] || fail "--check wrote $work/plan.$output"
done
pass run1
for output in $(jq -r '.[]' <<<"$outputs"); do
    changed run1 "$output" true || fail "$output: the first run did not change $work/plan.$output"
    cmp -s "$work/plan.$output" "$work/expected.$output" || fail "$output: module and CLI differ"
done
pass run2
for output in $(jq -r '.[]' <<<"$outputs"); do
    changed run2 "$output" false || fail "$output: the second run changed $work/plan.$output"
done
# The module's cache_partitions (what the storage stage creates before gDeploy) are the
# gluster-ansible output's hvp_cache_partitions, host by host.
play storage_balanced.yml -e "facts_file=$facts" -e output=gluster-ansible \
    -e "dest=$work/parts.yml" -e "result_file=$work/result.json" > "$work/parts.log"
python3 - "$work/result.json" "$work/parts.yml" <<'PY' || fail "cache_partitions differ from the gluster-ansible output"
import json, sys, yaml
result = json.load(open(sys.argv[1]))["cache_partitions"]
hosts = yaml.safe_load(open(sys.argv[2]))["hc_nodes"]["hosts"]
listed = {name: h["hvp_cache_partitions"] for name, h in hosts.items() if "hvp_cache_partitions" in h}
assert listed, "the 6-node example splits its cache SSDs"
assert result == listed, (result, listed)
PY
python3 - "$facts" "$work/two.json" <<'PY'
import json, sys
facts = json.load(open(sys.argv[1]))
facts["nodes"] = facts["nodes"][:2]
json.dump(facts, open(sys.argv[2], "w"))
PY
if play storage_balanced.yml -e "facts_file=$work/two.json" -e output=ini -e "dest=$work/two.ini" \
    > "$work/two.log" 2>&1; then
    fail "two nodes were accepted"
fi
grep -q 'E011' "$work/two.log" || fail "the refusal does not name E011"
[[ ! -e $work/two.ini ]] || fail "a refused plan was written"
echo "25-storage-balanced: OK"
