#!/usr/bin/env bash
# The hvp_engine module under real ansible-playbook (playbooks/ovirtengine.yaml, then ovirtnfsdomains.yaml, with the
# example inventory) against the real hvp-engine-sim on 127.0.0.1 (random port): check mode
# sends nothing, the first run converges to examples/engine-state.json, the second run reports
# changed=0 and sends no POST/PUT/DELETE, diff mode shows before/after, a 30 % fault rate still
# converges without duplicates, and the password never appears in any output.
# The module is the static build in library/ (make modules) and the Engine URL uses the name
# "localhost": this checks the built-in resolver of the static binary.
# Needs: make modules, the debug hvp-engine-sim (make test-rust, or cargo test --workspace --no-run), ansible-playbook on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD

fail() { echo "FAIL: $*" >&2; exit 1; }

sim=${HVP_ENGINE_SIM:-$repo/target/debug/hvp-engine-sim}
cli=${HVP_ENGINE_CLI:-$repo/target/x86_64-unknown-linux-gnu/release/hvp-engine}
library=${HVP_ENGINE_LIBRARY:-$repo/library}
[[ -x $library/hvp_engine ]] || fail "$library/hvp_engine is missing: run make modules"
[[ -x $sim ]] || fail "$sim is missing: run cargo test --workspace --no-run (make test-rust builds it)"
[[ -x $cli ]] || fail "$cli is missing: run make modules"
command -v ansible-playbook >/dev/null || fail "ansible-playbook is not on PATH (make venv)"

password=HVP_dem0   # the example inventory's password
work=$(mktemp -d /tmp/hvp-engine-module.XXXXXX)
sim_pid=
proxy_pid=
cleanup() {
    if [[ -n $proxy_pid ]]; then kill "$proxy_pid" 2>/dev/null || true; wait "$proxy_pid" 2>/dev/null || true; fi
    if [[ -n $sim_pid ]]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

export ANSIBLE_LIBRARY=$library
export ANSIBLE_NOCOLOR=1
export ANSIBLE_RETRY_FILES_ENABLED=false
export ANSIBLE_LOCALHOST_WARNING=false

start_sim() {
    [[ -n $sim_pid ]] && { kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null || true; }
    # Emptied here, not by the redirection below: that runs in the started child, possibly
    # after the loop has seen the previous server's address in the file and before it reads it.
    : >"$work/sim.out"
    "$sim" --listen 127.0.0.1:0 --password "$password" --vintage-he \
        --host-nics eth0,bond0,bond1,eth3 "$@" >"$work/sim.out" 2>"$work/sim.err" &
    sim_pid=$!
    for _ in $(seq 600); do [[ -s $work/sim.out ]] && break; sleep 0.05; done
    addr=$(head -1 "$work/sim.out")
    [[ $addr == 127.0.0.1:* ]] || fail "hvp-engine-sim did not start: $(cat "$work/sim.err")"
    port=${addr##*:}
    cat >"$work/extra.yml" <<EOV
hvp_engine_url: http://localhost:$port/ovirt-engine/api
hvp_engine_fetch_ca: false
hvp_engine_insecure: true
hvp_engine_poll_interval: 0.02
hvp_network_plan_path: $repo/examples/engine/network-plan.json
hvp_storage_plan_path: $repo/examples/engine/storage-plan.json
hvp_cluster_cpu: $(cat "$repo/examples/engine/cpu.json")
EOV
}

# hook METHOD NAME: the server's test hooks (request log, state).
hook() {
    python3 - "$1" "http://$addr/hvp-sim/$2" <<'EOP'
import sys, urllib.request
request = urllib.request.Request(sys.argv[2], method=sys.argv[1])
print(urllib.request.urlopen(request).read().decode())
EOP
}

# mutations: POST/PUT/DELETE requests to the API in the log.
mutations() {
    hook GET requests | python3 -c '
import json, sys
log = json.load(sys.stdin)
print(sum(1 for r in log if r["method"] != "GET" and r["path"].startswith("/ovirt-engine/api")))'
}

# no_duplicates: every collection of the server holds each name once.
no_duplicates() {
    hook GET state | python3 -c '
import json, sys
state = json.load(sys.stdin)
for name, entities in state["colls"].items():
    names = [e["body"].get("name") for e in entities if e["body"].get("name")]
    assert len(names) == len(set(names)), f"duplicate in {name}: {sorted(names)}"'
}

mkdir -p "$work/inventory/host_vars"
cp examples/inventory/hosts.yml "$work/inventory/"
cp -r examples/inventory/group_vars "$work/inventory/"
# rarity is cabled differently: what hvp_network_facts would report (see examples/engine/vars.yml).
printf 'hvp_network_zones:\n  gluster: {interface: bond1}\n' >"$work/inventory/host_vars/rarity.mgmt.private.yml"

play() {
    local name=$1
    shift
    ansible-playbook -i "$work/inventory" -e "@$work/extra.yml" \
        playbooks/ovirtengine.yaml playbooks/ovirtnfsdomains.yaml "$@" \
        >"$work/$name.log" 2>&1 || { cat "$work/$name.log"; fail "playbook run '$name' failed"; }
    if grep -qF "$password" "$work/$name.log"; then
        fail "the password appears in the output of run '$name'"
    fi
}
# The changed count of localhost, summed over the recaps (one per playbook of the run).
recap_changed() { sed -n 's/^localhost .*changed=\([0-9]*\).*/\1/p' "$work/$1.log" | awk '{ n += $1 } END { print n + 0 }'; }
converged() {
    echo "$password" >"$work/pw"
    "$cli" plan --url "http://localhost:$port/ovirt-engine/api" --password-file "$work/pw" \
        examples/engine-state.json >"$work/plan.json"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["actions"] == [] and not r["changed"], r' \
        "$work/plan.json" || fail "the Engine is not at examples/engine-state.json: $(cat "$work/plan.json")"
}

echo "--- bad arguments fail naming the option, never showing the password"
# bad_args 'YAML OPTIONS' EXPECTED: one hvp_engine task with the password from a variable.
bad_args() {
    cat >"$work/bad.yml" <<EOY
- name: Bad arguments
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Call hvp_engine
      hvp_engine: {url: "http://127.0.0.1:9", password: "{{ engine_password }}", $1}
EOY
    ansible-playbook -i localhost, -c local -e "ansible_python_interpreter=$(command -v python3)" \
        -e "engine_password=$password" "$work/bad.yml" >"$work/bad.log" 2>&1 \
        && { cat "$work/bad.log"; fail "hvp_engine accepted: $1"; }
    grep -qF "$2" "$work/bad.log" || { cat "$work/bad.log"; fail "no '$2' in the failure of: $1"; }
    if grep -qF "$password" "$work/bad.log"; then fail "the password appears in the failure of: $1"; fi
}
bad_args 'desired: {}, destired: {}' "did you mean 'desired'"
bad_args 'host_password: "{{ engine_password }}"' "exactly one of desired"
bad_args 'desired: {format_version: 1}' "missing field"
bad_args 'steps: [datacentre], inputs: {}' "not a step"
bad_args 'inputs: {vars: {hosts: []}, network_plan: {}, storage_plan: {}}' "network_plan"

echo "--- check mode on a fresh Engine sends nothing"
start_sim
play check --check -v
[[ $(recap_changed check) -ge 1 ]] || fail "check mode reported no change on a fresh Engine"
grep -q "create_host" "$work/check.log" || fail "check mode did not list the planned actions"
[[ $(mutations) == 0 ]] || fail "check mode sent $(mutations) mutating requests"

echo "--- first run converges to examples/engine-state.json"
play first -v
[[ $(recap_changed first) -ge 1 ]] || fail "the first run reported no change"
converged
no_duplicates

echo "--- second run changes nothing and sends no POST/PUT/DELETE"
hook DELETE requests >/dev/null
play second -v
[[ $(recap_changed second) == 0 ]] || fail "the second run reported changed=$(recap_changed second)"
[[ $(mutations) == 0 ]] || fail "the second run sent $(mutations) mutating requests"

echo "--- diff mode shows the Engine before and after"
start_sim
play diff --diff -v
grep -q "engine (before)" "$work/diff.log" || fail "diff mode printed no before/after"
converged

echo "--- 30 % injected faults: converges, no duplicate"
start_sim --fault-rate 0.3 --fault-seed 11
play faults -v
grep -q '"retries": \[$' "$work/faults.log" || grep -q "injected fault" "$work/faults.log" \
    || fail "no injected fault was seen by the module"
converged
no_duplicates

echo "--- TLS: verified against the CA file, refused with another CA, --insecure skips it"
# A CA and a certificate for localhost signed by it, and an unrelated CA.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=hvp-test-ca -keyout "$work/ca.key" \
    -out "$work/ca.pem" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca -keyout "$work/other.key" \
    -out "$work/other.pem" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$work/ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
    -days 2 -extfile "$work/ext" -out "$work/server.pem" 2>/dev/null
python3 tests/engine/tls_proxy.py "$work/server.pem" "$work/server.key" "$addr" >"$work/proxy.out" 2>"$work/proxy.err" &
proxy_pid=$!
for _ in $(seq 600); do [[ -s $work/proxy.out ]] && break; sleep 0.05; done
tls_port=$(head -1 "$work/proxy.out" | cut -d: -f2)
[[ -n $tls_port ]] || fail "the TLS proxy did not start: $(cat "$work/proxy.err")"
tls_url="https://localhost:$tls_port/ovirt-engine/api"
"$cli" plan --url "$tls_url" --password-file "$work/pw" --ca-file "$work/ca.pem" examples/engine-state.json \
    >"$work/tls.json" || fail "plan over TLS with the right CA failed"
"$cli" plan --url "$tls_url" --password-file "$work/pw" --insecure examples/engine-state.json \
    >"$work/tls.json" || fail "plan over TLS with --insecure failed"
if "$cli" plan --url "$tls_url" --password-file "$work/pw" --ca-file "$work/other.pem" \
        examples/engine-state.json >"$work/tls.json" 2>"$work/tls.err"; then
    fail "a certificate from another CA was accepted"
fi
grep -qi "certificate" "$work/tls.err" || fail "the TLS error does not say why: $(cat "$work/tls.err")"
if "$cli" plan --url "$tls_url" --password-file "$work/pw" examples/engine-state.json \
        >"$work/tls.json" 2>"$work/tls.err"; then
    fail "a certificate from an unknown CA was accepted without --ca-file"
fi

echo "engine module suite: OK"
