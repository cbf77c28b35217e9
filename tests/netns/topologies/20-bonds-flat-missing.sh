# Two NICs on mgmt and two on lan (bond candidates), a NIC on a flat segment where both the
# mgmt and the lan test addresses answer, no gluster or internal segment at all (missing
# zones), a custom mgmt network and node index from the command line; then --plan.
T=t20
responder $T mgmt 10.1.0.1/16 1500
responder $T lan 172.20.12.1/24 1500
responder $T flat 10.1.0.1/16 1500
responder $T flat 172.20.12.1/24 1500
nic $T eth0 mgmt
nic $T eth1 mgmt
nic $T eth2 lan
nic $T eth3 lan
nic $T eth4 flat
node_ns $T
ip -n "$ND" addr add 198.51.100.9/24 dev eth2
ip -n "$ND" link set eth3 mtu 1400
echo "hvp_mgmt=10.1.0.0/16 hvp_nodeid=2" >"$OUT/$T.cmdline"
BEFORE=$(state "$ND")

probe $T --cmdline "$OUT/$T.cmdline"
check "$T: probe exits 0" eq 0 "$PROBE_RC"
check "$T: eth0 and eth1 reach mgmt at 10.1.0.1" eq "mgmt mgmt" "$(reaches $T eth0) $(reaches $T eth1)"
check "$T: eth2 and eth3 reach lan" eq "lan lan" "$(reaches $T eth2) $(reaches $T eth3)"
check "$T: eth4 on the flat segment reaches both, in probe order" eq "mgmt,lan" "$(reaches $T eth4)"
check "$T: nothing reaches the missing gluster and internal zones" \
    eq "" "$(jq -r '[.nics[].reaches[] | select(. == "gluster" or . == "internal")] | join(",")' "$OUT/$T.json")"
check "$T: the mgmt temporary address was 10.1.0.12/16 (node index 2)" grep -q "mgmt reached (10.1.0.1 answered 10.1.0.12/16" "$OUT/$T.err"
check "$T: every NIC has its MTU, link state and addresses back" eq "$BEFORE" "$(state "$ND")"

cp "$OUT/$T.cmdline" "$OUT/${T}p.cmdline"
probe $T --cmdline "$OUT/$T.cmdline" --plan --format json
cp "$OUT/$T.json" "$OUT/${T}-plan.json"
check "$T --plan: exits 0" eq 0 "$PROBE_RC"
check "$T --plan: mgmt is a bond of eth0, eth1 and the flat eth4 (mgmt first in default order)" \
    eq "eth0,eth1,eth4" "$(jq -r '.zones.mgmt.slaves | join(",")' "$OUT/${T}-plan.json")"
check "$T --plan: lan is a bond of eth2 and eth3" \
    eq "eth2,eth3" "$(jq -r '.zones.lan.slaves | join(",")' "$OUT/${T}-plan.json")"
check "$T --plan: node address on mgmt" eq "10.1.0.12" "$(jq -r '.zones.mgmt.address' "$OUT/${T}-plan.json")"

probe $T --cmdline "$OUT/$T.cmdline" --plan --compat
check "$T --plan --compat: exits 0" eq 0 "$PROBE_RC"
check "$T --plan --compat: the flat eth4 joins lan (lan before mgmt in the original order)" \
    grep -q -- "--device=bond[0-9] --bondslaves=eth2,eth3,eth4 " "$OUT/$T.json"
check "$T: after three probes every NIC is as before" eq "$BEFORE" "$(state "$ND")"
