#!/usr/bin/env bash
# hvp_cpu_type on recorded libvirt data (virsh capabilities XML of an Intel and an AMD host,
# virsh cpu-models x86_64): node mode on three inventory hosts, then cluster mode over their
# facts; the lowest index wins as a number; mixed vendors fail naming the odd host.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
ansible-playbook -i tests/ansible/inventories/cpu.yml -e "ansible_python_interpreter=$python" \
    tests/ansible/playbooks/cpu_type.yml
echo "40-cpu-type: OK"
