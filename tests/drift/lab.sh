# Sourced, not run: a 3-node Gluster lab in network namespaces for the drift recording and the
# storage suites. Namespaces hvr0..hvr2 (10.233.0.10-12/24) on a bridge in hvrsw; each node a
# private mount + UTS + PID namespace with its own /run, /var/lib/glusterd,
# /var/log/glusterfs, /etc/hosts and a tmpfs on /gluster_bricks, and one glusterd.
#
#   hvr_up PLAN.json     start the nodes named in the plan (its first three nodes); the brick
#                        mount points of the plan's LVs are tmpfs mounts whose source is the
#                        LV's /dev/mapper name (no device-mapper here)
#   hvr_create PLAN.json create, set and start the plan's volumes (force: tmpfs bricks)
#   nx N CMD...          run CMD on node N;  g0 ARGS...  = gluster --mode=script ARGS on node 0
#   hvr_down             kill the nodes by PID, delete the namespaces and the scratch dir
# Only what hvr_up created is removed.

HVR_LAB=""
HVR_NODES=()
declare -a HVR_UNSHARE=() HVR_INIT=()

nx() { local node=$1; shift; nsenter -t "${HVR_INIT[$node]}" -m -u -n -p -- "$@"; }
g0() { nx 0 gluster --mode=script "$@"; }

hvr_down() {
    local pid i
    for pid in "${HVR_UNSHARE[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    for pid in "${HVR_UNSHARE[@]}"; do wait "$pid" 2>/dev/null || true; done
    for i in "${!HVR_NODES[@]}"; do ip netns del "hvr$i" 2>/dev/null || true; done
    ip netns del hvrsw 2>/dev/null || true
    [[ -n $HVR_LAB ]] && rm -rf "$HVR_LAB"
    HVR_UNSHARE=()
    HVR_LAB=""
}

hvr_up() {
    local plan=$1 i ns child lv mount_point
    mapfile -t HVR_NODES < <(jq -r '.nodes[:3][].name' "$plan")
    HVR_LAB=$(mktemp -d /tmp/hvr-gluster.XXXXXX)
    # The mount point must exist on the host for the namespaces to mount over it.
    mkdir -p /gluster_bricks
    ip netns add hvrsw
    ip -n hvrsw link set lo up
    ip -n hvrsw link add br0 type bridge
    ip -n hvrsw link set br0 up
    {
        echo "127.0.0.1 localhost"
        for i in "${!HVR_NODES[@]}"; do echo "10.233.0.1$i ${HVR_NODES[$i]}"; done
    } >"$HVR_LAB/hosts"
    for i in "${!HVR_NODES[@]}"; do
        ns=hvr$i
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        ip -n hvrsw link add "hvrs$i" type veth peer name eth0 netns "$ns"
        ip -n hvrsw link set "hvrs$i" master br0 up
        ip -n "$ns" addr add "10.233.0.1$i/24" dev eth0
        ip -n "$ns" link set eth0 up
        mkdir -p "$HVR_LAB/n$i/glusterd" "$HVR_LAB/n$i/log"
        cp -r /var/lib/glusterd/groups "$HVR_LAB/n$i/glusterd/"
        ip netns exec "$ns" unshare --mount --uts --pid --fork --kill-child --mount-proc \
            --propagation private -- bash -c 'while :; do sleep 3600; done' &
        HVR_UNSHARE[$i]=$!
    done
    for i in "${!HVR_NODES[@]}"; do
        child=""
        for _ in $(seq 50); do
            child=$(cat "/proc/${HVR_UNSHARE[$i]}/task/${HVR_UNSHARE[$i]}/children" 2>/dev/null || true)
            [[ -n $child ]] && break
            sleep 0.1
        done
        HVR_INIT[$i]=${child// /}
        nx "$i" hostname "${HVR_NODES[$i]}"
        nx "$i" mount -t tmpfs -o size=16m tmpfs /run
        nx "$i" mkdir -p /run/gluster /run/lock
        nx "$i" mount --bind "$HVR_LAB/n$i/glusterd" /var/lib/glusterd
        nx "$i" mount --bind "$HVR_LAB/n$i/log" /var/log/glusterfs
        nx "$i" mount --bind "$HVR_LAB/hosts" /etc/hosts
        nx "$i" mount -t tmpfs -o size=1m tmpfs /gluster_bricks
        jq -r --arg n "${HVR_NODES[$i]}" '.nodes[] | select(.name == $n) | .volume_groups[] as $vg
            | $vg.logical_volumes[]
            | "\($vg.name | gsub("-"; "--"))-\(.name | gsub("-"; "--")) \(.mount_point)"' "$plan" |
            while read -r lv mount_point; do
                nx "$i" mkdir -p "$mount_point"
                nx "$i" mount -t tmpfs -o size=4m "/dev/mapper/$lv" "$mount_point"
            done
        nx "$i" glusterd -p /run/gluster/glusterd.pid
    done
    for i in "${!HVR_NODES[@]}"; do
        for _ in $(seq 100); do
            nx "$i" gluster --mode=script peer status >/dev/null 2>&1 && break
            sleep 0.1
        done
    done
    for i in "${!HVR_NODES[@]}"; do
        ((i == 0)) || g0 peer probe "${HVR_NODES[$i]}" >/dev/null
    done
    for _ in $(seq 100); do
        [[ $(g0 peer status | grep -c 'Peer in Cluster (Connected)') == $((${#HVR_NODES[@]} - 1)) ]] && return 0
        sleep 0.2
    done
    echo "hvr_up: the peers did not connect" >&2
    return 1
}

hvr_create() {
    local plan=$1 volume name count arbiter key value
    local -a bricks args
    jq -c '.volumes[]' "$plan" | while read -r volume; do
        name=$(jq -r .name <<<"$volume")
        count=$(jq -r .replica.count <<<"$volume")
        arbiter=$(jq -r .replica.arbiter_count <<<"$volume")
        mapfile -t bricks < <(jq -r '.replica_sets[].bricks[] | "\(.node):\(.directory)"' <<<"$volume")
        args=(volume create "$name")
        if ((count > 1)); then args+=(replica "$count"); fi
        if ((arbiter > 0)); then args+=(arbiter "$arbiter"); fi
        g0 "${args[@]}" "${bricks[@]}" force >/dev/null
        jq -r '.options[] | "\(.name) \(.value)"' <<<"$volume" | while read -r key value; do
            g0 volume set "$name" "$key" "$value" >/dev/null
        done
        # glusterd has refused a start right after the create once ("Failed to find brick
        # directory" on a peer still applying the create); a second try a moment later works.
        g0 volume start "$name" >/dev/null || { sleep 2; g0 volume start "$name" >/dev/null; }
    done
}
