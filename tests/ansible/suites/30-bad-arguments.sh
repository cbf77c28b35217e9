#!/usr/bin/env bash
# Bad arguments to every hvp module (unknown option, wrong type, missing required option,
# empty list) fail under ansible-playbook with messages that name the option and the fix.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
play bad_arguments.yml
echo "30-bad-arguments: OK"
