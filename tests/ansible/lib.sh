# Shared by the suites 10-40 (sourced, not run). Sets up ansible-playbook for the modules in
# library/ against localhost, and `fail`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD

fail() { echo "FAIL: $*" >&2; exit 1; }

for module in hvp_free_disks hvp_cpu_type hvp_gdeploy_config; do
    [[ -x library/$module ]] || fail "library/$module is missing: run make modules"
done

export ANSIBLE_LIBRARY=$repo/library
export ANSIBLE_NOCOLOR=1
export ANSIBLE_RETRY_FILES_ENABLED=false
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
python=$(command -v python3)

# play PLAYBOOK [ansible-playbook options...]: runs a test playbook on localhost.
play() {
    local playbook=$1
    shift
    ansible-playbook -i localhost, -c local -e "ansible_python_interpreter=$python" \
        "$repo/tests/ansible/playbooks/$playbook" "$@"
}
