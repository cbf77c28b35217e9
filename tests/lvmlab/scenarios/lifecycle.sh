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
step keep-lv lvcreate -y -L 64m -n keep labkeep
step keep-fs mkfs.xfs -q /dev/labkeep/keep

# 1. The recorded plan's objects, then the expansion's backend section, exactly as hvp wrote it.
run_section recorded "$IN/recorded.sh"
report recorded
drift drift-recorded "$IN/drift-recorded.args"
run_section expand "$IN/expand.sh"
report expanded
drift drift-merged "$IN/drift-merged.args"
# The expanded node against the plan before the expansion: the new VGs are extra.
drift drift-old-plan "$IN/drift-recorded.args"

# 2. Induced drift: a brick unmounted, a thin LV grown by one extent, an LV hvp did not plan in
# a planned pool (names chosen on the host from the merged plan: $IN/induce.env).
. "$IN/induce.env"
step induce-umount umount "$umount_mount"
step induce-extend lvextend -y -L "+4m" "$extend_lv"
step induce-extra lvcreate -y -V 1g -T "$extra_pool" -n lab_extra
report drifted
drift drift-induced "$IN/drift-merged.args"

# 3. Teardown: hvp's lines in order. The pool holding lab_extra must stop it (guard line); the
# operator removes the stranger and continues from the failed line.
if run_section teardown "$IN/teardown.sh"; then
  echo "LAB teardown did not stop at the guard"
  lab_fails=$((lab_fails + 1))
else
  lab_fails=$((lab_fails - 1))   # the guard's failure is the expected one
  guard_line=$(($(tail -n 1 "$OUT/teardown.done" 2>/dev/null || echo 0) + 1))
  report guarded
  step remove-extra lvremove -y "${extra_pool%/*}/lab_extra"
  run_section teardown-rest "$IN/teardown.sh" "$guard_line"
fi
report torndown
step keep-still-there lvs labkeep/keep
