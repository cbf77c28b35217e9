#!/usr/bin/env bash
# Real-daemon checks of every file the file services generate, for every example input:
#   * smb.conf:     `testparm -s` loads it with no unknown, ignored or deprecated parameter;
#   * ctdb.conf:    `ctdb-config validate` (CTDB's own checker, in its test mode) accepts it;
#   * units:        `systemd-analyze verify` accepts the lock mount and CTDB's drop-in;
#   * ganesha.conf: ganesha.nfsd starts on it against real Gluster volumes named like the
#                   exports (a one-node lab of tests/labs/lab.sh: glusterd in namespaces,
#                   tmpfs bricks), parses it, exports every volume, reaches NFS SERVER
#                   INITIALIZED with no CONFIG error, and serves each export to an NFSv4
#                   client (nfs-ls).
# Needs root, glusterfs-server, samba, ctdb, nfs-ganesha-gluster, libnfs-utils (make deps).
# The lab's namespaces are hvfsw, hvfcl, hvfn1 (storage 10.239.0.0/24) unless HVL_PREFIX,
# HVL_STORAGE_NET, HVL_PUBLIC_NET say otherwise (docs/labs.md); the lab and a temporary
# directory are removed on exit. Ganesha runs on lab node 1, in its PID namespace.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export HVL_PREFIX=${HVL_PREFIX:-hvf} HVL_STORAGE_NET=${HVL_STORAGE_NET:-10.239.0} \
    HVL_PUBLIC_NET=${HVL_PUBLIC_NET:-10.240.0} HVL_BRICKS=${HVL_BRICKS:-tmpfs}
# Lab node 1's storage address.
ADDR=$HVL_STORAGE_NET.11

if [[ "${1:-}" == "--inside" ]]; then
    # Inner half: run on lab node 1 (lab.sh nx 1), where glusterd runs. Everything started here
    # dies with the node's PID namespace at the latest (lab.sh down).
    OUT=$2
    PASSED=0 FAILED=0
    ok() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
    bad() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
    # Every volume any generated ganesha.conf exports.
    mapfile -t volumes < <(grep -h 'Volume = ' "$OUT"/gen/*/*/etc/ganesha/ganesha.conf | sed 's/.*"\(.*\)".*/\1/' | sort -u)
    for volume in "${volumes[@]}"; do
        mkdir -p "/gluster_bricks/$volume"
        gluster --mode=script volume create "$volume" "$ADDR:/gluster_bricks/$volume" force >/dev/null
        gluster --mode=script volume start "$volume" >/dev/null
    done
    echo "# gluster volumes: ${volumes[*]}"
    # One run per distinct ganesha.conf.
    declare -A seen=()
    for conf in "$OUT"/gen/*/*/etc/ganesha/ganesha.conf; do
        sum=$(sha256sum "$conf" | cut -d' ' -f1)
        [[ -n "${seen[$sum]:-}" ]] && continue
        seen[$sum]=1
        name=${conf#"$OUT/gen/"}
        log="$OUT/ganesha-${sum:0:12}.log"
        ganesha.nfsd -F -f "$conf" -L "$log" -p /run/ganesha/ganesha.pid &
        pid=$!
        for _ in $(seq 300); do
            grep -q 'NFS SERVER INITIALIZED' "$log" 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if grep -q 'NFS SERVER INITIALIZED' "$log" 2>/dev/null; then ok "ganesha.nfsd started on $name"; else bad "ganesha.nfsd did not start on $name (log $log)"; fi
        if grep -q 'Configuration file successfully parsed' "$log"; then ok "ganesha parsed $name"; else bad "ganesha did not parse $name"; fi
        if grep -q ':CONFIG :CRIT' "$log"; then bad "ganesha reports configuration errors for $name: $(grep ':CONFIG :CRIT' "$log" | head -3)"; else ok "no ganesha configuration error for $name"; fi
        while read -r volume; do
            if grep -q "Volume $volume exported" "$log"; then ok "ganesha exports $volume ($name)"; else bad "ganesha does not export $volume ($name)"; fi
        done < <(grep 'Volume = ' "$conf" | sed 's/.*"\(.*\)".*/\1/')
        while read -r pseudo; do
            if timeout 30 nfs-ls "nfs://$ADDR$pseudo?version=4" >/dev/null 2>"$OUT/nfs-ls.err"; then
                ok "an NFSv4 client lists $pseudo ($name)"
            else
                bad "nfs-ls $pseudo failed ($name): $(head -c 300 "$OUT/nfs-ls.err")"
            fi
        done < <(grep 'Pseudo = ' "$conf" | sed 's/.*"\(.*\)".*/\1/')
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    echo "$PASSED passed, $FAILED failed (ganesha)"
    [[ $FAILED -eq 0 ]]
    exit
fi

cd "$ROOT"
if [[ $(id -u) -ne 0 ]]; then
    echo "tests/files: needs root (network namespaces, glusterd)" >&2
    exit 1
fi
for tool in ip unshare jq testparm systemd-analyze glusterd gluster ganesha.nfsd nfs-ls /usr/libexec/ctdb/ctdb-config; do
    command -v "$tool" >/dev/null || { echo "tests/files: $tool is missing (make deps: samba ctdb glusterfs-server nfs-ganesha-gluster libnfs-utils)" >&2; exit 1; }
done
# shellcheck source=tests/labs/plan.sh
source "$ROOT/tests/labs/plan.sh"
if ! why=$(lab check); then
    echo "tests/files: cannot run the lab here: $why" >&2
    exit 1
fi

# Built by test-rust's own command (its artifact: nothing to do after `make test-rust`); a
# `cargo build -p hvp-modules` would rebuild hvp-core under another feature set.
cargo test --workspace --locked --no-run --quiet
GEN="$ROOT/target/debug/hvp-fileservices"
OUT=$(mktemp -d /tmp/hvf-files.XXXXXX)
cleanup() {
    lab down || true
    [[ -n "${KEEP_OUT:-}" ]] || rm -rf "$OUT"
}
trap cleanup EXIT
PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
bad() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }

for example in examples/fileservices-*.json; do
    name=$(basename "$example" .json)
    "$GEN" "$example" --out-dir "$OUT/gen/$name" >/dev/null
done
# A variant of each example in the other Samba mode, so both modes meet testparm.
for example in examples/fileservices-3nodes.json; do
    jq '.vars.hvp_samba_mode = "ad"' "$example" > "$OUT/ad.json"
    "$GEN" "$OUT/ad.json" --out-dir "$OUT/gen/3nodes-ad" >/dev/null
done

for conf in "$OUT"/gen/*/*/etc/samba/smb.conf; do
    name=${conf#"$OUT/gen/"}
    if testparm -s "$conf" >/dev/null 2>"$OUT/testparm.err" && grep -q 'Loaded services file OK' "$OUT/testparm.err"; then
        ok "testparm -s accepts $name"
    else
        bad "testparm -s refuses $name: $(head -c 500 "$OUT/testparm.err")"
    fi
    if grep -iE 'unknown parameter|ignoring|deprecated|warning: ' "$OUT/testparm.err" | grep -v 'Weak crypto'; then
        bad "testparm -s warns about $name"
    else
        ok "testparm -s has no warning for $name"
    fi
done

for conf in "$OUT"/gen/*/*/etc/ctdb/ctdb.conf; do
    name=${conf#"$OUT/gen/"}
    if CTDB_TEST_MODE=yes CTDB_BASE=$(dirname "$conf") /usr/libexec/ctdb/ctdb-config validate 2>"$OUT/ctdb.err"; then
        ok "ctdb-config validate accepts $name"
    else
        bad "ctdb-config validate refuses $name: $(head -c 300 "$OUT/ctdb.err")"
    fi
done

# systemd units: the lock mount and CTDB's drop-in, with Debian's ctdb.service, through
# systemd-analyze verify (works without systemd running): no error and no warning.
verify_units() { # DIR (a generated etc/systemd/system)
    local units
    units=$(mktemp -d "$OUT/units.XXXXXX")
    cp -r "$1/." "$units/"
    cp /lib/systemd/system/ctdb.service "$units/"
    SYSTEMD_UNIT_PATH="$units:" systemd-analyze verify "$units/ctdb.service" "$units"/*.mount 2>"$OUT/units.err" &&
        [[ ! -s "$OUT/units.err" ]]
}
for units in "$OUT"/gen/*/*/etc/systemd/system; do
    name=${units#"$OUT/gen/"}
    if verify_units "$units"; then
        ok "systemd-analyze verify accepts $name (lock mount, CTDB drop-in)"
    else
        bad "systemd-analyze verify refuses $name: $(head -c 300 "$OUT/units.err")"
    fi
done

# The checkers are real: a broken file must fail them.
mkdir -p "$OUT/bad-units/ctdb.service.d"
printf '[Unit]\nRequiress=gluster-lock.mount\n' > "$OUT/bad-units/ctdb.service.d/hvp-lock.conf"
printf '[Mount]\nWhat=a:/b\nWhere=/gluster/lock\nType=glusterfs\n' > "$OUT/bad-units/gluster-lock.mount"
if verify_units "$OUT/bad-units"; then
    bad "systemd-analyze verify accepted a broken drop-in"
else
    ok "systemd-analyze verify refuses a broken drop-in"
fi
printf '[global]\n\tclustering = maybe\n\tno such parameter = 1\n' > "$OUT/bad-smb.conf"
if testparm -s "$OUT/bad-smb.conf" >/dev/null 2>"$OUT/testparm.err" && ! grep -qi 'unknown parameter' "$OUT/testparm.err"; then
    bad "testparm accepted a broken smb.conf"
else
    ok "testparm refuses a broken smb.conf"
fi
mkdir -p "$OUT/bad-ctdb" && printf '[cluster]\n\tcluster lokc = /x\n' > "$OUT/bad-ctdb/ctdb.conf"
if CTDB_TEST_MODE=yes CTDB_BASE="$OUT/bad-ctdb" /usr/libexec/ctdb/ctdb-config validate 2>/dev/null; then
    bad "ctdb-config accepted a broken ctdb.conf"
else
    ok "ctdb-config refuses a broken ctdb.conf"
fi
echo "$PASSED passed, $FAILED failed (samba, ctdb, systemd)"

lab_fresh_up 1
inner=0
lab nx 1 bash "$HERE/run.sh" --inside "$OUT" || inner=$?
[[ $FAILED -eq 0 && $inner -eq 0 ]]
