# A NIC that carries the default route is refused (nothing touched) unless
# --allow-default-route; naming the other interfaces explicitly probes only those.
T=t30
responder $T mgmt 172.20.10.1/24 1500
responder $T mgmt 192.0.2.1/24 1500
responder $T lan 172.20.12.1/24 1500
nic $T eth0 mgmt
nic $T eth1 lan
node_ns $T
ip -n "$ND" addr add 192.0.2.2/24 dev eth0
ip -n "$ND" route add default via 192.0.2.1 dev eth0
echo "hvp_nodeid=0" >"$OUT/$T.cmdline"
BEFORE=$(state "$ND")
ROUTES_BEFORE=$(ip -n "$ND" route show)

probe $T --cmdline "$OUT/$T.cmdline"
check "$T: refused, exit 1" eq 1 "$PROBE_RC"
check "$T: the error names eth0, the default route and the way out" \
    grep -q "interface eth0 carries the default route.*--allow-default-route" "$OUT/$T.err"
check "$T: nothing printed on stdout when refused" eq "" "$(cat "$OUT/$T.json")"
check "$T: nothing touched when refused" eq "$BEFORE" "$(state "$ND")"

probe $T --cmdline "$OUT/$T.cmdline" eth1
check "$T: explicit eth1 only: exit 0" eq 0 "$PROBE_RC"
check "$T: explicit eth1 only: the document lists just eth1" \
    eq "eth1" "$(jq -r '[.nics[].name] | join(" ")' "$OUT/$T.json")"
check "$T: explicit eth1 only: eth1 reaches lan" eq lan "$(reaches $T eth1)"

probe $T --cmdline "$OUT/$T.cmdline" eth9
check "$T: an unknown interface is an error naming it" grep -q "interface eth9 does not exist" "$OUT/$T.err"

probe $T --cmdline "$OUT/$T.cmdline" --allow-default-route
check "$T: --allow-default-route: exit 0" eq 0 "$PROBE_RC"
check "$T: --allow-default-route: eth0 reaches mgmt" eq mgmt "$(reaches $T eth0)"
check "$T: --allow-default-route: addresses, MTU and link state back" eq "$BEFORE" "$(state "$ND")"
check "$T: --allow-default-route: the default route is still there" eq "$ROUTES_BEFORE" "$(ip -n "$ND" route show)"
