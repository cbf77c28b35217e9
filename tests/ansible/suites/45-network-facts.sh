#!/usr/bin/env bash
# hvp_network_facts under real ansible-playbook: ansible-doc shows it; on facts recorded from a
# real `setup` run (tests/ansible/network_facts/node-facts.json) and on facts gathered live
# inside a network namespace this suite creates (and deletes) with the same node shape, it
# finds each zone's NIC/bridge and fails clearly for a zone on no interface or on two.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
[[ -x library/hvp_network_facts ]] || fail "library/hvp_network_facts is missing: run make modules"
dir=$repo/tests/ansible/network_facts

doc=$(ansible-doc -M library -t module hvp_network_facts 2>&1) || fail "ansible-doc hvp_network_facts: $doc"
for expected in "^> MODULE hvp_network_facts " "^= interfaces " "^= zones " "^RETURN VALUES" \
    "^EXAMPLES" "^- absent " "Fails when a zone.s network is found on no interface"; do
    grep -qE "$expected" <<<"$doc" || fail "ansible-doc hvp_network_facts does not show '$expected'"
done

ansible-playbook -i localhost, -c local -e "ansible_python_interpreter=$python" "$dir/recorded.yml"

ns="hvpnf$$"
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
bash "$dir/shape.sh" "$ns"
ip netns exec "$ns" ansible-playbook -i localhost, -c local -e "ansible_python_interpreter=$python" \
    "$dir/live.yml"
echo "45-network-facts: OK"
