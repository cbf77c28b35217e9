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
