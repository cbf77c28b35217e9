#!/usr/bin/env bash
# The hvp lab: real glusterd (and, for the file-services suite, ctdbd, smbd, ganesha.nfsd) on
# 3 to 6 "nodes" on one machine. A node is a network namespace plus a private mount, UTS and
# PID namespace, with its own /run, /var/lib/glusterd, /var/log, /etc/{ctdb,samba,ganesha},
# hosts and passwd files and one loop-file XFS mounted at /gluster_bricks. The recipe and its
# measurements: docs/labs.md.
#
#   lab.sh up [N]         create the lab with N nodes (1..6, default 3), glusterd on each,
#                         peers probed; on a running lab with fewer nodes, add nodes up to N
#   lab.sh down           stop everything the lab started (by PID), detach its loop devices,
#                         delete its namespaces and state (idempotent)
#   lab.sh status         nodes, their init PIDs, the Gluster pool as node 1 sees it
#   lab.sh nx N CMD...    run CMD on node N (all its namespaces)
#   lab.sh cx CMD...      run CMD in the client namespace (10.231.0.50, 10.232.0.50)
#   lab.sh kill-node N    crash node N: cut its links, SIGKILL its whole PID namespace
#   lab.sh revive-node N  bring node N back (new namespaces, same state and XFS, glusterd)
#   lab.sh pool N         make the Gluster pool exactly nodes 1..N (detach, probe, connected)
#   lab.sh reset          kill every Gluster process, forget every volume, empty the bricks,
#                         restart glusterd: the same pool with no volume (seconds)
#   lab.sh logs [LINES]   print the tail of every log of every node
#   lab.sh dir            print the lab's state directory
#   lab.sh pid N          print node N's PID 1 (nsenter -t PID -m -u -n -p runs a command there)
#
# Root only. Names (defaults): namespaces hvlsw (switch: br0 storage 10.231.0.0/24, br1 public
# 10.232.0.0/24), hvln1..hvln6 (node N: 10.231.0.1N, 10.232.0.1N) and hvlcl (client: .50).
# Node N answers to nN and node(N-1).gluster.private (the facts documents' names).
# State: a mktemp -d directory (under $HVL_STATE_BASE, else /dev/shm if it has room, else /tmp)
# recorded in $HVL_POINTER (default /run/PREFIX-lab.path).
# Environment (defaults in brackets; several labs with different prefixes can run at once):
#   HVL_PREFIX [hvl]              names of the namespaces (PREFIXsw, PREFIXnN, PREFIXcl)
#   HVL_STORAGE_NET [10.231.0]    first three bytes of the storage /24 (eth0)
#   HVL_PUBLIC_NET [10.232.0]     first three bytes of the public /24 (eth1)
#   HVL_BRICKS [xfs]              /gluster_bricks of a node: xfs (sparse loop-file XFS) or
#                                 tmpfs (no loop device; bricks then need `force`)
#   HVL_BRICKS_SIZE [1G]          size of that filesystem
#   HVL_KEEP=1                    keep the state directory (logs) on down
set -euo pipefail

PREFIX=${HVL_PREFIX:-hvl}
[[ $PREFIX =~ ^[a-z][a-z0-9]{0,5}$ ]] || { echo "lab: HVL_PREFIX must be 1-6 lower-case letters/digits, got '$PREFIX'" >&2; exit 1; }
POINTER=${HVL_POINTER:-/run/$PREFIX-lab.path}
# Shared by every lab (all prefixes): host directories a lab made and could not remove yet.
HANDOFF=/run/hvlab-host-dirs
SW=${PREFIX}sw
CL=${PREFIX}cl
MAX_NODES=6
STORAGE_NET=${HVL_STORAGE_NET:-10.231.0}
PUBLIC_NET=${HVL_PUBLIC_NET:-10.232.0}
BRICKS=${HVL_BRICKS:-xfs}
BRICKS_SIZE=${HVL_BRICKS_SIZE:-1G}
[[ $BRICKS == xfs || $BRICKS == tmpfs ]] || { echo "lab: HVL_BRICKS must be xfs or tmpfs, got '$BRICKS'" >&2; exit 1; }

die() { echo "lab: $*" >&2; exit 1; }
say() { echo "lab: $*" >&2; }

node_name() { echo "node$(($1 - 1)).gluster.private"; }
node_ns() { echo "${PREFIX}n$1"; }

lab_dir() {
    [[ -f $POINTER ]] || return 1
    local dir
    dir=$(<"$POINTER")
    [[ -d $dir ]] || return 1
    echo "$dir"
}

need_lab() {
    LAB=$(lab_dir) || die "no lab is up (no $POINTER): run 'lab.sh up' first"
}

node_count() { cat "$LAB/nodes" 2>/dev/null || echo 0; }

# Every node that has state, also one whose bring-up failed half-way (for down).
created_nodes() {
    local d
    for d in "$LAB"/n[0-9]*; do
        [[ -d $d ]] && echo "${d##*/n}"
    done
}

# wait_for DESCRIPTION SECONDS CMD...: polls CMD until it succeeds or the deadline passes.
wait_for() {
    local what=$1 seconds=$2
    shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            say "timed out after ${seconds}s waiting for: $what"
            return 1
        fi
        sleep 0.2
    done
}

# The PID 1 of node N: recorded by start_init, checked to be alive and still unshare's child.
node_init() {
    local upid pid1 ppid
    upid=$(cat "$LAB/n$1/unshare.pid" 2>/dev/null) || return 1
    pid1=$(cat "$LAB/n$1/init.pid" 2>/dev/null) || return 1
    ppid=$(awk '{print $4}' "/proc/$pid1/stat" 2>/dev/null) || return 1
    [[ $ppid == "$upid" ]] || return 1
    echo "$pid1"
}

# unshare's child (the node's PID 1), once it exists.
first_child() {
    local upid=$1 pid1
    pid1=$(cat "/proc/$upid/task/$upid/children" 2>/dev/null) || return 1
    pid1=${pid1%% *}
    [[ -n $pid1 ]] || return 1
    echo "$pid1"
}

nx() {
    local n=$1 pid1
    shift
    pid1=$(node_init "$n") || die "node $n is not running"
    nsenter -t "$pid1" -m -u -n -p -- "$@"
}

cx() { ip netns exec "$CL" "$@"; }

# ---- prerequisites -------------------------------------------------------------------------

# Prints why the lab cannot run here, or nothing. Exit status 0 = can run.
check_prerequisites() {
    local why=()
    [[ $(id -u) -eq 0 ]] || why+=("not root")
    [[ $BRICKS == tmpfs ]] || grep -qw xfs /proc/filesystems || why+=("no XFS in /proc/filesystems")
    grep -qw fuse /proc/filesystems || why+=("no FUSE in /proc/filesystems")
    [[ -c /dev/fuse ]] || why+=("no /dev/fuse")
    [[ $BRICKS == tmpfs || -e /dev/loop-control ]] || why+=("no /dev/loop-control (loop devices)")
    local tool
    for tool in ip nsenter unshare losetup mkfs.xfs glusterd gluster python3; do
        command -v "$tool" >/dev/null || why+=("$tool missing (make deps)")
    done
    if [[ $(id -u) -eq 0 ]] && command -v ip >/dev/null; then
        local probe=${PREFIX}probe$$
        if ip netns add "$probe" 2>/dev/null; then
            ip netns del "$probe"
        else
            why+=("cannot create network namespaces")
        fi
    fi
    if ((${#why[@]})); then
        local IFS=';'
        echo "${why[*]}"
        return 1
    fi
}

# ---- bring-up ------------------------------------------------------------------------------

write_hosts() {
    {
        echo "127.0.0.1 localhost"
        local n
        for n in $(seq 1 $MAX_NODES); do
            echo "$STORAGE_NET.1$n n$n $(node_name "$n")"
        done
        echo "$STORAGE_NET.50 client"
    } >"$LAB/hosts"
}

# Private copies of passwd/group/shadow with the lab's SMB user (same uid on every node).
write_accounts() {
    cp /etc/passwd "$LAB/passwd"
    cp /etc/group "$LAB/group"
    cp /etc/shadow "$LAB/shadow"
    chmod 0640 "$LAB/shadow"
    grep -q '^labuser:' "$LAB/passwd" || {
        echo 'labuser:x:2001:2001:hvp lab user:/nonexistent:/usr/sbin/nologin' >>"$LAB/passwd"
        echo 'labuser:x:2001:' >>"$LAB/group"
        echo 'labuser:!:20000:0:99999:7:::' >>"$LAB/shadow"
    }
}

create_switch() {
    ip netns add "$SW"
    echo "$SW" >>"$LAB/namespaces"
    ip -n "$SW" link set lo up
    ip -n "$SW" link add br0 type bridge
    ip -n "$SW" link add br1 type bridge
    ip -n "$SW" link set br0 up
    ip -n "$SW" link set br1 up
}

# attach NS SUFFIX HOSTBYTE: two veths from the switch into NS, eth0 storage and eth1 public.
attach() {
    local ns=$1 s=$2 host=$3
    ip -n "$SW" link add "s${s}a" type veth peer name eth0 netns "$ns"
    ip -n "$SW" link add "s${s}b" type veth peer name eth1 netns "$ns"
    ip -n "$SW" link set "s${s}a" master br0 up
    ip -n "$SW" link set "s${s}b" master br1 up
    ip -n "$ns" addr add "$STORAGE_NET.$host/24" dev eth0
    ip -n "$ns" addr add "$PUBLIC_NET.$host/24" dev eth1
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set eth1 up
}

create_client() {
    ip netns add "$CL"
    echo "$CL" >>"$LAB/namespaces"
    ip -n "$CL" link set lo up
    attach "$CL" c 50
}

# Host directories the node mounts need as mount points; removed on down only if we made them.
host_dir() {
    if [[ ! -d $1 ]]; then
        mkdir "$1"
        echo "$1" >>"$LAB/host-dirs"
    fi
}

# State of node N: directories bind-mounted over the node's own paths.
NODE_BINDS=(var/lib/glusterd var/log etc/ctdb var/lib/ctdb etc/samba var/lib/samba
    var/cache/samba etc/ganesha var/lib/nfs)

prepare_node_state() {
    local n=$1 d=$LAB/n$1
    mkdir -p "$d"
    local b
    for b in "${NODE_BINDS[@]}"; do mkdir -p "$d/$b"; done
    cp -a /var/lib/glusterd/groups "$d/var/lib/glusterd/"
    cp -a /etc/ctdb/. "$d/etc/ctdb/"
    mkdir -p "$d/var/log/glusterfs" "$d/var/log/ctdb" "$d/var/log/samba" "$d/var/log/ganesha" \
        "$d/var/lib/samba/private" "$d/var/lib/nfs/ganesha" "$d/var/lib/ctdb/volatile" \
        "$d/var/lib/ctdb/persistent" "$d/var/lib/ctdb/state"
    [[ $BRICKS == xfs ]] || return 0
    truncate -s "$BRICKS_SIZE" "$d/brick.img"
    local loop
    loop=$(losetup -f --show "$d/brick.img")
    echo "$loop" >"$d/loop"
    mkfs.xfs -q -f -i size=512 "$loop"
}

start_init() {
    local n=$1 d=$LAB/n$1
    # `ip netns exec` execs unshare, so $! is unshare's PID; --kill-child takes the node's PID 1
    # (and with it the whole PID namespace) down when unshare dies.
    # (no command substitution in the background command: its subshell would fork for it, and
    # that child would pass for the node's PID 1)
    local ns
    ns=$(node_ns "$n")
    setsid ip netns exec "$ns" unshare --mount --uts --pid --fork --kill-child \
        --mount-proc --propagation private -- bash -c 'trap "" TERM; while :; do sleep 3600; done' \
        </dev/null >>"$d/init.log" 2>&1 &
    local upid=$!
    echo "$upid" >"$d/unshare.pid"
    echo "$upid" >>"$LAB/pids"
    wait_for "node $n's PID 1" 10 first_child "$upid" || die "node $n did not start (see $d/init.log)"
    first_child "$upid" >"$d/init.pid"
}

# Mounts inside node N; the XFS mount is retried while a dying namespace still holds it.
setup_node_mounts() {
    local n=$1 d=$LAB/n$1 loop
    loop=$(cat "$d/loop" 2>/dev/null || true)
    nx "$n" bash -euc '
        d=$1 n=$2 loop=$3
        shift 3
        hostname "n$n"
        mount -t tmpfs -o mode=0755,size=64m tmpfs /run
        mkdir -p /run/lock /run/gluster /run/ctdb /run/samba /run/ganesha
        for b in "$@"; do mount --bind "$d/$b" "/$b"; done
        for f in hosts passwd group shadow; do mount --bind "$d/../$f" "/etc/$f"; done
        mount -t tmpfs -o size=1m tmpfs /gluster
        mkdir -p /gluster/lock
    ' _ "$d" "$n" "$loop" "${NODE_BINDS[@]}"
    if [[ $BRICKS == tmpfs ]]; then
        nx "$n" mount -t tmpfs -o "size=$BRICKS_SIZE" tmpfs /gluster_bricks
        return 0
    fi
    wait_for "node $n's XFS ($loop) to mount at /gluster_bricks" 20 \
        nx "$n" mount -t xfs -o inode64,noatime "$loop" /gluster_bricks ||
        die "node $n: cannot mount its XFS"
}

glusterd_answers() { nx "$1" gluster --mode=script pool list; }

start_glusterd() {
    local n=$1
    nx "$n" glusterd -p /run/gluster/glusterd.pid
    wait_for "glusterd on node $n to answer the CLI" 30 glusterd_answers "$n" ||
        die "glusterd on node $n does not answer (log: $LAB/n$n/var/log/glusterfs/glusterd.log)"
}

peers_connected() {
    local want=$1 got
    got=$(nx 1 gluster --mode=script peer status | grep -c 'State: Peer in Cluster (Connected)' || true)
    [[ $got -eq $want ]]
}

add_nodes() {
    local from=$1 to=$2 n
    for n in $(seq "$from" "$to"); do
        ip netns add "$(node_ns "$n")"
        echo "$(node_ns "$n")" >>"$LAB/namespaces"
        ip -n "$(node_ns "$n")" link set lo up
        attach "$(node_ns "$n")" "$n" "1$n"
        prepare_node_state "$n"
        start_init "$n"
        setup_node_mounts "$n"
    done
    for n in $(seq "$from" "$to"); do start_glusterd "$n"; done
    echo "$to" >"$LAB/nodes"
    # Every node up to N, also one an earlier `pool` detached (a probe of a peer is a no-op).
    for n in $(seq 2 "$to"); do
        nx 1 gluster --mode=script peer probe "$(node_name "$n")" >/dev/null
    done
    wait_all_peers "$to"
}

# wait_all_peers N: every one of nodes 1..N sees N-1 connected peers (before volume operations
# are sent to node 1).
wait_all_peers() {
    local to=$1 n
    wait_for "$((to - 1)) peers connected as node 1 sees them" 60 peers_connected "$((to - 1))" ||
        die "peers did not connect: $(nx 1 gluster --mode=script peer status 2>&1 | tr '\n' ' ')"
    for n in $(seq 2 "$to"); do
        wait_for "node $n to see $((to - 1)) connected peers" 60 \
            bash -c "[[ \$(\"$0\" nx $n gluster --mode=script peer status | grep -c 'Peer in Cluster (Connected)') -eq $((to - 1)) ]]" ||
            die "node $n does not see every peer connected"
    done
}

# Where the state directory goes: $HVL_STATE_BASE, else /dev/shm when it has 2 GiB free
# (glusterd fsyncs its store on every volume set: on tmpfs that costs nothing), else /tmp.
state_base() {
    if [[ -n ${HVL_STATE_BASE:-} ]]; then
        echo "$HVL_STATE_BASE"
    elif [[ $(df --output=avail -B1M /dev/shm 2>/dev/null | tail -1) -ge 2048 ]] 2>/dev/null; then
        echo /dev/shm
    else
        echo /tmp
    fi
}

cmd_up() {
    local want=${1:-3}
    [[ $want =~ ^[1-6]$ ]] || die "up: N must be 1..6, got '$want'"
    local why
    why=$(check_prerequisites) || die "cannot run here: $why"
    if LAB=$(lab_dir); then
        local have
        have=$(node_count)
        if ((want <= have)); then
            say "lab already up with $have nodes ($LAB)"
            return 0
        fi
        say "growing the lab from $have to $want nodes"
        add_nodes "$((have + 1))" "$want"
        return 0
    fi
    LAB=$(mktemp -d "$(state_base)/$PREFIX-lab.XXXXXX")
    echo "$LAB" >"$POINTER"
    : >"$LAB/pids"
    : >"$LAB/namespaces"
    : >"$LAB/host-dirs"
    echo 0 >"$LAB/nodes"
    write_hosts
    write_accounts
    host_dir /gluster_bricks
    host_dir /gluster
    create_switch
    create_client
    add_nodes 1 "$want"
    say "up: $want nodes in $LAB"
}

# ---- reset ------------------------------------------------------------------------------------

# The Gluster processes of node N (glusterd, bricks, self-heal daemons, FUSE clients: command
# glusterd/glusterfsd/glusterfs), SIGKILLed by their PIDs in the node's own PID namespace (only
# the lab starts processes there); waits until they are gone.
kill_node_gluster() {
    nx "$1" bash -c '
        gluster_pids() {
            local f c
            for f in /proc/[0-9]*/comm; do
                c=$(cat "$f" 2>/dev/null) || continue
                [[ $c == glusterd || $c == glusterfsd || $c == glusterfs ]] || continue
                f=${f%/comm}; [[ $(cut -d" " -f3 "$f/stat" 2>/dev/null) != Z ]] && echo "${f#/proc/}"
            done
            true
        }
        for _ in $(seq 100); do
            pids=$(gluster_pids)
            [[ -z $pids ]] && exit 0
            kill -9 $pids 2>/dev/null
            sleep 0.1
        done
        echo "still running: $pids" >&2; exit 1'
}

# reset: every node's Gluster processes (glusterd, bricks, self-heal daemons, clients) killed,
# the volumes forgotten (vols/, the shd volfiles, the pid files), /gluster_bricks emptied,
# glusterd restarted on the same peers/: the pool as it was, with no volume. Seconds, where
# stopping and deleting big volumes through glusterd takes minutes (one second per brick).
cmd_reset() {
    need_lab
    local n count members pids=()
    count=$(node_count)
    # The pool is nodes 1..members (as `up` and `pool` make it): the same pool afterwards.
    members=$(nx 1 gluster --mode=script pool list | awk 'NR > 1' | wc -l)
    ((members >= 1 && members <= count)) || die "reset: node 1 sees a pool of $members, the lab has $count nodes"
    # The nodes in parallel: each costs a few process starts, seconds on a loaded machine.
    for n in $(seq 1 "$count"); do
        (
            kill_node_gluster "$n" || die "reset: node $n: Gluster processes left"
            nx "$n" bash -euc '
                shopt -s nullglob
                rm -rf /var/lib/glusterd/vols/* /var/lib/glusterd/snaps/* /var/lib/glusterd/glustershd/* \
                    /run/gluster/*
                mountpoint -q /gluster/lock && umount -l /gluster/lock
                find /gluster_bricks -mindepth 1 -maxdepth 1 -exec rm -rf {} +
                glusterd -p /run/gluster/glusterd.pid'
        ) &
        pids+=($!)
    done
    for n in "${pids[@]}"; do wait "$n" || die "reset failed (see above)"; done
    for n in $(seq 1 "$count"); do
        wait_for "glusterd on node $n to answer the CLI" 30 glusterd_answers "$n" ||
            die "glusterd on node $n does not answer (log: $LAB/n$n/var/log/glusterfs/glusterd.log)"
    done
    wait_all_peers "$members"
    say "reset: $count nodes, a pool of $members, no volume"
}

# pool N: the Gluster pool is exactly nodes 1..N of the lab (which has at least N): nodes above N
# detached (they must hold no brick: after `reset`), missing ones probed, every peer connected.
# Every peer takes part in every volume transaction, bricks or not, so a plan of N nodes runs
# fastest on a pool of N.
cmd_pool() {
    need_lab
    local want=${1:?pool N} n name peers
    [[ $want =~ ^[1-6]$ ]] && ((want <= $(node_count))) || die "pool: N must be 1..$(node_count), got '$want'"
    peers=$(nx 1 gluster --mode=script pool list | awk 'NR > 1 {print $2}')
    for n in $(seq "$((want + 1))" "$(node_count)"); do
        name=$(node_name "$n")
        if grep -qx "$name" <<<"$peers"; then
            nx 1 gluster --mode=script peer detach "$name" >/dev/null || die "pool: cannot detach $name"
        fi
    done
    for n in $(seq 2 "$want"); do
        grep -qx "$(node_name "$n")" <<<"$peers" ||
            nx 1 gluster --mode=script peer probe "$(node_name "$n")" >/dev/null
    done
    wait_all_peers "$want"
}

# ---- failure and repair --------------------------------------------------------------------

# Kills the recorded unshare PID of node N and waits until it and the node's PID 1 are gone.
kill_init() {
    local n=$1 d=$LAB/n$1 upid pid1
    upid=$(cat "$d/unshare.pid" 2>/dev/null) || return 0
    pid1=$(node_init "$n" 2>/dev/null || cat "$d/init.pid" 2>/dev/null || true)
    kill -9 "$upid" 2>/dev/null || true
    # The PID-1 may have been re-parented; kill it too (by the PID we read, in our namespace).
    [[ -n $pid1 ]] && kill -9 "$pid1" 2>/dev/null || true
    wait_for "node $n's init ($upid) to exit" 20 bash -c "! kill -0 $upid 2>/dev/null" || true
    [[ -n $pid1 ]] && { wait_for "node $n's PID 1 ($pid1) to exit" 20 bash -c "! kill -0 $pid1 2>/dev/null" || true; }
    rm -f "$d/unshare.pid" "$d/init.pid"
}

cmd_kill_node() {
    need_lab
    local n=${1:?kill-node N}
    ((n >= 1 && n <= $(node_count))) || die "kill-node: no node $n"
    ip -n "$SW" link set "s${n}a" down
    ip -n "$SW" link set "s${n}b" down
    kill_init "$n"
    # Public addresses CTDB had added stay on eth1 (the netns outlives the node): back to static.
    ip -n "$(node_ns "$n")" addr flush dev eth1
    ip -n "$(node_ns "$n")" addr add "$PUBLIC_NET.1$n/24" dev eth1
    say "node $n killed"
}

cmd_revive_node() {
    need_lab
    local n=${1:?revive-node N}
    ((n >= 1 && n <= $(node_count))) || die "revive-node: no node $n"
    [[ -f $LAB/n$n/unshare.pid ]] && die "revive-node: node $n is running"
    start_init "$n"
    setup_node_mounts "$n"
    ip -n "$SW" link set "s${n}a" up
    ip -n "$SW" link set "s${n}b" up
    start_glusterd "$n"
    say "node $n revived"
}

# ---- teardown ------------------------------------------------------------------------------

ns_inode() { stat -L -c %i "/run/netns/$1" 2>/dev/null; }

# The lab's network namespaces (exactly PREFIXsw, PREFIXcl, PREFIXn1..6: never another
# lab's whose prefix merely starts like ours).
lab_namespaces() {
    local n
    echo "/run/netns/$SW" "/run/netns/$CL"
    for n in $(seq 1 $MAX_NODES); do echo "/run/netns/$(node_ns "$n")"; done
}

# mounted_elsewhere DIR: some process (in any mount namespace) has a mount on DIR. rmdir of
# such a directory would detach that mount in the other namespace (another lab's bricks).
mounted_elsewhere() {
    grep -qsF " $1 " /proc/[0-9]*/mountinfo 2>/dev/null
}

# PIDs of every process living in one of the lab's network namespaces.
lab_pids() {
    local ns inodes=()
    for ns in $(lab_namespaces); do
        [[ -e $ns ]] && inodes+=("$(stat -L -c %i "$ns")")
    done
    ((${#inodes[@]})) || return 0
    local pattern
    pattern=$(printf '%s|' "${inodes[@]}")
    find /proc -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%h %l\n' 2>/dev/null |
        grep -E "net:\[(${pattern%|})\]\$" | cut -d/ -f3
}

no_lab_pids() { [[ -z $(lab_pids) ]]; }

# loop_is LOOP FILE: LOOP is attached to FILE (also after FILE was deleted).
loop_is() {
    local back
    back=$(losetup -n -O BACK-FILE "$1" 2>/dev/null) || return 1
    [[ ${back% (deleted)} == "$2" ]]
}

detach_loop() {
    loop_is "$1" "$2" || return 0
    losetup -d "$1" 2>/dev/null || true
    ! loop_is "$1" "$2"
}

# The host directories this lab made, and those an earlier lab made but had to leave because
# another lab's node still had a mount on them (an rmdir would detach that mount in the other
# lab's namespace): each is removed once no lab mounts it, else handed on in $HANDOFF to the
# next lab's down (of any prefix), so the last lab down removes it.
remove_host_dirs() {
    local dirs=() keep=() dir
    [[ -n $LAB && -f $LAB/host-dirs ]] && mapfile -t dirs <"$LAB/host-dirs"
    # Serialised between labs by a lock on the directory holding $HANDOFF (no lock file left).
    exec 9<"$(dirname "$HANDOFF")"
    flock 9
    [[ -f $HANDOFF ]] && mapfile -t -O "${#dirs[@]}" dirs <"$HANDOFF"
    while read -r dir; do
        [[ -n $dir && -d $dir ]] || continue
        if mounted_elsewhere "$dir"; then
            say "down: $dir is a mount point of another lab's node, left for that lab's down"
            keep+=("$dir")
        else
            rmdir "$dir" 2>/dev/null || say "down: $dir not empty, left in place"
        fi
    done < <(printf '%s\n' "${dirs[@]}" | sort -u)
    if ((${#keep[@]})); then
        printf '%s\n' "${keep[@]}" >"$HANDOFF"
    else
        rm -f "$HANDOFF"
    fi
    flock -u 9
    exec 9>&-
}

cmd_down() {
    LAB=$(lab_dir) || LAB=
    local n ns
    if [[ -n $LAB ]]; then
        for n in $(created_nodes); do kill_init "$n"; done
    fi
    # Processes of a dead PID namespace take a moment to exit; wait for them. Then the safety
    # net, still by PID: whatever still lives in one of the lab's network namespaces (only the
    # lab starts processes there) gets SIGKILL.
    if ! wait_for "the lab's processes to exit" 10 no_lab_pids; then
        local victims
        victims=$(lab_pids)
        say "down: killing leftover lab processes: $(echo $victims)"
        # shellcheck disable=SC2086
        kill -9 $victims 2>/dev/null || true
        wait_for "leftover lab processes to exit" 10 no_lab_pids || say "down: still running: $(echo $(lab_pids))"
    fi
    if [[ -n $LAB ]]; then
        for n in $(created_nodes); do
            local loop
            loop=$(cat "$LAB/n$n/loop" 2>/dev/null) || continue
            # Detach only while it still is our image (never someone else's loop device). A
            # mount namespace that just lost its last process may hold the XFS a moment longer.
            if loop_is "$loop" "$LAB/n$n/brick.img"; then
                wait_for "loop device $loop to detach" 20 detach_loop "$loop" "$LAB/n$n/brick.img" ||
                    say "down: could not detach $loop ($LAB/n$n/brick.img)"
            fi
        done
    fi
    for ns in $(lab_namespaces); do
        [[ -e $ns ]] || continue
        ip netns del "$(basename "$ns")" || say "down: could not delete namespace $(basename "$ns")"
    done
    remove_host_dirs
    if [[ -n $LAB ]]; then
        if [[ -n ${HVL_KEEP:-} ]]; then
            say "down: state kept in $LAB"
        else
            rm -rf "$LAB"
        fi
    fi
    rm -f "$POINTER"
}

# ---- inspection ----------------------------------------------------------------------------

cmd_status() {
    need_lab
    echo "lab $LAB, $(node_count) nodes"
    local n
    for n in $(seq 1 "$(node_count)"); do
        local pid1
        if pid1=$(node_init "$n" 2>/dev/null); then
            echo "  n$n $(node_name "$n") $STORAGE_NET.1$n init $pid1 bricks $(cat "$LAB/n$n/loop" 2>/dev/null || echo tmpfs)"
        else
            echo "  n$n $(node_name "$n") DOWN"
        fi
    done
    nx 1 gluster --mode=script pool list 2>&1 | sed 's/^/  /' || true
}

cmd_logs() {
    need_lab
    local lines=${1:-40} f
    while read -r f; do
        echo "==== ${f#"$LAB"/} (last $lines lines)"
        tail -n "$lines" "$f"
    done < <(find "$LAB" -path '*/var/log/*' -type f -size +0 | sort)
}

main() {
    local cmd=${1:-}
    shift || true
    case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    nx)
        need_lab
        nx "$@"
        ;;
    cx) cx "$@" ;;
    kill-node) cmd_kill_node "$@" ;;
    revive-node) cmd_revive_node "$@" ;;
    reset) cmd_reset ;;
    pool) cmd_pool "$@" ;;
    logs) cmd_logs "$@" ;;
    dir)
        need_lab
        echo "$LAB"
        ;;
    pid)
        need_lab
        node_init "${1:?pid N}" || die "node $1 is not running"
        ;;
    check) check_prerequisites ;;
    *) die "usage: lab.sh up [N] | down | status | nx N CMD... | cx CMD... | kill-node N | revive-node N | reset | pool N | logs [LINES] | dir | check" ;;
    esac
}

main "$@"
