#!/usr/bin/env bash
# hvp_free_disks on real loop devices made from sparse files: a clean one is free; one with a
# partition table, one with a filesystem, one mounted, one LVM PV, one swap area (never
# activated), one read-only and one below the minimum size are each refused with the right
# reason; a non-rotational one follows accept_ssds; absent
# LVM tools mean no members, failing ones fail the module. Creates and detaches only its own
# loop devices (trap), touches no other disk; LVM runs with a private LVM_SYSTEM_DIR whose
# filter accepts only the one loop device.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

for tool in losetup truncate sfdisk mkfs.ext4 mkswap mount umount pvcreate blkid lsblk sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install util-linux fdisk e2fsprogs lvm2"
done

work=$(mktemp -d /tmp/hvp-free-disks.XXXXXX)
loops=()        # the loop devices this suite attached, and only those
mounted=()      # the mount points this suite mounted
cleanup() {
    local status=$?
    for point in "${mounted[@]}"; do umount "$point" || echo "cleanup: cannot unmount $point" >&2; done
    for dev in "${loops[@]}"; do
        # Detach only if it still is our loop device (backed by a file in our directory).
        if [[ $(losetup --list --noheadings --output BACK-FILE "$dev" 2>/dev/null) == "$work"/* ]]; then
            losetup --detach "$dev" || echo "cleanup: cannot detach $dev" >&2
        fi
    done
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

# attach VAR NAME SIZE [losetup options]: a sparse file $work/NAME.img on a new loop device,
# recorded in `loops`; sets VAR to the device name without /dev/. (Not in a subshell, so
# that the record reaches the cleanup.)
attach() {
    local var=$1 name=$2 size=$3
    shift 3
    [[ -e $work/$name.img ]] || truncate -s "$size" "$work/$name.img"
    local dev
    dev=$(losetup --find --show "$@" "$work/$name.img")
    loops+=("$dev")
    printf -v "$var" '%s' "${dev#/dev/}"
}

truncate -s 120G "$work/parted.img"
printf 'label: gpt\nsize=1GiB, type=linux\n' | sfdisk --quiet "$work/parted.img"
truncate -s 120G "$work/fs.img" "$work/mounted.img" "$work/swap.img"
mkfs.ext4 -F -q "$work/fs.img"
mkfs.ext4 -F -q "$work/mounted.img"
mkswap --quiet "$work/swap.img"

attach clean clean 120G
attach ssd ssd 120G
attach parted parted 120G --partscan
attach fs fs 120G
attach mnt mounted 120G
attach pv pv 120G
attach swap swap 120G
attach small small 50G
attach readonly_dev readonly 120G --read-only
# The loop driver lets root declare a loop device non-rotational, as an SSD.
echo 0 > "/sys/block/$ssd/queue/rotational"

mkdir "$work/mnt"
mount "/dev/$mnt" "$work/mnt"
mounted+=("$work/mnt")

mkdir -p "$work/lvm"
cat > "$work/lvm/lvm.conf" <<CONF
devices {
    obtain_device_list_from_udev = 0
    use_devicesfile = 0
    filter = [ "a|^/dev/$pv\$|", "r|.*|" ]
    global_filter = [ "a|^/dev/$pv\$|", "r|.*|" ]
}
activation { udev_sync = 0 udev_rules = 0 }
global { locking_dir = "$work/lvm/lock" }
backup { backup = 0 archive = 0 }
CONF
LVM_SYSTEM_DIR=$work/lvm LVM_SUPPRESS_FD_WARNINGS=1 pvcreate --quiet --yes "/dev/$pv" >/dev/null
[[ $(blkid -p -o value -s TYPE "/dev/$pv") == LVM2_member ]] || fail "pvcreate left no PV on /dev/$pv"

# A real LVM that fails: a configuration it cannot parse.
mkdir -p "$work/lvm-broken"
echo 'devices { filter = [ "a|x|" ' > "$work/lvm-broken/lvm.conf"
# A PATH with the util-linux tools but no LVM, as on a node without lvm2.
mkdir -p "$work/bin-no-lvm"
for tool in lsblk blkid; do ln -s "$(command -v $tool)" "$work/bin-no-lvm/$tool"; done

partitions_expected=false
[[ -e /sys/block/$parted/${parted}p1 ]] && partitions_expected=true

fingerprint() {
    for dev in "${loops[@]}"; do echo "$dev $(head -c 4M "$dev" | sha256sum)"; done
}
before=$(fingerprint)

cat > "$work/vars.json" <<JSON
{
  "loops": {"clean": "$clean", "ssd": "$ssd", "parted": "$parted", "fs": "$fs",
            "mounted": "$mnt", "pv": "$pv", "swap": "$swap", "small": "$small", "readonly": "$readonly_dev"},
  "mountpoint": "$work/mnt",
  "lvm_dir": "$work/lvm",
  "lvm_broken_dir": "$work/lvm-broken",
  "path_without_lvm": "$work/bin-no-lvm",
  "partitions_expected": $partitions_expected
}
JSON

play free_disks.yml -e "@$work/vars.json"
play free_disks.yml -e "@$work/vars.json" --check

[[ $(fingerprint) == "$before" ]] || fail "the first 4 MiB of a loop device changed while probing"
for dev in "${loops[@]}"; do
    [[ $(losetup --list --noheadings --output BACK-FILE "$dev") == "$work"/* ]] || fail "$dev was detached or changed"
done
echo "10-free-disks: OK"
