#!/usr/bin/env bash
# Regenerates node-facts.json: the network facts that a real `ansible -m setup` gathers on the
# node shape of shape.sh, inside a throw-away network namespace. Run as root with .venv/bin on
# PATH; commit the result. Only the network facts are kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ns="hvpnfrec$$"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
bash "$here/shape.sh" "$ns"
ip netns exec "$ns" env ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
    ANSIBLE_NOCOLOR=1 ansible localhost -c local -m ansible.builtin.setup -a 'gather_subset=!all,!min,network' |
    python3 -c '
import json, sys
text = sys.stdin.read()  # "localhost | SUCCESS => {...}"
result = json.loads(text[text.index("{"):])["ansible_facts"]
names = result["ansible_interfaces"]
keep = {"ansible_interfaces", "ansible_default_ipv4", "ansible_all_ipv4_addresses"}
keep |= {"ansible_" + n.replace("-", "_").replace(":", "_") for n in names}
json.dump({k: v for k, v in sorted(result.items()) if k in keep}, sys.stdout, indent=1, sort_keys=True)
print()
' >"$here/node-facts.json"
echo "wrote $here/node-facts.json"
