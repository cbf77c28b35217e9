#!/usr/bin/env bash
# Wall time of the Engine stage against hvp-engine-sim: the same desired state applied by the
# hvp_engine module (tests/engine/bench/hvp.yml) and by the ovirt.ovirt tasks of the original
# (tests/engine/ovirt/engine.yml, ansible 8.7.0 in tests/engine/.venv-ovirt), each on a fresh
# server: first run (converge) and second run (idempotent), whole ansible-playbook wall time.
# Figures only, no assertion on time. Each run must succeed, and each second run must report
# changed=0. Run by `make bench-engine` (after make modules and make engine-venvs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD

sim=${HVP_ENGINE_SIM:-$repo/target/release/hvp-engine-sim}
state=${BENCH_STATE:-$repo/tests/engine/bench/state.json}
ovirt_venv=$repo/tests/engine/.venv-ovirt
ovirt_play=$repo/tests/engine/ovirt/engine.yml
[[ -x $sim ]] || { echo "$sim is missing: cargo build --release -p hvp-engine-sim" >&2; exit 1; }
[[ -x library/hvp_engine ]] || { echo "library/hvp_engine is missing: make modules" >&2; exit 1; }

work=$(mktemp -d /tmp/hvp-engine-bench.XXXXXX)
pid=
cleanup() {
    [[ -n $pid ]] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT
password="bench-$RANDOM$RANDOM"
printf '%s\n' "$password" >"$work/password"

# The server as the ovirt.ovirt suite starts it: the Hosted Engine host already up.
start_sim() {
    [[ -n $pid ]] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
    # Emptied here, not by the redirection below: that runs in the started child, possibly
    # after the loop has seen the previous server's address in the file and before it reads it.
    : >"$work/addr"
    "$sim" --listen 127.0.0.1:0 --password-file "$work/password" --seed-host node0.mgmt.private \
        --host-nics eth0,eth1,eth2 >"$work/addr" 2>"$work/sim.log" &
    pid=$!
    for _ in $(seq 600); do [[ -s $work/addr ]] && break; sleep 0.05; done
    export ENGINE_URL="http://$(head -1 "$work/addr")/ovirt-engine/api" ENGINE_PASSWORD="$password"
}

# timed NAME PLAYBOOK: runs ansible-playbook, prints the wall time in seconds.
timed() {
    local name=$1 playbook=$2 start end
    start=$EPOCHREALTIME
    "$ansible_playbook" -i localhost, -c local "$playbook" >"$work/$name.log" 2>&1 \
        || { cat "$work/$name.log" >&2; echo "run $name failed" >&2; exit 1; }
    end=$EPOCHREALTIME
    if [[ $name == *second ]] && ! grep -Eq '^localhost +:.*changed=0' "$work/$name.log"; then
        grep -E '^localhost' "$work/$name.log" >&2
        echo "run $name changed something" >&2
        exit 1
    fi
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCALHOST_WARNING=0
export ANSIBLE_INVENTORY_UNPARSED_WARNING=0 BENCH_STATE=$state

ansible_playbook=$(command -v ansible-playbook)
export ANSIBLE_LIBRARY=$repo/library
start_sim
hvp_first=$(timed hvp-first tests/engine/bench/hvp.yml)
hvp_second=$(timed hvp-second tests/engine/bench/hvp.yml)
unset ANSIBLE_LIBRARY

if [[ -x $ovirt_venv/bin/ansible-playbook && -f $ovirt_play ]]; then
    ansible_playbook=$ovirt_venv/bin/ansible-playbook
    export ANSIBLE_CONFIG=$repo/tests/engine/ovirt/ansible.cfg ANSIBLE_PYTHON_INTERPRETER=$ovirt_venv/bin/python
    export ANSIBLE_COLLECTIONS_PATH=$ovirt_venv/lib/python3.11/site-packages
    # The same desired state: the original's tasks without the guest VM (step 8), which the
    # Engine stage of hvp does not do.
    "$ovirt_venv/bin/python" - "$ovirt_play" "$work/ovirt.yml" <<'EOP'
import sys, yaml
plays = yaml.safe_load(open(sys.argv[1]))
for play in plays:
    play["tasks"] = [t for t in play["tasks"] if not str(t.get("name", "")).startswith("8 ")]
yaml.safe_dump(plays, open(sys.argv[2], "w"), sort_keys=False)
EOP
    start_sim
    ovirt_first=$(timed ovirt-first "$work/ovirt.yml")
    ovirt_second=$(timed ovirt-second "$work/ovirt.yml")
    # Same state? What hvp-engine would still do after the ovirt.ovirt run.
    cli=${HVP_ENGINE_CLI:-$repo/target/x86_64-unknown-linux-gnu/release/hvp-engine}
    if [[ -x $cli ]]; then
        remaining=$("$cli" plan --url "$ENGINE_URL" --password-file "$work/password" "$state" \
            | python3 -c 'import json,sys; print(", ".join(a["action"] + " " + str(a.get("name", a.get("network", ""))) for a in json.load(sys.stdin)["actions"]) or "nothing")')
    fi
else
    ovirt_first="n/a (make engine-venvs; $ovirt_play)"
    ovirt_second="n/a"
fi

printf '\nEngine stage against hvp-engine-sim, ansible-playbook wall time (s), state %s\n' "${state#"$repo"/}"
printf '%-28s %14s %14s\n' "" "first run" "second run"
printf '%-28s %14s %14s\n' "hvp_engine (Rust module)" "$hvp_first" "$hvp_second"
printf '%-28s %14s %14s\n' "ovirt.ovirt tasks" "$ovirt_first" "$ovirt_second"
[[ -n ${remaining:-} ]] && printf 'hvp-engine plan after the ovirt.ovirt run: %s\n' "$remaining"
