#!/usr/bin/env bash
# hvp_storage_teardown under ansible-playbook, for real: the Gluster side against three real
# glusterd (tests/labs/lab.sh through tests/labs/plan.sh; namespaces hvr* by default, tmpfs
# bricks) with the drift fixture plan's volumes, and
# the LVM side on a loop device of a sparse file carrying a planned PV and VG (LVs need
# device-mapper, absent here). Check mode lists and changes nothing; the run removes exactly
# the planned volumes (a stray volume stays), the VG, the PV and the disk signature; a second
# run has nothing to do (changed=false).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
export HVL_PREFIX=${HVL_PREFIX:-hvr} HVL_STORAGE_NET=${HVL_STORAGE_NET:-10.233.0} \
    HVL_PUBLIC_NET=${HVL_PUBLIC_NET:-10.234.0} HVL_BRICKS=${HVL_BRICKS:-tmpfs}
source "$repo/tests/labs/plan.sh"
[[ -x library/hvp_storage_teardown ]] || fail "library/hvp_storage_teardown is missing: run make modules"

work=$(mktemp -d /tmp/hvr-teardown.XXXXXX)
loop=""
cleanup() {
    lab down
    if [[ -n $loop ]]; then
        vgremove -y --devices "$loop" hvr_vg_teardown >/dev/null 2>&1 || true
        pvremove -y --devices "$loop" "$loop" >/dev/null 2>&1 || true
        losetup -d "$loop" || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
export LVM_SUPPRESS_FD_WARNINGS=1
fixture=$repo/hvp-core/tests/fixtures/drift/plan-3nodes.json

lab_fresh_up 3
plan_mounts "$fixture"
plan_create "$fixture"
lab nx 1 mkdir -p /gluster_bricks/stray
g1 volume create stray node0.gluster.private:/gluster_bricks/stray/brick force >/dev/null

# A plan whose node0 has one used disk, the loop device, with a PV and a VG on it.
truncate -s 1G "$work/disk.img"
loop=$(losetup -f --show "$work/disk.img")
disk=${loop#/dev/}
pvcreate -y --devices "$loop" "$loop" >/dev/null
vgcreate --devices "$loop" hvr_vg_teardown "$loop" >/dev/null
jq --arg disk "$disk" --arg pv "$loop" '
    .nodes[0].disks = [{"name": $disk, "size_bytes": 1073741824, "use": "data", "reason": null}]
  | .nodes[0].volume_groups = [{"name": "hvr_vg_teardown", "physical_volumes": [$pv],
                                "size_bytes": 1069547520, "thin_pools": [], "logical_volumes": []}]
  | .nodes[0].vdo_devices = []' "$fixture" >"$work/plan.json"

teardown() {
    local out=$1
    shift
    lab nx 1 ansible-playbook -i localhost, -c local -e "ansible_python_interpreter=$python" \
        -e "plan_file=$work/plan.json" -e node=node0.gluster.private -e "out=$out" \
        -e gluster=true -e lvm=true \
        "$repo/tests/ansible/playbooks/storage_teardown.yml" "$@" >"$out.log" ||
        { cat "$out.log" >&2; fail "ansible-playbook failed"; }
}

teardown "$work/check.json" --check
actions=$(jq -r '.operations[] | "\(.action) \(.object)"' "$work/check.json")
expected="stop_volume volume ctdb
delete_volume volume ctdb
stop_volume volume vmstoredomain
delete_volume volume vmstoredomain
stop_volume volume enginedomain
delete_volume volume enginedomain
remove_vg vg hvr_vg_teardown
remove_vg vg hvr_vg_teardown
remove_pv pv $loop
wipe_disk disk $disk"
[[ $actions == "$expected" ]] || fail "check mode listed: $actions; expected: $expected"
jq -e '.changed == true' "$work/check.json" >/dev/null || fail "check mode did not report a change"
[[ $(g1 volume list | sort | tr '\n' ' ') == "ctdb enginedomain stray vmstoredomain " ]] ||
    fail "check mode changed the volumes"
vgs --devices "$loop" hvr_vg_teardown >/dev/null 2>&1 || fail "check mode removed the VG"

teardown "$work/run.json"
jq -e '.changed == true' "$work/run.json" >/dev/null || fail "the teardown reported no change"
[[ $(g1 volume list) == "stray" ]] || fail "volumes left: $(g1 volume list | tr '\n' ' ') (only stray should stay)"
! vgs --devices "$loop" hvr_vg_teardown >/dev/null 2>&1 || fail "the VG is still there"
[[ -z $(pvs --devices "$loop" --noheadings 2>/dev/null) ]] || fail "the PV is still there"
[[ -z $(wipefs --noheadings "$loop") ]] || fail "signatures left on $loop"

teardown "$work/again.json"
jq -e '.changed == false and (.operations | length) == 0' "$work/again.json" >/dev/null ||
    fail "the second run was not a no-op: $(jq -c .operations "$work/again.json")"
echo "72-storage-teardown: OK"
