#!/usr/bin/env bash
# Builds the shape of a deployed HVP node inside network namespace $1 (which must exist and
# belong to the caller): ovirtmgmt bridge over eth0, gluster on eth1 (with a secondary address
# in the internal network), a lan bridge over eth2, eth3 and eth4 both in 172.20.14.0/24, eth5
# without address. Only links inside $1 (and their veth peers, parked in $1 too) are created.
set -euo pipefail
ns=$1
nsip() { ip -n "$ns" "$@"; }
nsip link set lo up
for i in 0 1 2 3 4 5; do
    nsip link add "eth$i" type veth peer name "peer$i"
    nsip link set "peer$i" up
done
nsip link add ovirtmgmt type bridge
nsip link add lan type bridge
nsip link set eth0 master ovirtmgmt
nsip link set eth2 master lan
for link in eth0 eth1 eth2 eth3 eth4 eth5 ovirtmgmt lan; do nsip link set "$link" up; done
nsip addr add 172.20.10.10/24 dev ovirtmgmt
nsip addr add 172.20.11.10/24 dev eth1
nsip addr add 172.20.13.10/24 dev eth1
nsip addr add 172.20.12.10/24 dev lan
nsip addr add 172.20.14.5/24 dev eth3
nsip addr add 172.20.14.6/24 dev eth4
nsip route add default via 172.20.10.1 dev ovirtmgmt
