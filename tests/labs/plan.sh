# shellcheck shell=bash
# Sourced, not run: drives tests/labs/lab.sh (the one lab harness) for the scripts that need a
# small Gluster cluster shaped like a storage plan (tests/ansible/suites/70-*, 72-*,
# tests/drift/record-gluster.sh, tests/files/run.sh). Functions:
#
#   lab ARGS...            tests/labs/lab.sh ARGS... (up N, nx N CMD..., down, dir, logs, ...)
#   g1 ARGS...             gluster --mode=script ARGS on lab node 1 (node0.gluster.private)
#   lab_fresh_up N         take down a lab left by an earlier run with the same prefix, then up N
#   plan_mounts PLAN       on each lab node of the plan's first three nodes, mount a small tmpfs
#                          at every planned LV mount point, its source the LV's /dev/mapper
#                          name (no device-mapper here; the drift module reads mountinfo)
#   plan_create PLAN       create, set and start the plan's volumes from node 1 (`force`:
#                          the bricks are on tmpfs)
#
# Plan node i (0-based) is lab node i+1: the lab's hosts file names node N
# node(N-1).gluster.private, the names of the fixture plans. The caller chooses the lab with
# HVL_PREFIX / HVL_STORAGE_NET / HVL_PUBLIC_NET / HVL_BRICKS (docs/labs.md).

LABSH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.sh

lab() { "$LABSH" "$@"; }
g1() { lab nx 1 gluster --mode=script "$@"; }

lab_fresh_up() {
    if lab dir >/dev/null 2>&1; then
        echo "# a lab with prefix ${HVL_PREFIX:-hvl} from an earlier run is still up: taking it down first" >&2
        lab down
    fi
    lab up "$1"
}

plan_mounts() {
    local plan=$1 i name lv mount_point
    for i in 0 1 2; do
        name=$(jq -r --argjson i "$i" '.nodes[$i].name // empty' "$plan")
        [[ -n $name ]] || continue
        [[ $name == "node$i.gluster.private" ]] ||
            { echo "plan_mounts: plan node $i is '$name', the lab names it node$i.gluster.private" >&2; return 1; }
        jq -r --arg n "$name" '.nodes[] | select(.name == $n) | .volume_groups[] as $vg
            | $vg.logical_volumes[]
            | "\($vg.name | gsub("-"; "--"))-\(.name | gsub("-"; "--")) \(.mount_point)"' "$plan" |
            while read -r lv mount_point; do
                lab nx "$((i + 1))" mkdir -p "$mount_point"
                lab nx "$((i + 1))" mount -t tmpfs -o size=4m "/dev/mapper/$lv" "$mount_point"
            done
    done
}

plan_create() {
    local plan=$1 volume name count arbiter key value
    local -a bricks args pairs
    jq -c '.volumes[]' "$plan" | while read -r volume; do
        name=$(jq -r .name <<<"$volume")
        count=$(jq -r .replica.count <<<"$volume")
        arbiter=$(jq -r .replica.arbiter_count <<<"$volume")
        mapfile -t bricks < <(jq -r '.replica_sets[].bricks[] | "\(.node):\(.directory)"' <<<"$volume")
        args=(volume create "$name")
        if ((count > 1)); then args+=(replica "$count"); fi
        if ((arbiter > 0)); then args+=(arbiter "$arbiter"); fi
        g1 "${args[@]}" "${bricks[@]}" force >/dev/null
        # One `volume set` per run of plain options (one glusterd transaction instead of one per
        # option), one per `group`, in the plan's order: the same end state, as
        # glusterlab.py create-commands does it.
        pairs=()
        while read -r key value; do
            if [[ $key == group ]] && ((${#pairs[@]})); then
                g1 volume set "$name" "${pairs[@]}" >/dev/null
                pairs=()
            fi
            pairs+=("$key" "$value")
            if [[ $key == group ]]; then
                g1 volume set "$name" "${pairs[@]}" >/dev/null
                pairs=()
            fi
        done < <(jq -r '.options[] | "\(.name) \(.value)"' <<<"$volume")
        if ((${#pairs[@]})); then g1 volume set "$name" "${pairs[@]}" >/dev/null; fi
        # glusterd has refused a start right after the create once ("Failed to find brick
        # directory" on a peer still applying the create); a second try a moment later works.
        g1 volume start "$name" >/dev/null || { sleep 2; g1 volume start "$name" >/dev/null; }
    done
}
