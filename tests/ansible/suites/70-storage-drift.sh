#!/usr/bin/env bash
# hvp_storage_drift under ansible-playbook against real glusterd: three nodes of the lab
# (tests/labs/lab.sh through tests/labs/plan.sh; namespaces hvr* by default, tmpfs bricks), the
# volumes of the drift fixture plan created exactly as planned; ansible-playbook runs inside
# node0's namespaces (lab node 1: its own glusterd and brick mounts). Checks: no Gluster drift
# when the cluster is as planned (LVM: the planned VG does not exist on this machine, and that
# is reported), the same in check mode with
# changed=0; after deleting an option, changing one, stopping a volume and adding a stray
# volume, exactly those four differences are reported. Finally the add-brick form of the
# expansion commands is accepted by glusterd on an arbiter volume.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
export HVL_PREFIX=${HVL_PREFIX:-hvr} HVL_STORAGE_NET=${HVL_STORAGE_NET:-10.233.0} \
    HVL_PUBLIC_NET=${HVL_PUBLIC_NET:-10.234.0} HVL_BRICKS=${HVL_BRICKS:-tmpfs}
source "$repo/tests/labs/plan.sh"
[[ -x library/hvp_storage_drift ]] || fail "library/hvp_storage_drift is missing: run make modules"
command -v glusterd >/dev/null || fail "glusterd is missing: run scripts/install-deps.sh"

work=$(mktemp -d /tmp/hvr-drift.XXXXXX)
trap 'lab down; [[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT
plan=$repo/hvp-core/tests/fixtures/drift/plan-3nodes.json

lab_fresh_up 3
plan_mounts "$plan"
plan_create "$plan"

drift() {
    local out=$1
    shift
    lab nx 1 ansible-playbook -i localhost, -c local -e "ansible_python_interpreter=$python" \
        -e "plan_file=$plan" -e node=node0.gluster.private -e "out=$out" \
        "$repo/tests/ansible/playbooks/storage_drift.yml" "$@" >"$out.log" ||
        { cat "$out.log" >&2; fail "ansible-playbook failed"; }
}

# Gluster differences as "kind object" lines, LVM ones apart.
gluster_lines() { jq -r '.drift[] | select(.node == null) | "\(.kind) \(.object)"' "$1"; }

drift "$work/planned.json"
[[ -z $(gluster_lines "$work/planned.json") ]] ||
    fail "drift reported on the cluster created as planned: $(gluster_lines "$work/planned.json")"
jq -e '.drift[] | select(.node == "node0.gluster.private" and .kind == "vg_missing" and .object == "vg gluster_vg_sdb")' \
    "$work/planned.json" >/dev/null || fail "the missing VG gluster_vg_sdb was not reported"
jq -e '.changed == false and (.ansible_facts.hvp_storage_drift | length) == (.drift | length)' \
    "$work/planned.json" >/dev/null || fail "the result or the fact is wrong"

drift "$work/check.json" --check
jq -e '.changed == false' "$work/check.json" >/dev/null || fail "check mode reported a change"
diff <(jq .drift "$work/planned.json") <(jq .drift "$work/check.json") >/dev/null ||
    fail "check mode reported something else"

g1 volume reset vmstoredomain network.ping-timeout >/dev/null
g1 volume set enginedomain cluster.shd-max-threads 4 >/dev/null
g1 volume stop ctdb >/dev/null
lab nx 1 mkdir -p /gluster_bricks/stray
g1 volume create stray node0.gluster.private:/gluster_bricks/stray/brick force >/dev/null
drift "$work/drifted.json"
expected="option_value volume enginedomain option cluster.shd-max-threads
option_missing volume vmstoredomain option network.ping-timeout
volume_not_started volume ctdb
volume_unknown volume stray"
actual=$(gluster_lines "$work/drifted.json")
[[ $actual == "$expected" ]] || fail "drift reported: $actual; expected: $expected"
jq -e '.drift_lines[] | select(. == "volume vmstoredomain option network.ping-timeout: expected 10, found not set (fix: gluster volume set vmstoredomain network.ping-timeout 10)")' \
    "$work/drifted.json" >/dev/null || fail "the drift line of the deleted option is not as documented"
# The add-brick form of the expansion commands (no replica/arbiter keywords: the counts do not
# change) on an arbiter volume: one more set, its last brick the arbiter; fix-layout starts.
for i in 1 2 3; do lab nx "$i" mkdir -p /gluster_bricks/vmstoredomain/b9; done
g1 volume add-brick vmstoredomain node1.gluster.private:/gluster_bricks/vmstoredomain/b9/brick \
    node2.gluster.private:/gluster_bricks/vmstoredomain/b9/brick \
    node0.gluster.private:/gluster_bricks/vmstoredomain/b9/brick >/dev/null ||
    fail "add-brick without count keywords was refused"
g1 volume rebalance vmstoredomain fix-layout start >/dev/null || fail "rebalance fix-layout did not start"
info=$(g1 volume info vmstoredomain --xml)
grep -q '<brickCount>12</brickCount>' <<<"$info" || fail "the volume does not have 4 sets"
grep -q '<arbiterCount>1</arbiterCount>' <<<"$info" || fail "the arbiter count changed"
grep -q 'node0.gluster.private:/gluster_bricks/vmstoredomain/b9/brick</name><hostUuid>[^<]*</hostUuid><isArbiter>1<' <<<"$info" ||
    fail "the last brick of the new set is not the arbiter"
echo "70-storage-drift: OK"
