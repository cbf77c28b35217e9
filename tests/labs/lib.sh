# Shared by the lab suites (sourced by run.sh, not run). The lab is up when a suite starts;
# suites talk to nodes only through `lab nx N …` / `lab cx …`.
# shellcheck shell=bash

LABS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LABS/../.." && pwd)
LABSH=$LABS/lab.sh
GLAB=$LABS/glusterlab.py

PASSED=${PASSED:-0}
FAILED=${FAILED:-0}
SKIPPED=${SKIPPED:-0}

lab() { "$LABSH" "$@"; }
g1() { lab nx 1 gluster --mode=script "$@"; }

pass() {
    PASSED=$((PASSED + 1))
    echo "ok   $*"
}
failed() {
    FAILED=$((FAILED + 1))
    echo "FAIL $*"
}
skip() {
    SKIPPED=$((SKIPPED + 1))
    echo "SKIP $*"
}

# check DESCRIPTION CMD...: one assertion; the command's output is shown on failure.
check() {
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then
        pass "$what"
    else
        failed "$what"
        echo "$out" | sed 's/^/     /' | tail -n 40
    fi
}

# poll DESCRIPTION SECONDS CMD...: like check, but retries CMD until the deadline.
poll() {
    local what=$1 seconds=$2 out
    shift 2
    local start=$SECONDS deadline=$((SECONDS + seconds))
    while :; do
        if out=$("$@" 2>&1); then
            pass "$what ($((SECONDS - start)) s)"
            return 0
        fi
        if ((SECONDS >= deadline)); then
            failed "$what (not within ${seconds} s)"
            echo "$out" | sed 's/^/     /' | tail -n 40
            return 1
        fi
        sleep 0.5
    done
}

LAB_DIR=$(lab dir)

# The lab's hosts file (node names -> lab node numbers) for glusterlab.py.
HOSTS=$LAB_DIR/hosts
# Option groups as node 1's glusterd knows them (for `group X` options).
GROUPS_DIR=$LAB_DIR/n1/var/lib/glusterd/groups

# info_xml FILE [VOLUME]: `gluster volume info --xml` as node 1 sees it.
info_xml() { g1 volume info "${2:-all}" --xml >"$1"; }

# bricks_online VOLUME COUNT: COUNT bricks of VOLUME report Online Y.
bricks_online() {
    local got
    got=$(g1 volume status "$1" detail | grep -cE '^Online +: Y' || true)
    [[ $got -eq $2 ]] || { echo "$1: $got bricks online, want $2"; return 1; }
}

# all_bricks_online COUNT: COUNT bricks of started volumes report Online Y.
all_bricks_online() {
    local got
    got=$(g1 volume status all detail | grep -cE '^Online +: Y' || true)
    [[ $got -eq $1 ]] || { echo "$got bricks online, want $1"; return 1; }
}

# volume_online VOLUME BRICKS: BRICKS bricks of VOLUME online, and every self-heal daemon that
# `volume status` lists for it. A volume just started has its brick and self-heal processes
# still coming up on some peers; an add-brick committed then failed once on such a peer
# ("Commit failed on node4") on a loaded machine.
volume_online() {
    g1 volume status "$1" --xml | python3 -c '
import sys, xml.etree.ElementTree as ET
nodes = ET.parse(sys.stdin).getroot().findall(".//volume/node")
bricks = sum(1 for n in nodes if n.findtext("path", "").startswith("/") and n.findtext("status") == "1")
down = [n.findtext("hostname") + ":" + n.findtext("path", "") for n in nodes if n.findtext("status") != "1"]
print(f"{bricks} bricks online (want {sys.argv[1]}), not online: {down}")
sys.exit(0 if bricks == int(sys.argv[1]) and not down else 1)' "$2"
}

# pool_knows_volumes N: nodes 2..N list the volumes node 1 lists. A peer just probed is
# "Connected" before it has taken the volumes over; an add-brick with one of its bricks is then
# refused in pre-validation ("Unable to find volume" in that peer's glusterd log).
pool_knows_volumes() {
    local n want got
    want=$(g1 volume list 2>&1 | sort)
    for n in $(seq 2 "$1"); do
        got=$(lab nx "$n" gluster --mode=script volume list 2>&1 | sort)
        [[ $got == "$want" ]] || { echo "node $n lists: $(tr '\n' ' ' <<<"$got")"; return 1; }
    done
}

# make_brick_dirs PLAN: mkdir -p every planned brick directory on its lab node (one command
# per node: a plan has up to ~160 bricks, and entering a node costs ~0.1 s).
make_brick_dirs() {
    local n dir
    local -A dirs=()
    while read -r n dir; do
        dirs[$n]+=" $dir"
    done < <(python3 "$GLAB" brick-dirs "$1" "$HOSTS")
    for n in "${!dirs[@]}"; do
        # shellcheck disable=SC2086 # a brick path has no blanks (the gluster CLI splits on them)
        lab nx "$n" mkdir -p ${dirs[$n]}
    done
}

# delete_all_volumes: stop and delete every volume, then empty every node's /gluster_bricks
# (a directory that was a brick keeps Gluster's xattrs and cannot be reused as is).
delete_all_volumes() {
    local v n
    for v in $(g1 volume list 2>&1 | grep -v '^No volumes' || true); do
        g1 volume stop "$v" force >/dev/null 2>&1 || true
        g1 volume delete "$v" >/dev/null
    done
    for n in $(seq 1 "$(cat "$LAB_DIR/nodes")"); do
        lab nx "$n" find /gluster_bricks -mindepth 1 -maxdepth 1 -exec rm -rf {} +
    done
}

# reset_volumes: the same end state as delete_all_volumes, in seconds instead of minutes:
# `lab.sh reset` (every Gluster process of every node killed, the volumes forgotten, the bricks
# emptied, glusterd restarted with the same pool). glusterd's `volume stop` waits one second
# per brick on each node in turn (measured: 16 s for a 24-brick volume on 3 nodes), so deleting
# a balanced plan's volumes one by one costs 60-90 s. For cleanup between plans only: what is
# under test (the plans' commands, hvp-teardown's stop/delete lines) still goes through glusterd.
reset_volumes() {
    lab reset >/dev/null
}

no_volumes() {
    local out
    out=$(g1 volume list 2>&1)
    grep -qx 'No volumes present in cluster' <<<"$out" || { echo "volumes left: $out"; return 1; }
}

# The CLI under test (built by run.sh).
GEN=${HVP_GDEPLOY_GEN:-$REPO/target/debug/hvp-gdeploy-gen}

# gen_supports ARGS...: whether this build of hvp-gdeploy-gen knows the given options (it
# refuses unknown ones with clap's "unexpected argument").
gen_supports() {
    local out
    out=$("$GEN" "$@" 2>&1 >/dev/null) && return 0
    ! grep -qE "unexpected argument|invalid value|isn't a valid value" <<<"$out"
}
