#!/bin/bash
# Records real `gluster volume info --xml` and /proc/self/mountinfo output for the drift
# fixtures (hvp-core/tests/fixtures/drift/). Run as root on Debian 12 with glusterfs-server:
#
#   tests/drift/record-gluster.sh hvp-core/tests/fixtures/drift
#
# Starts the 3-node lab of tests/drift/lab.sh (namespaces hvr*, 10.233.0.0/24) for the nodes of
# plan-3nodes.json and records:
#   volume-info-empty.xml     before any volume exists
#   volume-info-planned.xml   after creating the plan's volumes exactly (bricks in set order,
#                             options in plan order; `force`: bricks are directories on tmpfs)
#   volume-info-drifted.xml   after: option network.ping-timeout reset on vmstoredomain,
#                             cluster.shd-max-threads set to 4 on enginedomain, a stray
#                             volume "scratch" created, ctdb stopped
#   mountinfo-nodeN.txt       each node's /proc/self/mountinfo (brick mounts are tmpfs whose
#                             source is the planned /dev/mapper/<vg>-<lv> name)
# Everything created is removed at the end, also on failure.
set -euo pipefail

OUT=$(realpath "${1:?usage: $0 OUTPUT_DIR}")
PLAN="$OUT/plan-3nodes.json"
source "$(dirname "${BASH_SOURCE[0]}")/lab.sh"
trap hvr_down EXIT

hvr_up "$PLAN"
g0 volume info --xml >"$OUT/volume-info-empty.xml"
hvr_create "$PLAN"
g0 volume info --xml >"$OUT/volume-info-planned.xml"
for i in 0 1 2; do nx "$i" cat /proc/self/mountinfo >"$OUT/mountinfo-node$i.txt"; done

g0 volume reset vmstoredomain network.ping-timeout
g0 volume set enginedomain cluster.shd-max-threads 4
nx 0 mkdir -p /gluster_bricks/scratch
g0 volume create scratch "${HVR_NODES[0]}:/gluster_bricks/scratch/brick" force
g0 volume stop ctdb
g0 volume info --xml >"$OUT/volume-info-drifted.xml"
echo "recorded into $OUT"
