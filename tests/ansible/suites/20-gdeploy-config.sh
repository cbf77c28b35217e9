#!/usr/bin/env bash
# hvp_gdeploy_config under ansible-playbook: writes the same bytes as the hvp-gdeploy-gen CLI,
# changed then not changed, --check writes nothing, --diff shows the change, an invalid
# layout fails with a readable message and writes nothing, an unwritable dest fails.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

cli=${HVP_GDEPLOY_GEN:-target/x86_64-unknown-linux-gnu/release/hvp-gdeploy-gen}
[[ -x $cli ]] || fail "$cli is missing: run make modules (or set HVP_GDEPLOY_GEN)"

work=$(mktemp -d /tmp/hvp-gdeploy.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/out"
facts=$repo/examples/facts-3nodes.json
"$cli" "$facts" -o "$work/expected.conf"

play gdeploy_config.yml -e "work=$work" -e "facts_file=$facts"

# The same through the command-line switches, as a person would run it.
dest=$work/out/cli.conf
cp "$work/expected.conf" "$dest"
sum=$(sha256sum < "$dest")
play gdeploy_write.yml -e "dest=$dest" -e "facts_file=$facts" -e vmstore_size=700GB --check --diff \
    > "$work/check.log"
grep -q '^+virtualsize=700GB$' "$work/check.log" || fail "--check --diff did not show the new size"
grep -q '^-virtualsize=500GB$' "$work/check.log" || fail "--check --diff did not show the old size"
grep -qE 'localhost +: ok=1 +changed=1 ' "$work/check.log" || fail "--check did not report a change"
[[ $(sha256sum < "$dest") == "$sum" ]] || fail "--check changed $dest"

play gdeploy_write.yml -e "dest=$dest" -e "facts_file=$facts" -e vmstore_size=700GB > "$work/run1.log"
grep -qE 'localhost +: ok=1 +changed=1 ' "$work/run1.log" || fail "the first run did not change $dest"
grep -q '^virtualsize=700GB$' "$dest" || fail "$dest lacks the new size"
play gdeploy_write.yml -e "dest=$dest" -e "facts_file=$facts" -e vmstore_size=700GB > "$work/run2.log"
grep -qE 'localhost +: ok=1 +changed=0 ' "$work/run2.log" || fail "the second run changed $dest"

leftovers=$(find "$work/out" -name '.*.tmp')
[[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"
echo "20-gdeploy-config: OK"
