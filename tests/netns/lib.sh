# Helpers for the hvp-netprobe namespace tests. Sourced by run.sh.
#
# Every object lives in network namespaces named "$PREFIX..." that this run creates; the host's
# own interfaces are never touched. cleanup (trap EXIT in run.sh) deletes exactly those.

PREFIX="hvpnp$$"
CREATED_NS=()
PASSED=0
FAILED=0

ns_add() {
    ip netns add "$1"
    CREATED_NS+=("$1")
    ip -n "$1" link set lo up
}

BG_PIDS=()

cleanup() {
    local ns pid
    for pid in "${BG_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for ns in "${CREATED_NS[@]}"; do
        ip netns del "$ns" 2>/dev/null || true
    done
}

# ns_exists NS: true when this run already created NS.
ns_exists() {
    local ns
    for ns in "${CREATED_NS[@]}"; do
        [[ "$ns" == "$1" ]] && return 0
    done
    return 1
}

# zone_switch TOPO ZONE: sets SW to ZONE's switch namespace, holding bridge br0 (MTU 9000, set
# explicitly so that ports with other MTUs do not lower it); creates it on first use.
zone_switch() {
    SW="${PREFIX}${1}s$2"
    if ! ns_exists "$SW"; then
        ns_add "$SW"
        ip -n "$SW" link add br0 type bridge
        ip -n "$SW" link set br0 mtu 9000 up
    fi
}

# node_ns TOPO: sets ND to the node namespace of TOPO; creates it on first use.
node_ns() {
    ND="${PREFIX}${1}n"
    if ! ns_exists "$ND"; then
        ns_add "$ND"
    fi
}

RESPONDERS=0

# responder TOPO ZONE ADDRESS/PREFIX MTU: a host answering pings at ADDRESS on ZONE's switch,
# with interface MTU MTU.
responder() {
    local topo=$1 zone=$2 cidr=$3 mtu=$4 ns port
    zone_switch "$topo" "$zone"
    RESPONDERS=$((RESPONDERS + 1))
    ns="${PREFIX}${topo}r${RESPONDERS}"
    port="resp${RESPONDERS}"
    ns_add "$ns"
    ip link add rsp0 netns "$ns" mtu "$mtu" type veth peer name "$port" netns "$SW" mtu "$mtu"
    ip -n "$SW" link set "$port" master br0 up
    ip -n "$ns" addr add "$cidr" dev rsp0
    ip -n "$ns" link set rsp0 up
}

# dhcp_server TOPO ZONE ADDRESS/PREFIX FIRST LAST: dnsmasq (DHCP only, no DNS) on ZONE's
# switch bridge, which gets ADDRESS, leasing FIRST..LAST. Stopped by cleanup (by its pid).
dhcp_server() {
    local topo=$1 zone=$2 cidr=$3 first=$4 last=$5
    zone_switch "$topo" "$zone"
    ip -n "$SW" addr add "$cidr" dev br0
    ip netns exec "$SW" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 \
        --interface=br0 --bind-interfaces --dhcp-range="$first,$last,2m" \
        --dhcp-leasefile="$OUT/$topo-$zone.leases" --pid-file="$OUT/$topo-$zone.pid" \
        --log-facility="$OUT/$topo-$zone.log" --log-dhcp &
    BG_PIDS+=("$!")
    # Wait until it listens on the DHCP port.
    local i
    for i in $(seq 50); do
        ip netns exec "$SW" ss -ulpn 2>/dev/null | grep -q ":67 " && return 0
        sleep 0.1
    done
    echo "dnsmasq did not start in $SW" >&2
    return 1
}

# nic TOPO NAME ZONE [PEER_MTU]: a veth NAME in the node namespace whose peer is a port of
# ZONE's switch. A ZONE without responder is a segment where nothing answers; PEER_MTU (default
# 9000) below a zone's MTU makes full-size frames of that zone die on the way, as on a switch
# without jumbo frames. The NIC is left up with MTU 1500.
nic() {
    local topo=$1 name=$2 zone=$3 peer_mtu=${4:-9000}
    zone_switch "$topo" "$zone"
    node_ns "$topo"
    ip link add "$name" netns "$ND" type veth peer name "p$name" netns "$SW"
    ip -n "$SW" link set "p$name" mtu "$peer_mtu" master br0 up
    ip -n "$ND" link set "$name" mtu 1500 up
}

# nic_unplugged TOPO NAME: a NIC whose cable is out (its peer stays down: no carrier).
nic_unplugged() {
    local topo=$1 name=$2
    zone_switch "$topo" unplugged
    node_ns "$topo"
    ip link add "$name" netns "$ND" type veth peer name "p$name" netns "$SW"
    ip -n "$ND" link set "$name" up
}

# state NS: the interfaces of NS as "name mtu up|down addresses..." lines (IPv6 link-local
# addresses, which the kernel manages, left out), for before/after comparisons.
state() {
    ip -n "$1" -json addr show | python3 -c '
import json, sys
for link in json.load(sys.stdin):
    up = "up" if "UP" in link["flags"] else "down"
    addrs = sorted(a["local"] + "/" + str(a["prefixlen"]) for a in link.get("addr_info", [])
                   if not (a["family"] == "inet6" and a.get("scope") == "link"))
    print(link["ifname"], link["mtu"], up, *addrs)
'
}

# probe TOPO ARGS...: runs hvp-netprobe in the node namespace with fast ping timing; stdout in
# $OUT/TOPO.json, stderr in $OUT/TOPO.err, exit code in $PROBE_RC.
probe() {
    local topo=$1
    shift
    PROBE_RC=0
    node_ns "$topo"
    ip netns exec "$ND" "$NETPROBE" --settle 0.1 --warmup 0 --count 2 --interval 0.2 --deadline 2 "$@" \
        >"$OUT/$topo.json" 2>"$OUT/$topo.err" || PROBE_RC=$?
}

# check NAME COMMAND...: one assertion.
check() {
    local name=$1
    shift
    if "$@"; then
        PASSED=$((PASSED + 1))
        echo "ok   - $name"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL - $name"
    fi
}

# reaches TOPO NIC: the NIC's "reaches" list as a comma-separated string.
reaches() {
    jq -r --arg n "$2" '.nics[] | select(.name == $n) | .reaches | join(",")' "$OUT/$1.json"
}

# eq EXPECTED ACTUAL: string equality, printing both on mismatch.
eq() {
    if [[ "$1" == "$2" ]]; then return 0; fi
    echo "     expected: $1" >&2
    echo "     actual:   $2" >&2
    return 1
}
