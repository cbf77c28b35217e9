#!/usr/bin/env bash
# Molecule scenarios (driver "default", unmanaged, local connection, no containers):
#   default     the Gluster-node playbook on loop devices over sparse files (converge,
#               idempotence, verify; cleanup detaches only the loop devices it created);
#   gdeploy-run gDeploy (a stand-in recording its calls) runs exactly once, on one loop device;
#   vdo-fstab   the VDO boot fix on a scratch fstab;
#   ovirtnodes  the cluster CPU model and the Hosted Engine answer file (Hosted Engine
#               marked as deployed, so nothing is deployed).
# No scenario output may contain the test password. Needs root, .venv/bin first on PATH
# and the modules built into library/ (`make modules`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

fail() { echo "FAIL: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "needs root (loop devices)"
command -v losetup >/dev/null || fail "losetup (util-linux) is missing"
for module in hvp_free_disks hvp_gdeploy_config hvp_cpu_type; do
    [[ -x library/$module ]] || fail "library/$module is missing: run make modules"
done

secret=HVP-test-secret-4711
grep -q "password: $secret" molecule/ovirtnodes/molecule.yml || fail "the ovirtnodes scenario must use the password $secret"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

for scenario in default gdeploy-run vdo-fstab ovirtnodes; do
    echo "== molecule test -s $scenario"
    if ! ANSIBLE_FORCE_COLOR=0 molecule test -s "$scenario" 2>&1 | tee "$logs/$scenario.log"; then
        fail "molecule scenario $scenario failed"
    fi
    if grep -qF "$secret" "$logs/$scenario.log"; then
        fail "the password appears in the output of scenario $scenario"
    fi
done

echo "60-molecule: OK"
