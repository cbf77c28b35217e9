#!/usr/bin/env bash
# hvp-netprobe for real, inside network namespaces this script creates (and deletes on exit).
# Needs root, iproute2, iputils-ping, jq, python3, dnsmasq and dhclient (make deps). Never
# touches the host's interfaces: every link is created directly inside a namespace of this run.
# TOPOLOGIES='2*' runs only matching topologies; KEEP_OUT=1 keeps the probe output.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

if [[ $(id -u) -ne 0 ]]; then
    echo "tests/netns: needs root (network namespaces)" >&2
    exit 1
fi
for tool in ip ping jq python3 ss dnsmasq dhclient; do
    command -v "$tool" >/dev/null || { echo "tests/netns: $tool is missing (make deps: iproute2 iputils-ping jq python3 dnsmasq-base isc-dhcp-client)" >&2; exit 1; }
done

# Built by test-rust's own command (its artifact: nothing to do after `make test-rust`); a
# `cargo build -p hvp-modules` would rebuild hvp-core under another feature set.
cargo test --workspace --locked --no-run --quiet
NETPROBE="$ROOT/target/debug/hvp-netprobe"

# shellcheck source=tests/netns/lib.sh
source "$HERE/lib.sh"
OUT=$(mktemp -d)
[[ -n "${KEEP_OUT:-}" ]] && echo "# output kept in $OUT"
trap 'cleanup; [[ -n "${KEEP_OUT:-}" ]] || rm -rf "$OUT"' EXIT
HOST_BEFORE=$(ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')

for topology in "$HERE"/topologies/${TOPOLOGIES:-*}.sh; do
    echo "# $(basename "$topology" .sh)"
    # shellcheck source=/dev/null
    source "$topology"
done

check "the host's own interface list is unchanged" \
    eq "$HOST_BEFORE" "$(ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')"

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
