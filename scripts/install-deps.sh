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
  # tests/labs: real Gluster, CTDB, Samba (vfs_glusterfs) and NFS-Ganesha in network namespaces
  glusterfs-server glusterfs-client ctdb samba samba-vfs-modules smbclient nfs-ganesha nfs-ganesha-gluster libnfs-utils
  # ctdb's 10.interface event script reads the public interface's link with ethtool (ctdb only
  # recommends it): without it every node reports "No link" and stays UNHEALTHY
  ethtool
  # file services (make test-files): testparm, ctdb-config, systemd-analyze, glusterd, ganesha.nfsd with FSAL GLUSTER, nfs-ls
  samba samba-vfs-modules ctdb systemd glusterfs-server nfs-ganesha nfs-ganesha-gluster libnfs-utils
  # the official oVirt Python SDK (tests/engine) builds a C extension: compiler, Python and libxml2 headers; pycurl may need libcurl headers
  gcc python3-dev libxml2-dev libcurl4-openssl-dev
  # TLS checks of the Engine client (tests/engine/module.sh): a test CA and server certificate
  openssl
  # real glusterd in network namespaces (drift/teardown suites 70 and 72, tests/labs/lab.sh)
  glusterfs-server
  # tests/lvmlab (make test-lvm): real LVM thin pools in User-Mode Linux (the host kernel has no device-mapper): UML kernel + dm modules, modprobe, thin_check
  user-mode-linux kmod thin-provisioning-tools
)
# Daemons the lab packages enable at install time: the lab starts its own inside namespaces,
# nothing of them may run (or bind 445/139/111/2049) on the host.
lab_units=(smbd nmbd samba-ad-dc ctdb nfs-ganesha nfs-ganesha-lock rpcbind.service rpcbind.socket glusterd)

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
  # No daemon may start on the host while packages install (the lab's run in namespaces): a
  # temporary policy-rc.d, unless the machine already has one.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # The downloaded .deb files are deleted once installed (a CI machine's disk may be small);
  # packages the machine had downloaded before stay.
  apt-get install -y -qq --no-install-recommends -o APT::Keep-Downloaded-Packages=false "${missing[@]}" >/dev/null
fi
# `disable` works offline (symlinks); `stop` only where systemd runs.
for unit in "${lab_units[@]}"; do
  systemctl disable --quiet "$unit" 2>/dev/null || true
done
if [ -d /run/systemd/system ]; then
  systemctl stop "${lab_units[@]}" 2>/dev/null || true
fi
