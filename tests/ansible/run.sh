#!/usr/bin/env bash
# Real-ansible tests of the hvp modules: runs every tests/ansible/suites/*.sh in name order
# (or only those whose file name contains one of the given words) and fails if any fails.
# Run as root from anywhere, after `make modules`, with .venv/bin first on PATH
# (`make test-ansible` does all that).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

[[ $EUID -eq 0 ]] || { echo "tests/ansible/run.sh must run as root (loop devices, mounts)" >&2; exit 1; }
command -v ansible-playbook >/dev/null || {
    echo "ansible-playbook is not in PATH: run 'make venv' and put .venv/bin first on PATH" >&2
    exit 1
}

selected=()
for suite in tests/ansible/suites/*.sh; do
    if (($# == 0)); then
        selected+=("$suite")
    else
        for word in "$@"; do
            [[ $(basename "$suite") == *"$word"* ]] && { selected+=("$suite"); break; }
        done
    fi
done
((${#selected[@]} > 0)) || { echo "no suite matches: $*" >&2; exit 1; }

passed=0
failed=()
for suite in "${selected[@]}"; do
    echo "=== $suite"
    start=$SECONDS
    if bash "$suite"; then
        passed=$((passed + 1))
        echo "=== $suite: OK ($((SECONDS - start)) s)"
    else
        failed+=("$suite")
        echo "=== $suite: FAILED ($((SECONDS - start)) s)" >&2
    fi
done

((${#failed[@]} == 0)) || printf 'failed suite: %s\n' "${failed[@]}" >&2
echo "ansible-suites: $passed passed, ${#failed[@]} failed"
((${#failed[@]} == 0))
