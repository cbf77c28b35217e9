#!/usr/bin/env bash
# Playbooks and roles: ansible-playbook --syntax-check, no placeholder steps, ansible-lint
# (production profile, offline; settings in .ansible-lint). Run from the repository root
# with .venv/bin first on PATH and the modules built into library/ (`make modules`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

fail() { echo "FAIL: $*" >&2; exit 1; }

for module in hvp_free_disks hvp_gdeploy_config hvp_cpu_type; do
    [[ -x library/$module ]] || fail "library/$module is missing: run make modules"
done

echo "== syntax check (example inventory, modules from library/)"
for playbook in playbooks/hvp.yaml playbooks/glusternodes.yaml playbooks/ovirtnodes.yaml playbooks/ovirtengine.yaml playbooks/storageservices.yaml playbooks/ovirtnfsdomains.yaml; do
    ansible-playbook -i examples/inventory "$playbook" --syntax-check
done

echo "== hvp.yaml runs the Gluster-node step, then the oVirt-node step"
tasks=$(ansible-playbook -i examples/inventory playbooks/hvp.yaml --list-tasks)
plays=$(grep -oE '^  play #[0-9]+ \([^)]*\): .*' <<<"$tasks" | sed -E 's/\s+TAGS:.*//')
expected_plays="  play #1 (localhost): Prepare the installer's SSH key
  play #2 (glusternodes): Inspect the Gluster nodes
  play #3 (localhost): Perform the gDeploy-based Gluster configuration
  play #4 (glusternodes): Make the bricks on VDO mount at boot
  play #5 (localhost): Prepare the installer's SSH key
  play #6 (ovirtnodes): Gather the CPU type of every oVirt node
  play #7 (localhost): Check the CPUs cluster-wide
  play #8 (ovirtnodes): Configure the oVirt nodes
  play #9 (ovirt_master): Perform the Hosted Engine setup
  play #10 (ovirt_master): Copy the Engine CA to the installer
  play #11 (localhost): Configure the data center
  play #12 (localhost): Configure the oVirt networks
  play #13 (glusternodes): Configure and start CTDB, Samba and NFS-Ganesha on the Gluster nodes
  play #14 (localhost): Configure the NFS storage domains"
[[ $plays == "$expected_plays" ]] || fail "unexpected plays in hvp.yaml:
$plays"
for task in 'glusternodes : Gather the free disks and SSDs of this Gluster node' \
            'glusternodes : Write the storage plan (the gDeploy configuration by default)' \
            'glusternodes : Create the planned cache partitions on the Gluster nodes' \
            'glusternodes : Run gDeploy to create the bricks and the Gluster volumes' \
            'glusternodes : Make the brick mounts on VDO wait for the VDO service' \
            'ovirtnodes : Gather the CPU vendor and model of this node' \
            'ovirtnodes : Choose the CPU model common to all the oVirt nodes' \
            'ovirtnodes : Write the Hosted Engine answer file' \
            'ovirtnodes : Deploy the Self-Hosted Engine' \
            'engine : Bring the Engine to the desired state (datacenter step)' \
            'engine : Bring the Engine to the desired state (networks step)' \
            'engine : Bring the Engine to the desired state (nfsdomains step)' \
            'storageservices : Write the CTDB, Samba and NFS-Ganesha configuration of this node' \
            'storageservices : Start CTDB (it starts Samba and NFS-Ganesha)'; do
    grep -qF "      $task" <<<"$tasks" || fail "hvp.yaml lacks the task: $task"
done

# Split cache SSDs need their partitions before gDeploy's setup-cache runs.
order=$(grep -nF -e 'glusternodes : Create the planned cache partitions' \
    -e 'glusternodes : Run gDeploy to create' <<<"$tasks" | cut -d: -f1 | tr '\n' ' ')
read -r partitions_at gdeploy_at <<<"$order"
(( partitions_at < gdeploy_at )) || fail "the cache partitions must be created before gDeploy runs"

echo "== no placeholder steps"
if grep -rnE 'ansible\.builtin\.(pause|meta): *(noop|end_play)?$|placeholder|not (yet )?implemented' \
        playbooks roles; then
    fail "placeholder steps found"
fi

echo "== the Samba root password is kept out of logs"
python3 - <<'PY'
import sys, yaml
tasks = yaml.safe_load(open("roles/storageservices/tasks/samba_root.yml"))
t = next(t for t in tasks if t.get("name") == "Add the Samba user root")
ok = t.get("no_log") is True and "hvp_samba_root_password" in t["ansible.builtin.command"]["stdin"] \
    and "hvp_samba_root_password" not in str(t["ansible.builtin.command"]["argv"])
sys.exit(0 if ok else "the Samba root password must go through stdin of a no_log task")
PY

echo "== the answer file holding passwords is private and kept out of logs"
python3 - <<'PY'
import sys, yaml
tasks = yaml.safe_load(open("roles/ovirtnodes/tasks/hosted_engine.yml"))
t = next(t for t in tasks if t.get("name") == "Write the Hosted Engine answer file")
ok = t["ansible.builtin.template"]["mode"] == "0600" and t.get("no_log") is True and t.get("diff") is False
sys.exit(0 if ok else "answer file task must have mode 0600, no_log: true and diff: false")
PY

echo "== ansible-lint (production profile, offline; also the test playbooks and inventories)"
ansible-lint --offline playbooks/ roles/ molecule/ examples/ tests/ansible/bench/ tests/engine/bench/ \
    tests/ansible/playbooks tests/ansible/inventories

echo "50-syntax-and-lint: OK"
