# SIGTERM and SIGINT in the middle of a probe: the NIC being probed gets its MTU and
# addresses back before the probe exits with 128 + the signal.
T=t40
responder $T gluster 172.20.11.1/24 9000
nic $T eth0 gluster
node_ns $T
ip -n "$ND" addr add 198.51.100.40/24 dev eth0
echo "hvp_gluster_mtu=9000" >"$OUT/$T.cmdline"
BEFORE=$(state "$ND")

# interrupt SIGNAL: starts a slow probe (compat order: gluster first), waits for its
# temporary address, sends SIGNAL.
interrupt() {
    local signal=$1 pid rc=0 i
    ip netns exec "$ND" "$NETPROBE" --compat --cmdline "$OUT/$T.cmdline" --settle 30 \
        >"$OUT/$T.json" 2>"$OUT/$T.err" &
    pid=$!
    for i in $(seq 100); do
        ip -n "$ND" addr show dev eth0 | grep -q "172.20.11.10/24" && break
        sleep 0.1
    done
    DURING=$(state "$ND")
    echo "$DURING" >"$OUT/$T.during"
    kill -s "$signal" "$pid"
    wait "$pid" || rc=$?
    INTERRUPTED_RC=$rc
}

interrupt TERM
check "$T: while probing, eth0 had MTU 9000 and the temporary address" \
    grep -q "^eth0 9000 up .*172.20.11.10/24" <<<"$DURING"
check "$T: SIGTERM: exit 143" eq 143 "$INTERRUPTED_RC"
check "$T: SIGTERM: eth0 restored" eq "$BEFORE" "$(state "$ND")"
check "$T: SIGTERM: the restore is reported" grep -q "interrupted; eth0 restored" "$OUT/$T.err"

interrupt INT
check "$T: SIGINT: exit 130" eq 130 "$INTERRUPTED_RC"
check "$T: SIGINT: eth0 restored" eq "$BEFORE" "$(state "$ND")"
