# Scenario `bigpool` (bash, sourced in the guest): the LVM lines of the expansion's backend
# section for one new 4 TB disk (pool metadata at its 16 GiB cap, a 3.7 TiB pool, TB-sized thin
# LVs). Only pvcreate/vgcreate/lvcreate run: mkfs.xfs of TB-sized LVs would write GiBs of log
# into the sparse files; the filesystem lines are run for real by `lifecycle`.
# Then the hvp_storage_teardown module (not the commands) removes it: check mode, a real run,
# and a second run that must change nothing.
step keep-pv pvcreate /dev/ubdf
step keep-vg vgcreate labkeep /dev/ubdf
step keep-lv lvcreate -y -L 64m -n keep labkeep
run_section big "$IN/big-lvm.sh"
report big
module teardown-check hvp_storage_teardown "$IN/big-teardown-check.args"
report big-checked
module teardown-run hvp_storage_teardown "$IN/big-teardown.args"
report big-torndown
module teardown-again hvp_storage_teardown "$IN/big-teardown.args"

# LVM's own limits that hvp's capacity model and its E009 check rely on, on the freed 4 TB disk:
# metadata at LVM's maximum usable size without reduction, chunks a multiple of 64 KiB from
# 64 KiB to 1 GiB.
step probe-pv pvcreate /dev/ubdd
step probe-vg vgcreate labprobe /dev/ubdd
step probe-meta-max lvcreate -y --type thin-pool -L 100g --poolmetadatasize 16256m --chunksize 256k --zero n -n meta_max labprobe
step probe-meta-16g lvcreate -y --type thin-pool -L 100g --poolmetadatasize 16g --chunksize 256k --zero n -n meta_16g labprobe
expect_fail probe-chunk-96k lvcreate -y --type thin-pool -L 1g --chunksize 96k -n chunk_96k labprobe
step probe-chunk-64k lvcreate -y --type thin-pool -L 1g --chunksize 64k -n chunk_64k labprobe
step probe-chunk-1g lvcreate -y --type thin-pool -L 8g --chunksize 1g -n chunk_1g labprobe
expect_fail probe-chunk-2g lvcreate -y --type thin-pool -L 8g --chunksize 2g -n chunk_2g labprobe
report probe
step probe-vgremove vgremove -y labprobe
step probe-pvremove pvremove -y /dev/ubdd

# How much pool data a chunk size can address: an 80 TiB sparse file on the guest's tmpfs as a
# loop device (guest-only; ext4 on the host caps files at 16 TiB; the lab's lvm.conf accepts
# /dev/loop0). First the pool, PV, VG and LVs hvp plans for an 80 TiB disk (huge-lvm.sh: the
# LVM lines of `lvmlab.py apply-plan`, no mkfs), then LVM's own rule.
step huge-file truncate -s 80T /run/huge.img
step huge-loop losetup /dev/loop0 /run/huge.img
run_section huge "$IN/huge-lvm.sh"
report huge
step huge-vgremove sh -c 'vgremove -y $(vgs --noheadings -o vg_name -S pv_name=/dev/loop0)'
step huge-pv pvcreate -y /dev/loop0
step huge-vg vgcreate labhuge /dev/loop0
expect_fail huge-pool-256k lvcreate -y --type thin-pool -L 70t --chunksize 256k --zero n -n pool_256k labhuge
step huge-pool-512k lvcreate -y --type thin-pool -L 70t --chunksize 512k --zero n -n pool_512k labhuge
report huge-probe
step huge-probe-vgremove vgremove -y labhuge
step huge-pvremove pvremove -y /dev/loop0
step huge-unloop losetup -d /dev/loop0
rm -f /run/huge.img
