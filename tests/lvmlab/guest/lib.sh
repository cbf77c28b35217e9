# Step and report helpers of the lvmlab guest (bash, sourced by stage2.sh).
# Every step appends `name<TAB>rc<TAB>seconds<TAB>command` to $OUT/steps.tsv, its output to
# $OUT/steps.log, and prints `LAB step NAME rc=N` on the console. A failed step counts in
# fails.txt unless it was expected to fail (expect_fail).

lab_fails=0

# step NAME COMMAND… — run a command as one step.
# (No `date` or `awk` per step: every exec costs ~0.1 s under UML's ptrace.)
step() {
  local name=$1 start rc elapsed
  shift
  start=${EPOCHREALTIME/./}
  printf '### %s: %s\n' "$name" "$*" >>"$OUT/steps.log"
  "$@" >>"$OUT/steps.log" 2>&1
  rc=$?
  elapsed=$(((${EPOCHREALTIME/./} - start) / 10000))
  printf '%s\t%s\t%d.%02d\t%s\n' "$name" "$rc" $((elapsed / 100)) $((elapsed % 100)) "$*" >>"$OUT/steps.tsv"
  echo "LAB step $name rc=$rc"
  [ "$rc" -eq 0 ] || lab_fails=$((lab_fails + 1))
  return "$rc"
}

# run_section NAME FILE [FROM] — run a file of shell lines (hvp's `commands` output for one
# node) one line per step from line FROM (default 1), comments skipped, stopping at the first
# failing line as `bash -e` would (its number in NAME.failed, in $failed_line). Each line runs
# in a subshell (`eval`), as its own `bash -c` would, without the exec.
run_section() {
  local name=$1 file=$2 from=${3:-1} number=0 line
  failed_line=
  rm -f "$OUT/$name.failed"
  while IFS= read -r line || [ -n "$line" ]; do
    number=$((number + 1))
    [ "$number" -ge "$from" ] || continue
    case $line in '' | '#'*) continue ;; esac
    if ! step "$name:$number" eval_line "$line"; then
      failed_line=$number
      echo "$number" >"$OUT/$name.failed"
      return 1
    fi
  done <"$file"
}

eval_line() { (eval "$1"); }

# report NAME — the live LVM state, mounts, fstab and signatures as $OUT/NAME.*
report() {
  local name=$1 disk
  lvs -a --reportformat json --units b --nosuffix \
    -o lv_name,vg_name,lv_size,pool_lv,lv_attr,segtype,lv_metadata_size,chunk_size,data_percent,lv_active \
    >"$OUT/$name.lvs.json" 2>>"$OUT/steps.log"
  vgs --reportformat json --units b --nosuffix \
    -o vg_name,vg_size,vg_free,vg_extent_size,vg_extent_count,vg_free_count,pv_count,lv_count \
    >"$OUT/$name.vgs.json" 2>>"$OUT/steps.log"
  pvs --reportformat json --units b --nosuffix \
    -o pv_name,vg_name,pv_size,pv_free,pe_start,dev_size \
    >"$OUT/$name.pvs.json" 2>>"$OUT/steps.log"
  cat /proc/self/mountinfo >"$OUT/$name.mountinfo"
  cp /etc/fstab "$OUT/$name.fstab"
  : >"$OUT/$name.wipefs"
  : >"$OUT/$name.blkid"
  for disk in /dev/ubd[b-z]; do
    [ -b "$disk" ] || continue
    wipefs -n -J "$disk" >"$OUT/$name.wipefs.$(basename "$disk").json" 2>>"$OUT/steps.log"
    printf '%s %s\n' "$disk" "$(blkid -p -o export "$disk" 2>/dev/null | tr '\n' ' ')" >>"$OUT/$name.blkid"
  done
  echo "LAB report $name"
}

# module NAME BINARY ARGS — run an hvp Ansible binary module from $IN with its JSON arguments
# file; its result JSON goes to $OUT/NAME.json.
module() {
  step "$1" sh -c '"$IN/$1" "$2" >"$3"' module "$2" "$3" "$OUT/$1.json"
}
# (`drift NAME ARGS` = `module NAME hvp_storage_drift ARGS`.)

# xfs_report NAME — `xfs_info` of the first XFS mounted under /gluster_bricks from each VG
# (/dev/mapper/VG-LV; one per VG: xfs_info costs several execs), as $OUT/NAME.xfs_info
# (`=== MOUNTPOINT` before each).
xfs_report() {
  local mount_point
  : >"$OUT/$1.xfs_info"
  awk '{ for (i = 7; i < NF; i++) if ($i == "-") break; vg = $(i + 2); sub(/-[^-]*$/, "", vg) }
       $(i + 1) == "xfs" && $5 ~ "^/gluster_bricks/" && !seen[vg]++ { print $5 }' /proc/self/mountinfo |
  while read -r mount_point; do
    printf '=== %s\n' "$mount_point" >>"$OUT/$1.xfs_info"
    xfs_info "$mount_point" >>"$OUT/$1.xfs_info" 2>&1
  done
}

# drift NAME ARGS — run the hvp_storage_drift module binary (an Ansible binary module: argv[1]
# is the path of its JSON arguments file); its result JSON goes to $OUT/NAME.json.
drift() {
  module "$1" hvp_storage_drift "$2"
}

# expect_fail NAME COMMAND… — a step that must fail (e.g. a guard line); counts as failed when
# it succeeds.
expect_fail() {
  local name=$1 rc
  shift
  printf '### %s (must fail): %s\n' "$name" "$*" >>"$OUT/steps.log"
  "$@" >>"$OUT/steps.log" 2>&1
  rc=$?
  printf '%s\t%s\t0\t(must fail) %s\n' "$name" "$rc" "$*" >>"$OUT/steps.tsv"
  echo "LAB step $name rc=$rc (must fail)"
  [ "$rc" -ne 0 ] || lab_fails=$((lab_fails + 1))
}

lab_finish() {
  sync
  echo "$lab_fails" >"$OUT/fails.txt"
  echo "LAB done rc=$lab_fails"
}
