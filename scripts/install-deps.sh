#!/usr/bin/env bash
# Installs the Debian packages the test suites need (as root; a no-op for packages already
# there). The Rust toolchain comes with the machine; ansible-core goes into .venv (make venv).
set -euo pipefail

packages=(
  # Python venv for ansible-core, ansible-lint and molecule
  python3-venv
  # block devices: loop devices, signatures, partition tables, filesystems, LVM
  util-linux fdisk parted e2fsprogs xfsprogs lvm2
  # network namespaces, veth, bridges, ping, a DHCP server and client for the installer-role probe
  iproute2 iputils-ping dnsmasq-base isc-dhcp-client
  # JSON assertions in shell suites
  jq
  # real glusterd in network namespaces (drift/teardown suites 70 and 72, tests/drift/lab.sh)
  glusterfs-server
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (sudo make test): the suites need loop devices and network namespaces" >&2
  exit 1
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
