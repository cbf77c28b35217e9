#!/usr/bin/env bash
# Molecule: the Gluster-node step against this machine, on loop devices over sparse files
# (converge, idempotence, verify; cleanup detaches only the loop devices it created).
# Needs root, .venv/bin first on PATH and the modules built into library/ (`make modules`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

fail() { echo "FAIL: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "needs root (loop devices)"
command -v losetup >/dev/null || fail "losetup (util-linux) is missing"
for module in hvp_free_disks hvp_gdeploy_config hvp_cpu_type; do
    [[ -x library/$module ]] || fail "library/$module is missing: run make modules"
done

for scenario in molecule/*/molecule.yml; do
    scenario=$(basename "$(dirname "$scenario")")
    echo "== molecule test -s $scenario"
    ANSIBLE_FORCE_COLOR=0 molecule test -s "$scenario"
done

echo "60-molecule: OK"
