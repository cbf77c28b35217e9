#!/bin/bash
# Records real `gluster volume info --xml` and /proc/self/mountinfo output for the drift
# fixtures (hvp-core/tests/fixtures/drift/). Run as root on Debian 12 with glusterfs-server:
#
#   tests/drift/record-gluster.sh hvp-core/tests/fixtures/drift
#
# What it does: three network namespaces hvr0..hvr2 (10.233.0.10-12/24 on a bridge in the
# namespace hvrsw), one private mount + UTS + PID namespace per node with its own /run,
# /var/lib/glusterd, /var/log/glusterfs, /etc/hosts and a tmpfs on /gluster_bricks; one
# glusterd per node; the volumes of plan-3nodes.json created (with `force`: the bricks are
# directories on tmpfs mounts named like the planned LVs) and their options set in plan order.
# Recorded:
#   volume-info-empty.xml     before any volume exists
#   volume-info-planned.xml   exactly the plan
#   volume-info-drifted.xml   after: option network.ping-timeout reset on vmstoredomain,
#                             cluster.shd-max-threads set to 4 on enginedomain, a stray
#                             volume "scratch" created, ctdb stopped
#   mountinfo-nodeN.txt       each node's /proc/self/mountinfo (brick mounts are tmpfs whose
#                             source is the planned /dev/mapper/<vg>-<lv> name)
# Everything created is removed at the end, also on failure: the node processes are killed by
# PID (their PID namespaces die with them), the namespaces deleted, the scratch dir removed.
set -euo pipefail

OUT=$(realpath "${1:?usage: $0 OUTPUT_DIR}")
PLAN="$OUT/plan-3nodes.json"
LAB=$(mktemp -d /tmp/hvr-gluster.XXXXXX)
NODES=(node0.gluster.private node1.gluster.private node2.gluster.private)
declare -a UNSHARE_PIDS=() INIT_PIDS=()

cleanup() {
    set +e
    for pid in "${UNSHARE_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
    sleep 0.5
    for i in 0 1 2; do ip netns del "hvr$i" 2>/dev/null; done
    ip netns del hvrsw 2>/dev/null
    rm -rf "$LAB"
}
trap cleanup EXIT

nx() { local node=$1; shift; nsenter -t "${INIT_PIDS[$node]}" -m -u -n -p -- "$@"; }
g0() { nx 0 gluster --mode=script "$@"; }

# The mount point /gluster_bricks must exist on the host for the namespaces to mount over it.
mkdir -p /gluster_bricks

ip netns add hvrsw
ip -n hvrsw link set lo up
ip -n hvrsw link add br0 type bridge
ip -n hvrsw link set br0 up
{
    echo "127.0.0.1 localhost"
    for i in 0 1 2; do echo "10.233.0.1$i ${NODES[$i]}"; done
} >"$LAB/hosts"

for i in 0 1 2; do
    ns=hvr$i
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n hvrsw link add "hvrs$i" type veth peer name eth0 netns "$ns"
    ip -n hvrsw link set "hvrs$i" master br0 up
    ip -n "$ns" addr add "10.233.0.1$i/24" dev eth0
    ip -n "$ns" link set eth0 up
    mkdir -p "$LAB/n$i/glusterd" "$LAB/n$i/log"
    cp -r /var/lib/glusterd/groups "$LAB/n$i/glusterd/"
    ip netns exec "$ns" unshare --mount --uts --pid --fork --kill-child --mount-proc \
        --propagation private -- bash -c 'while :; do sleep 3600; done' &
    UNSHARE_PIDS[$i]=$!
done
for i in 0 1 2; do
    for _ in $(seq 50); do
        child=$(cat "/proc/${UNSHARE_PIDS[$i]}/task/${UNSHARE_PIDS[$i]}/children" 2>/dev/null || true)
        [ -n "$child" ] && break
        sleep 0.1
    done
    INIT_PIDS[$i]=${child// /}
    nx "$i" hostname "${NODES[$i]}"
    nx "$i" mount -t tmpfs -o size=16m tmpfs /run
    nx "$i" mkdir -p /run/gluster /run/lock
    nx "$i" mount --bind "$LAB/n$i/glusterd" /var/lib/glusterd
    nx "$i" mount --bind "$LAB/n$i/log" /var/log/glusterfs
    nx "$i" mount --bind "$LAB/hosts" /etc/hosts
    nx "$i" mount -t tmpfs -o size=1m tmpfs /gluster_bricks
    # One tmpfs per planned LV of this node, named like the LV's device-mapper node.
    jq -r --arg n "${NODES[$i]}" '.nodes[] | select(.name == $n) | .volume_groups[] as $vg
        | $vg.logical_volumes[]
        | "\($vg.name | gsub("-"; "--"))-\(.name | gsub("-"; "--")) \(.mount_point)"' "$PLAN" |
        while read -r lv mount_point; do
            nx "$i" mkdir -p "$mount_point"
            nx "$i" mount -t tmpfs -o size=4m "/dev/mapper/$lv" "$mount_point"
        done
    nx "$i" glusterd -p /run/gluster/glusterd.pid
done
for i in 0 1 2; do
    for _ in $(seq 100); do nx "$i" gluster --mode=script peer status >/dev/null 2>&1 && break; sleep 0.1; done
done

g0 volume info --xml >"$OUT/volume-info-empty.xml" || true
g0 peer probe "${NODES[1]}"
g0 peer probe "${NODES[2]}"
for _ in $(seq 100); do
    [ "$(g0 peer status | grep -c 'Peer in Cluster (Connected)')" = 2 ] && break
    sleep 0.2
done

# The plan's volumes, exactly as planned (bricks in set order, options in order).
jq -c '.volumes[]' "$PLAN" | while read -r volume; do
    name=$(jq -r .name <<<"$volume")
    count=$(jq -r .replica.count <<<"$volume")
    arbiter=$(jq -r .replica.arbiter_count <<<"$volume")
    mapfile -t bricks < <(jq -r '.replica_sets[].bricks[] | "\(.node):\(.directory)"' <<<"$volume")
    args=(volume create "$name")
    if [ "$count" -gt 1 ]; then args+=(replica "$count"); fi
    if [ "$arbiter" -gt 0 ]; then args+=(arbiter "$arbiter"); fi
    g0 "${args[@]}" "${bricks[@]}" force
    jq -r '.options[] | "\(.name) \(.value)"' <<<"$volume" | while read -r key value; do
        g0 volume set "$name" "$key" "$value"
    done
    g0 volume start "$name"
done
g0 volume info --xml >"$OUT/volume-info-planned.xml"
for i in 0 1 2; do nx "$i" cat /proc/self/mountinfo >"$OUT/mountinfo-node$i.txt"; done

# Drift: one option reset, one changed, a stray volume, a stopped volume.
g0 volume reset vmstoredomain network.ping-timeout
g0 volume set enginedomain cluster.shd-max-threads 4
nx 0 mkdir -p /gluster_bricks/scratch
g0 volume create scratch "${NODES[0]}:/gluster_bricks/scratch/brick" force
g0 volume stop ctdb
g0 volume info --xml >"$OUT/volume-info-drifted.xml"
echo "recorded into $OUT"
