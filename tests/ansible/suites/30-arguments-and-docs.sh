#!/usr/bin/env bash
# ansible-doc shows every hvp module's documentation from its sidecar; bad arguments to every
# module (unknown option, wrong type, missing required option, empty list) fail under
# ansible-playbook with messages that name the option and the fix. (That the test playbooks
# pass ansible-lint is checked by 50-syntax-and-lint.)
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

declare -A options=(
    [hvp_free_disks]="min_size_bytes accept_ssds device_types"
    [hvp_cpu_type]="capabilities_xml cpu_models hosts_cpu"
    [hvp_gdeploy_config]="nodes vars dest output policy"
    [hvp_file_services]="network storage vars node root"
    [hvp_cache_partitions]="partitions"
)
for module in "${!options[@]}"; do
    doc=$(ansible-doc -M library -t module "$module" 2>&1) || fail "ansible-doc $module failed: $doc"
    grep -q "^> MODULE $module " <<<"$doc" || fail "ansible-doc $module: no module header"
    grep -qE "^= (nodes|dest) " <<<"$doc" || [[ $module != hvp_gdeploy_config ]] || fail "ansible-doc $module: required options not marked"
    grep -q "^RETURN VALUES" <<<"$doc" || fail "ansible-doc $module: no RETURN VALUES"
    grep -q "^EXAMPLES" <<<"$doc" || fail "ansible-doc $module: no EXAMPLES"
    for option in ${options[$module]}; do
        grep -qE "^[-=] +$option " <<<"$doc" || fail "ansible-doc $module does not show option $option"
    done
done
ansible-doc -M library -t module hvp_free_disks | tr -s ' \n' ' ' |
    grep -q "Non-rotational free disks (SSD, NVMe) always go to .hvp_free_ssds., and ALSO to .hvp_free_disks. when .accept_ssds=true." ||
    fail "ansible-doc hvp_free_disks does not explain the SSD semantics"

play bad_arguments.yml

# The test playbooks themselves follow the project's lint profile (.ansible-lint): checked by the
# one ansible-lint run of 50-syntax-and-lint (ansible-lint takes ~10 CPU-seconds to start).
echo "30-arguments-and-docs: OK"
