# Scenario `bigpool` (bash, sourced in the guest): the LVM lines of the expansion's backend
# section for one new 4 TB disk (pool metadata at its 16 GiB cap, a 3.7 TiB pool, TB-sized thin
# LVs). Only pvcreate/vgcreate/lvcreate run: mkfs.xfs of TB-sized LVs would write GiBs of log
# into the sparse files; the filesystem lines are run for real by `lifecycle`.
run_section big "$IN/big-lvm.sh"
report big
