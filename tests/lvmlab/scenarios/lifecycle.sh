# Scenario `lifecycle` (bash, sourced in the guest): one node's whole life on real LVM.
# Inputs in $IN (made on the host from hvp's outputs, see run.sh):
#   recorded.sh  the recorded (fresh balanced) plan's objects of the node, by lvmlab.py apply-plan
#   expand.sh    the node's section of `hvp-gdeploy-gen --existing PLAN FACTS --format commands`
#   teardown.sh  the node's section of `hvp-teardown MERGED --format commands`
#   drift-*.args hvp_storage_drift arguments (recorded plan / merged plan, this node)
# Disks: ubdb ubdc (recorded), ubdd ubde (new), ubdf (not in any plan: VG labkeep).

# A disk and VG the plan does not have: nothing of hvp may touch them.
step keep-pv pvcreate /dev/ubdf
step keep-vg vgcreate labkeep /dev/ubdf
step keep-lv lvcreate -y -L 320m -n keep labkeep
step keep-fs mkfs.xfs -q /dev/labkeep/keep

# 1. The recorded plan's objects, then the expansion's backend section, exactly as hvp wrote it.
run_section recorded "$IN/recorded.sh"
report recorded
drift drift-recorded "$IN/drift-recorded.args"
run_section expand "$IN/expand.sh"
report expanded
xfs_report expanded
drift drift-merged "$IN/drift-merged.args"
# The expanded node against the plan before the expansion: the new VGs are extra.
drift drift-old-plan "$IN/drift-recorded.args"

# 2. Induced drift (names chosen on the host from the merged plan: $IN/induce.env): a brick
# unmounted, a planned LV removed, a thin LV grown by one extent, an LV hvp did not plan in a
# planned pool.
. "$IN/induce.env"
step induce-umount umount "$umount_mount"
step induce-umount-removed umount "$remove_mount"
step induce-remove lvremove -y "$remove_lv"
step induce-extend lvextend -y -L "+4m" "$extend_lv"
step induce-extra lvcreate -y -V 1g -T "$extra_pool" -n lab_extra
report drifted
drift drift-induced "$IN/drift-merged.args"

# 3. Teardown: hvp's lines in order, stopping at the first failing line; the operator deals with
# the cause and continues. Expected (checked on the host, lvmlab.py check-teardown-stops):
# stop 1 at `lvremove` of the LV removed above (already gone: continue after it), stop 2 at the
# guard of the pool holding lab_extra (remove it: continue with the guard), then to the end.
if ! run_section teardown "$IN/teardown.sh"; then
  lab_fails=$((lab_fails - 1))
  if ! run_section teardown-2 "$IN/teardown.sh" $((failed_line + 1)); then
    lab_fails=$((lab_fails - 1))
    report guarded
    step remove-extra lvremove -y "$extra_lv"
    run_section teardown-3 "$IN/teardown.sh" "$failed_line"
  fi
fi
report torndown
step keep-still-there lvs labkeep/keep
