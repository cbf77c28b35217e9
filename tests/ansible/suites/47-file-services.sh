#!/usr/bin/env bash
# hvp_file_services through the storageservices role: writes the same bytes as the
# hvp-fileservices CLI, changed then not changed, --check writes nothing, --diff shows the
# change, the current ctdb nodes file keeps its order, bad input fails naming the variable and
# writes nothing.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

[[ -x library/hvp_file_services ]] || fail "library/hvp_file_services is missing: run make modules"
cli=${HVP_FILESERVICES:-target/x86_64-unknown-linux-gnu/release/hvp-fileservices}
[[ -x $cli ]] || fail "$cli is missing: run make modules (or set HVP_FILESERVICES)"

work=$(mktemp -d /tmp/hvp-fileservices.XXXXXX)
trap 'rm -rf "$work"' EXIT
example=$repo/examples/fileservices-3nodes.json
node=pinkiepie.gluster.private
jq .network "$example" > "$work/network.json"
jq .storage "$example" > "$work/storage.json"
"$cli" "$example" --out-dir "$work/expected" --node "$node" > /dev/null

run_role() {
    local root=$1
    shift
    ANSIBLE_ROLES_PATH=$repo/roles ansible-playbook -i "$repo/tests/ansible/inventories/fileservices.yml" \
        -e "ansible_python_interpreter=$python" -e "hvp_storageservices_root=$root" \
        -e "hvp_network_plan_path=$work/network.json" -e "hvp_storage_plan_path=$work/storage.json" \
        "$repo/tests/ansible/playbooks/file_services.yml" "$@"
}
summary() { grep -E "^$node +: " "$1"; }

run_role "$work/root" > "$work/run1.log" || { cat "$work/run1.log"; fail "the first run failed"; }
summary "$work/run1.log" | grep -qE 'changed=1 ' || fail "the first run did not report a change: $(summary "$work/run1.log")"
diff -r -x dns -x plan.json "$work/expected" "$work/root" || fail "the role wrote other bytes than hvp-fileservices"
[[ $(stat -c %a "$work/root/etc/samba/smb.conf") == 644 ]] || fail "smb.conf is not 0644"

run_role "$work/root" > "$work/run2.log"
summary "$work/run2.log" | grep -qE 'changed=0 ' || fail "the second run changed something: $(summary "$work/run2.log")"

# Check mode on an empty root: reports the change, writes nothing.
run_role "$work/check" --check > "$work/check.log"
summary "$work/check.log" | grep -qE 'changed=1 ' || fail "--check did not report a change"
[[ ! -e $work/check/etc ]] || fail "--check wrote into $work/check"

# Diff mode: moving the public addresses to lan only shows the removed mgmt lines.
sum=$(find "$work/root" -type f -exec sha256sum {} + | sort | sha256sum)
run_role "$work/root" --check --diff -e '{"hvp_storage_public_zones": ["lan"]}' > "$work/diff.log"
grep -q '^-172.20.10.30/24 ovirtmgmt$' "$work/diff.log" || fail "--diff did not show the removed mgmt address"
[[ $(find "$work/root" -type f -exec sha256sum {} + | sort | sha256sum) == "$sum" ]] || fail "--check --diff changed files"

# The current nodes file keeps its order; the missing member is appended.
printf '172.20.10.11\n172.20.10.10\n' > "$work/root/etc/ctdb/nodes"
run_role "$work/root" > "$work/reorder.log"
[[ $(cat "$work/root/etc/ctdb/nodes") == $'172.20.10.11\n172.20.10.10\n172.20.10.12' ]] ||
    fail "the nodes file was renumbered: $(cat "$work/root/etc/ctdb/nodes")"

# Bad input: a public zone the network plan lacks and an unknown export; nothing written.
if run_role "$work/bad" -e '{"hvp_storage_public_zones": ["internal"], "hvp_nfs_exports": ["blockshare"]}' > "$work/bad.log"; then
    fail "bad input did not fail"
fi
grep -q 'variable hvp_storage_public_zones: the internal zone is not in the network plan' "$work/bad.log" ||
    fail "the failure does not name hvp_storage_public_zones: $(grep -m3 -i error "$work/bad.log")"
grep -q 'variable hvp_nfs_exports: \\"blockshare\\" is not a volume kind' "$work/bad.log" ||
    fail "the failure does not name hvp_nfs_exports"
[[ ! -e $work/bad/etc ]] || fail "bad input wrote files"

leftovers=$(find "$work/root" -name '.*.tmp')
[[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"
echo "47-file-services: OK"
