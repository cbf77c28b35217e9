#!/usr/bin/env bash
# The lab suites (make test-lab): real glusterd, ctdbd, smbd and ganesha.nfsd in network
# namespaces this script creates through lab.sh, brought up once and shared by every suite,
# torn down on exit whatever happens. Root only; skips (exit 0, "SKIP …") when the kernel or
# the machine lacks what the lab needs.
#   SUITES='10*' runs only matching suites (suites/NN-name.sh).
#   HVL_ARTIFACTS=DIR copies every daemon log there before the lab is torn down.
#   HVL_KEEP=1 keeps the lab's state directory (logs) after the run.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

if ! why=$("$HERE/lab.sh" check); then
    echo "SKIP tests/labs: $why"
    exit 0
fi
for tool in ctdbd smbd smbclient testparm ganesha.nfsd nfs-ls jq sha256sum; do
    command -v "$tool" >/dev/null || { echo "tests/labs: $tool is missing (make deps)" >&2; exit 1; }
done

# The CLIs and modules under test (hvp-gdeploy-gen, hvp-teardown, hvp_storage_drift,
# hvp-fileservices, …): every binary of hvp-modules, debug build, built by the very command of
# `make test-rust` so that they are its artifacts (nothing to do after it). `cargo build -p
# hvp-modules` resolves features without the dev-dependencies and rebuilds hvp-core and
# everything on it (~1 CPU-minute).
cargo test --workspace --locked --no-run --quiet

if [[ -f ${HVL_POINTER:-/run/${HVL_PREFIX:-hvl}-lab.path} ]]; then
    echo "# a lab from an earlier run is still up: taking it down first"
    "$HERE/lab.sh" down
fi

finish() {
    local rc=$?
    if [[ $rc -ne 0 || ${FAILED:-0} -ne 0 ]] && "$HERE/lab.sh" dir >/dev/null 2>&1; then
        echo "# lab logs (tails), the run failed"
        "$HERE/lab.sh" logs 15 || true
    fi
    if [[ -n ${HVL_ARTIFACTS:-} ]] && dir=$("$HERE/lab.sh" dir 2>/dev/null); then
        mkdir -p "$HVL_ARTIFACTS"
        (cd "$dir" && find . -path '*/var/log/*' -type f -exec cp --parents {} "$HVL_ARTIFACTS/" \;) || true
        echo "# lab logs copied to $HVL_ARTIFACTS"
    fi
    local start=$SECONDS
    "$HERE/lab.sh" down
    echo "# lab down in $((SECONDS - start)) s"
}
trap finish EXIT
# A step outside check/poll that fails stops the run (set -e): say which one.
set -E
trap 'echo "FAIL (run stopped) ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND" >&2' ERR

LAB_START=$SECONDS
"$HERE/lab.sh" up 3
echo "# lab up (3 nodes) in $((SECONDS - LAB_START)) s"

# shellcheck source=tests/labs/lib.sh
source "$HERE/lib.sh"
for suite in "$HERE"/suites/${SUITES:-*}.sh; do
    echo "# $(basename "$suite" .sh)"
    suite_start=$SECONDS
    # shellcheck source=/dev/null
    source "$suite"
    echo "# $(basename "$suite" .sh): $((SECONDS - suite_start)) s"
done

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped (lab total $((SECONDS - LAB_START)) s)"
[[ $FAILED -eq 0 ]]
