#!/usr/bin/env bash
# hvp_cache_partitions on real loop devices made from sparse files (attached with --partscan,
# detached by the trap): a blank disk gets exactly the planned GPT partitions (checked with
# sfdisk --json), the second run changes nothing, check mode on a blank disk writes nothing,
# and a disk with other partitions or a filesystem is refused and left as it was. Touches only
# its own loop devices.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
[[ -x library/hvp_cache_partitions ]] || fail "library/hvp_cache_partitions is missing: run make modules"
for tool in losetup truncate sfdisk blkid mkfs.ext4 jq sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install util-linux fdisk e2fsprogs jq"
done

work=$(mktemp -d /tmp/hvp-cache-partitions.XXXXXX)
loops=()
cleanup() {
    local status=$?
    for dev in "${loops[@]}"; do
        if [[ $(losetup --list --noheadings --output BACK-FILE "$dev" 2>/dev/null) == "$work"/* ]]; then
            losetup --detach "$dev" || echo "cleanup: cannot detach $dev" >&2
        fi
    done
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

# attach VAR NAME: a sparse 2 GiB file on a new loop device with partition scanning.
attach() {
    local var=$1 name=$2
    [[ -e $work/$name.img ]] || truncate -s 2G "$work/$name.img"
    local dev
    dev=$(losetup --find --show --partscan "$work/$name.img")
    loops+=("$dev")
    printf -v "$var" '%s' "$dev"
}

# partitions FILE DISK SIZE_MIB...: the hvp_cache_partitions list for DISK.
partitions() {
    local file=$1 disk=$2
    shift 2
    local number=0 entries=()
    for mib in "$@"; do
        number=$((number + 1))
        entries+=("{\"disk\": \"$disk\", \"device\": \"${disk}p$number\", \"size_bytes\": $((mib * 1048576))}")
    done
    (IFS=,; echo "[${entries[*]}]") > "$file"
}

attach blank blank
attach fresh fresh
attach other other
attach fs fs
printf 'label: gpt\nsize=100MiB, type=linux\n' | sfdisk --quiet "$other"
mkfs.ext4 -F -q "$fs"

# Check mode on a blank disk: reports a change, writes nothing.
partitions "$work/fresh.json" "$fresh" 600 700 500
play cache_partitions.yml --check -e "partitions_file=$work/fresh.json out=$work/check.json"
[[ $(jq -r .changed "$work/check.json") == true ]] || fail "check mode should report a change"
blkid -p "$fresh" >/dev/null 2>&1 && fail "check mode wrote to $fresh"

# First run: exactly the planned partitions.
partitions "$work/blank.json" "$blank" 600 700 500
play cache_partitions.yml -e "partitions_file=$work/blank.json out=$work/first.json"
[[ $(jq -r .changed "$work/first.json") == true ]] || fail "the first run should change"
table=$(sfdisk --json "$blank")
[[ $(jq -r .partitiontable.label <<<"$table") == gpt ]] || fail "no GPT on $blank"
got=$(jq -c '[.partitiontable.partitions[] | [.start, .size]]' <<<"$table")
want='[[2048,1228800],[1230848,1433600],[2664448,1024000]]'
[[ $got == "$want" ]] || fail "partitions $got, planned $want"
for number in 1 2 3; do [[ -b ${blank}p$number ]] || fail "${blank}p$number was not created"; done
fingerprint=$(head -c 2M "$blank" | sha256sum)

# Second run: nothing changes.
play cache_partitions.yml -e "partitions_file=$work/blank.json out=$work/second.json"
[[ $(jq -r .changed "$work/second.json") == false ]] || fail "the second run changed something"
[[ $(jq -r '.disks[0].action' "$work/second.json") == present ]] || fail "second run: not present"
[[ $(head -c 2M "$blank" | sha256sum) == "$fingerprint" ]] || fail "the second run wrote to $blank"

# Other partitions, or a filesystem: refused, untouched.
for disk in "$other" "$fs"; do
    name=$(basename "$disk")
    partitions "$work/$name.json" "$disk" 600 700
    before=$(head -c 4M "$disk" | sha256sum)
    play cache_partitions.yml -e "partitions_file=$work/$name.json out=$work/$name.out expect_failure=true"
    [[ $(jq -r .failed "$work/$name.out") == true ]] || fail "$disk should be refused"
    jq -r .msg "$work/$name.out" | grep -q "refusing to partition" || fail "$disk: $(jq -r .msg "$work/$name.out")"
    [[ $(head -c 4M "$disk" | sha256sum) == "$before" ]] || fail "$disk was changed"
done
echo "26-cache-partitions: OK"
