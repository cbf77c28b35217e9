# Installer role: a DHCP server (dnsmasq) on the external segment. eth1 and eth2 both reach it,
# eth0 is on mgmt (no DHCP), eth3 reaches nothing, eth4 has no carrier. DHCP is tried in NIC
# order until the first lease (eth1); eth2 is never tried, as in the original. Nothing is
# configured by the DHCP client, no client process is left behind, every NIC is as before.
T=t50
dhcp_server $T external 192.0.2.1/24 192.0.2.50 192.0.2.60
nic $T eth0 mgmt
nic $T eth1 external
nic $T eth2 external
nic $T eth3 nowhere
nic_unplugged $T eth4
node_ns $T
ip -n "$ND" addr add 198.51.100.50/24 dev eth1
echo "ro quiet hvp_gluster_mtu=9000" >"$OUT/$T.cmdline"
printf 'nameserver 192.0.2.53\n' >"$OUT/$T.resolv"
BEFORE=$(state "$ND")
# 8 s per NIC: eth0 (no server) always waits it out; a lease on eth1 takes well under a second
# on an idle machine, but 3 s were seen to pass on a loaded one (eth1 then gave up, eth2 got it).
DHCP_WAIT=8

probe $T --role installer --cmdline "$OUT/$T.cmdline" --resolv-conf "$OUT/$T.resolv" --dhcp-timeout "$DHCP_WAIT"
check "$T: probe exits 0" eq 0 "$PROBE_RC"
check "$T: role installer, no node index, nameservers from resolv.conf" \
    eq "installer null 192.0.2.53" "$(jq -r '"\(.role) \(.node_index) \(.nameservers | join(","))"' "$OUT/$T.json")"
check "$T: dhcp per NIC: only eth1 (first lease; eth2 never tried)" \
    eq "eth0=false eth1=true eth2=false eth3=false eth4=false lo=false" \
    "$(jq -r '[.nics[] | "\(.name)=\(.dhcp)"] | join(" ")' "$OUT/$T.json")"
check "$T: no reaches on the installer" eq "0" "$(jq '[.nics[] | select(has("reaches"))] | length' "$OUT/$T.json")"
check "$T: the server leased an address to eth1" \
    grep -qi "DHCPACK(br0) 192.0.2.[0-9]* $(ip netns exec "$ND" cat /sys/class/net/eth1/address)" "$OUT/$T-external.log"
check "$T: no process left in the node namespace" eq "" "$(ip netns pids "$ND")"
check "$T: every NIC has its MTU, link state and addresses back" eq "$BEFORE" "$(state "$ND")"

probe $T --role installer --cmdline "$OUT/$T.cmdline" --resolv-conf "$OUT/$T.resolv" --dhcp-timeout "$DHCP_WAIT" --plan --format json
check "$T --plan: exits 0" eq 0 "$PROBE_RC"
check "$T --plan: external=eth1, mgmt=eth0, gluster=eth2, lan=eth3" \
    eq "eth1 eth0 eth2 eth3" \
    "$(jq -r '"\(.zones.external.device) \(.zones.mgmt.device) \(.zones.gluster.device) \(.zones.lan.device)"' "$OUT/$T.json")"

# SIGTERM while dhclient waits on a segment without server: the client is stopped too.
ip netns exec "$ND" "$NETPROBE" --role installer --cmdline "$OUT/$T.cmdline" --dhcp-timeout 30 eth3 \
    >"$OUT/$T.json" 2>"$OUT/$T.err" &
pid=$!
for i in $(seq 100); do
    [[ -n "$(ip netns pids "$ND")" ]] && [[ $(ip netns pids "$ND" | wc -l) -ge 2 ]] && break
    sleep 0.1
done
sleep 0.5
rc=0
kill -TERM "$pid"
wait "$pid" || rc=$?
sleep 0.2
check "$T: SIGTERM during DHCP: exit 143" eq 143 "$rc"
check "$T: SIGTERM during DHCP: no dhclient left in the node namespace" eq "" "$(ip netns pids "$ND")"
check "$T: SIGTERM during DHCP: every NIC as before" eq "$BEFORE" "$(state "$ND")"
