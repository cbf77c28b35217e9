#!/bin/bash
# Records real `gluster volume info --xml` and /proc/self/mountinfo output for the drift
# fixtures (hvp-core/tests/fixtures/drift/). Run as root on Debian 12 with glusterfs-server:
#
#   tests/drift/record-gluster.sh hvp-core/tests/fixtures/drift
#
# Starts a 3-node lab of tests/labs/lab.sh (through tests/labs/plan.sh; namespaces hvr*,
# 10.233.0.0/24 and 10.234.0.0/24, tmpfs bricks, unless HVL_* say otherwise) for the nodes of
# plan-3nodes.json (plan node i = lab node i+1) and records:
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
export HVL_PREFIX=${HVL_PREFIX:-hvr} HVL_STORAGE_NET=${HVL_STORAGE_NET:-10.233.0} \
    HVL_PUBLIC_NET=${HVL_PUBLIC_NET:-10.234.0} HVL_BRICKS=${HVL_BRICKS:-tmpfs}
source "$(dirname "${BASH_SOURCE[0]}")/../labs/plan.sh"
trap 'lab down' EXIT

lab_fresh_up 3
plan_mounts "$PLAN"
g1 volume info --xml >"$OUT/volume-info-empty.xml"
plan_create "$PLAN"
g1 volume info --xml >"$OUT/volume-info-planned.xml"
for i in 0 1 2; do lab nx "$((i + 1))" cat /proc/self/mountinfo >"$OUT/mountinfo-node$i.txt"; done

g1 volume reset vmstoredomain network.ping-timeout
g1 volume set enginedomain cluster.shd-max-threads 4
lab nx 1 mkdir -p /gluster_bricks/scratch
g1 volume create scratch "node0.gluster.private:/gluster_bricks/scratch/brick" force
g1 volume stop ctdb
g1 volume info --xml >"$OUT/volume-info-drifted.xml"
echo "recorded into $OUT"
