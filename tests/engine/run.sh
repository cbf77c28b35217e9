#!/usr/bin/env bash
# Independent clients against hvp-engine-sim (issue 9, items 6a and 6b):
#   1. the official oVirt Python SDK suite (pytest; each test module starts its own server);
#   2. the original's Engine tasks written with ovirt.ovirt, converging from a fresh server,
#      then a second run that must report changed=0.
# Needs the venvs of `make engine-venvs` and the binary in $HVP_ENGINE_SIM. Servers bind
# 127.0.0.1 on a free port and are stopped by their PID.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export HVP_ENGINE_SIM="${HVP_ENGINE_SIM:-$root/target/debug/hvp-engine-sim}"
sdk_venv="$here/.venv-sdk"
ovirt_venv="$here/.venv-ovirt"
work="$(mktemp -d /tmp/hvp-engine-sim-test.XXXXXX)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== SDK suite (ovirt-engine-sdk-python) =="
(cd "$here" && "$sdk_venv/bin/python" -m pytest -q -p no:cacheprovider test_sdk.py)

echo "== ovirt.ovirt playbook =="
password="ovirt-suite-$RANDOM"
printf '%s\n' "$password" > "$work/password"
chmod 0600 "$work/password"
mkfifo "$work/addr"
"$HVP_ENGINE_SIM" --listen 127.0.0.1:0 --password-file "$work/password" --seed-host node0.mgmt.private \
  --host-nics eth0,eth1,eth2 --state "$work/engine.json" > "$work/addr" 2> "$work/server.log" &
pid=$!
read -r addr < "$work/addr" || true
[[ $addr == 127.0.0.1:* ]] || { echo "hvp-engine-sim did not start: $(cat "$work/server.log")"; echo "0 passed, 1 failed"; exit 1; }
echo "hvp-engine-sim pid $pid on $addr"

export ENGINE_URL="http://$addr/ovirt-engine/api" ENGINE_PASSWORD="$password"
export ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCALHOST_WARNING=0
export ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_PYTHON_INTERPRETER="$ovirt_venv/bin/python"
export ANSIBLE_CONFIG="$here/ovirt/ansible.cfg" ANSIBLE_COLLECTIONS_PATH="$ovirt_venv/lib/python3.11/site-packages"
run_play() {
  "$ovirt_venv/bin/ansible-playbook" -i localhost, -c local "$here/ovirt/engine.yml" | tee "$work/play$1.log"
}
hook() { "$ovirt_venv/bin/python" - "$addr" "$@" <<'PY'
import json, sys, urllib.request
addr, method, name = sys.argv[1:4]
req = urllib.request.Request("http://%s/hvp-sim/%s" % (addr, name), method=method)
print(urllib.request.urlopen(req).read().decode())
PY
}
run_play 1
recap1="$(grep -E '^localhost +:' "$work/play1.log")"
hook DELETE requests > /dev/null
run_play 2
recap2="$(grep -E '^localhost +:' "$work/play2.log")"
echo "first run:  $recap1"
echo "second run: $recap2"
fail=0
grep -q 'failed=0' <<<"$recap1" || { echo "FAIL: the first run failed"; fail=1; }
grep -q 'changed=0' <<<"$recap1" && { echo "FAIL: the first run changed nothing"; fail=1; }
grep -q 'failed=0' <<<"$recap2" || { echo "FAIL: the second run failed"; fail=1; }
grep -q 'changed=0' <<<"$recap2" || { echo "FAIL: the second run changed something"; fail=1; }
# The second run sent no POST/PUT/DELETE to the API (SSO login/logout only), no entity exists
# twice, and the password never reached the request log.
hook GET requests > "$work/requests.json"
hook GET state > "$work/state.json"
"$ovirt_venv/bin/python" - "$work/requests.json" "$work/state.json" <<'PY' || fail=1
import collections, json, sys
log = json.load(open(sys.argv[1]))
state = json.load(open(sys.argv[2]))
bad = 0
writes = [e for e in log if e["method"] != "GET" and e["path"].startswith("/ovirt-engine/api")]
for e in writes:
    print("FAIL: second run sent %s %s" % (e["method"], e["path"]))
    bad = 1
for coll, ents in state["colls"].items():
    scope = lambda e: (e["body"].get("name"), json.dumps(e["body"].get("data_center")))
    counts = collections.Counter(scope(e) for e in ents if e["body"].get("name"))
    for (name, _), n in counts.items():
        if n > 1:
            print("FAIL: %s holds %d entities named %s" % (coll, n, name))
            bad = 1
print("second run: %d API requests, none mutating" % len(log) if not writes else "")
sys.exit(bad)
PY
if grep -q "$password" "$work/requests.json" "$work/server.log"; then echo "FAIL: the password is in the request log"; fail=1; fi
if [ "$fail" -eq 0 ]; then
  echo "1 passed, 0 failed"
else
  echo "0 passed, 1 failed"
  exit 1
fi
