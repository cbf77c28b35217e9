# One NIC per zone, jumbo frames on gluster (one gluster NIC behind a 1500-byte switch port),
# a NIC that reaches nothing and a NIC without carrier, a NIC that already has its own zone
# address. The node's state must come back.
T=t10
responder $T mgmt 172.20.10.1/24 1500
responder $T gluster 172.20.11.1/24 9000
responder $T lan 172.20.12.1/24 1500
responder $T internal 172.20.13.1/24 1500
nic $T eth0 mgmt
nic $T eth1 gluster
nic $T eth2 gluster 1500
nic $T eth3 lan
nic $T eth4 internal
nic $T eth5 nowhere
nic_unplugged $T eth6
node_ns $T
ip -n "$ND" addr add 198.51.100.7/24 dev eth3
# eth3 already has this node's own lan address (index 1): used as is, and kept.
ip -n "$ND" addr add 172.20.12.11/24 dev eth3
ip -n "$ND" link set eth4 mtu 1400
echo "hvp_nodeid=1 hvp_gluster_mtu=9000 ro quiet" >"$OUT/$T.cmdline"
BEFORE=$(state "$ND")

probe $T --cmdline "$OUT/$T.cmdline" --node-index 1
check "$T: probe exits 0" eq 0 "$PROBE_RC"
check "$T: role and node index (--node-index)" eq "node 1" "$(jq -r '"\(.role) \(.node_index)"' "$OUT/$T.json")"
check "$T: parameters from the command line" \
    eq '{"hvp_gluster_mtu":"9000","hvp_nodeid":"1"}' "$(jq -c .parameters "$OUT/$T.json")"
check "$T: raw listing includes lo" eq "eth0 eth1 eth2 eth3 eth4 eth5 eth6 lo" \
    "$(jq -r '[.nics[].name] | join(" ")' "$OUT/$T.json")"
check "$T: eth0 reaches mgmt" eq mgmt "$(reaches $T eth0)"
check "$T: eth1 reaches gluster with MTU 9000" eq gluster "$(reaches $T eth1)"
check "$T: eth2 (1500-byte path) does not reach gluster at 9000" eq "" "$(reaches $T eth2)"
check "$T: eth3 reaches lan (with the address it already had)" eq lan "$(reaches $T eth3)"
check "$T: eth4 reaches internal" eq internal "$(reaches $T eth4)"
check "$T: eth5 reaches nothing" eq "" "$(reaches $T eth5)"
check "$T: eth6 has no carrier" eq "false" "$(jq -r '.nics[] | select(.name=="eth6") | .carrier' "$OUT/$T.json")"
check "$T: eth0 has carrier, its MAC and max_mtu" eq "true $(ip netns exec "$ND" cat /sys/class/net/eth0/address) 65535" \
    "$(jq -r '.nics[] | select(.name=="eth0") | "\(.carrier) \(.mac) \(.max_mtu)"' "$OUT/$T.json")"
check "$T: every NIC has its MTU, link state and addresses back" eq "$BEFORE" "$(state "$ND")"
check "$T: lo is listed without a maximum MTU (ip reports 0: no limit)" \
    eq "null" "$(jq -r '.nics[] | select(.name=="lo") | .max_mtu' "$OUT/$T.json")"
