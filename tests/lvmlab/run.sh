#!/usr/bin/env bash
# tests/lvmlab/run.sh — hvp's LVM plans on real LVM: device-mapper thin pools inside User-Mode
# Linux (the host kernel has no device-mapper). See docs/lvm-lab.md.
#
# Each boot: sparse files become the guest's ubd disks, the guest (host root read-only through
# hostfs, run as `nobody`, pinned to one core) loads dm-thin-pool, runs a scenario with a private
# lvm.conf and writes its results (steps, lvs/vgs/pvs JSON, mountinfo, fstab, wipefs, the drift
# module's answers) into the run directory through hostfs. This script makes the scenario's
# inputs from hvp's outputs only and checks the results (lvmlab.py).
#
# Environment: LVMLAB_BIN (hvp-gdeploy-gen, hvp-teardown, hvp_storage_drift; default
# target/x86_64-unknown-linux-gnu/release), LVMLAB_CPU (core of the first boot, default 0; the
# others take the next cores),
# LVMLAB_TIMEOUT (seconds per boot, default 180), LVMLAB_KEEP=1 (keep the run directory),
# LVMLAB_STRICT_METADATA=1 (pool metadata must be exactly as planned: fails while the planner
# asks for more than LVM's maximum, docs/lvm-lab.md),
# LVMLAB_SCENARIOS (default "lifecycle bigpool").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${LVMLAB_BIN:-$repo/target/x86_64-unknown-linux-gnu/release}
cpu=${LVMLAB_CPU:-0}
boot_timeout=${LVMLAB_TIMEOUT:-180}
scenarios=${LVMLAB_SCENARIOS:-lifecycle bigpool}
node=node0.lab.private
GIB=$((1024 * 1024 * 1024))

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP tests/lvmlab: needs root (UML runs as nobody from a directory root prepares)"
  exit 0
fi
missing=()
for tool in linux.uml setpriv taskset modprobe python3 lvm mkfs.xfs thin_check wipefs blkid; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
for tool in hvp-gdeploy-gen hvp-teardown hvp_storage_drift hvp_storage_teardown; do
  [ -x "$bin/$tool" ] || missing+=("$bin/$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "FAIL tests/lvmlab: missing ${missing[*]} (make deps modules)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/lvmlab.XXXXXX)
declare -A uml_pid=() boot_started=()
cleanup() {
  local name pid
  for name in "${!uml_pid[@]}"; do
    pid=${uml_pid[$name]}
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || true
      sleep 1
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  done
  if [ -n "${LVMLAB_KEEP:-}" ]; then
    echo "lvmlab: kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 0755 "$work"
failures=0
check() { # check LVMLAB.PY-ARGS… — one group of checks; counts a failure, goes on
  if ! python3 "$here/lvmlab.py" "$@"; then failures=$((failures + 1)); fi
}

# ---------------------------------------------------------------- inputs, from hvp only
inputs=$work/inputs
mkdir -p "$inputs"
recorded_facts=$here/facts/recorded-3nodes.json
expand_facts=$here/facts/expand-new-disks.json
big_facts=$here/facts/expand-big-disk.json
huge_facts=$here/facts/huge-disk.json
"$bin/hvp-gdeploy-gen" --policy balanced --format json "$recorded_facts" >"$inputs/plan.json" 2>"$inputs/plan.warnings"
"$bin/hvp-gdeploy-gen" --existing "$inputs/plan.json" "$expand_facts" --format commands >"$inputs/expand-all.sh"
"$bin/hvp-gdeploy-gen" --existing "$inputs/plan.json" "$expand_facts" --format json >"$inputs/merged.json"
"$bin/hvp-teardown" "$inputs/merged.json" --format commands >"$inputs/teardown-all.sh"
python3 "$here/lvmlab.py" apply-plan "$inputs/plan.json" "$node" >"$inputs/recorded.sh"
python3 "$here/lvmlab.py" section "$inputs/expand-all.sh" "$node" >"$inputs/expand.sh"
python3 "$here/lvmlab.py" section "$inputs/teardown-all.sh" "$node" >"$inputs/teardown.sh"
python3 "$here/lvmlab.py" drift-args "$inputs/plan.json" "$node" "$inputs/drift-recorded.args"
python3 "$here/lvmlab.py" drift-args "$inputs/merged.json" "$node" "$inputs/drift-merged.args"
python3 "$here/lvmlab.py" induce "$inputs/plan.json" "$inputs/merged.json" "$node" >"$inputs/induce.env"
# bigpool: a 4 TB new disk; only its section's LVM lines (see scenarios/bigpool.sh).
"$bin/hvp-gdeploy-gen" --existing "$inputs/plan.json" "$big_facts" --format commands >"$inputs/big-all.sh"
"$bin/hvp-gdeploy-gen" --existing "$inputs/plan.json" "$big_facts" --format json >"$inputs/big-merged.json"
python3 "$here/lvmlab.py" section "$inputs/big-all.sh" "$node" | grep -E '^(pvcreate|vgcreate|lvcreate) ' >"$inputs/big-lvm.sh"
python3 "$here/lvmlab.py" drift-args "$inputs/big-merged.json" "$node" "$inputs/big-teardown-check.args" check
python3 "$here/lvmlab.py" drift-args "$inputs/big-merged.json" "$node" "$inputs/big-teardown.args"
# bigpool: hvp's fresh plan for 80 TiB disks (named loop0: the guest's loop device on tmpfs).
"$bin/hvp-gdeploy-gen" --policy balanced --format json "$huge_facts" >"$inputs/huge-plan.json" 2>"$inputs/huge-plan.warnings"
python3 "$here/lvmlab.py" apply-plan "$inputs/huge-plan.json" "$node" | grep -E '^(pvcreate|vgcreate|lvcreate) ' >"$inputs/huge-lvm.sh"
cp "$bin/hvp_storage_drift" "$bin/hvp_storage_teardown" "$inputs/"

# boot_start NAME CPU FACTS… — start one UML boot running scenarios/NAME.sh on core CPU; the
# disks are the node's disks in the FACTS documents plus ubdf.
boot_start() {
  local name=$1 scenario=$1 cpu=$2 run
  shift 2
  run=$work/$name
  mkdir -p "$run/out" "$run/umldir" "$run/guest"
  cp "$here"/guest/{init.sh,stage2.sh,lib.sh,lvm.conf} "$here/scenarios/$scenario.sh" "$run/guest/"
  cp -r "$inputs" "$run/guest/in"
  # /dev/ubdX is the file ubdX.img as ubdN (b = 1): the node's disks in the facts (recorded and
  # new, sparse, of the facts' sizes), 1 GiB for a letter they do not use, and ubdf, 1 GiB,
  # which no plan has.
  local disk size ubd=()
  while read -r disk size; do
    truncate -s "$size" "$run/$disk.img"
  done < <(python3 "$here/lvmlab.py" disks "$node" "$@")
  truncate -s "$GIB" "$run/ubdf.img"
  for disk in b c d e f; do
    [ -e "$run/ubd$disk.img" ] || truncate -s "$GIB" "$run/ubd$disk.img"
    ubd+=("ubd$(($(printf '%d' "'$disk") - 97))=$run/ubd$disk.img")
  done
  chown -R nobody:nogroup "$run"
  boot_started[$name]=$(date +%s.%N)
  # Its own process group (setsid): the cleanup stops exactly this UML and its helpers.
  TMPDIR=/dev/shm setsid timeout -k 5 "$boot_timeout" taskset -c "$cpu" \
    setpriv --reuid=nobody --regid=nogroup --clear-groups \
    linux.uml mem=768M root=/dev/root rootfstype=hostfs rootflags=/ ro \
    uml_dir="$run/umldir" "${ubd[@]}" \
    init="$run/guest/init.sh" lab_out="$run/out" lab_dir="$run/guest" lab_script="$scenario.sh" \
    con=null con0=null,fd:1 ssl=null </dev/null >"$run/console.log" 2>&1 &
  uml_pid[$name]=$!
}

# wait_all — wait for every boot, noting each one's exit status and wall time as it ends.
declare -A boot_rc=() boot_seconds=()
wait_all() {
  local finished name rc
  while [ "${#uml_pid[@]}" -gt 0 ]; do
    rc=0
    wait -n -p finished "${uml_pid[@]}" || rc=$?
    for name in "${!uml_pid[@]}"; do
      [ "${uml_pid[$name]}" = "$finished" ] || continue
      boot_rc[$name]=$rc
      boot_seconds[$name]=$(awk -v a="${boot_started[$name]}" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
      unset "uml_pid[$name]"
    done
  done
}

# boot_result NAME — fails when the guest did not finish (`LAB done`).
boot_result() {
  local name=$1 run=$work/$1 rc=${boot_rc[$1]}
  printf 'lvmlab: boot %s exit %s, %s s wall, the run directory holds %s\n' "$name" "$rc" \
    "${boot_seconds[$name]}" "$(du -sh "$run" | cut -f1)"
  if ! grep -q '^LAB done rc=' "$run/console.log"; then
    echo "FAIL: boot $name: no 'LAB done' line (exit $rc; timeout $boot_timeout s?); console:" >&2
    grep -v '^ *\[<' "$run/console.log" | tail -n 40 >&2
    failures=$((failures + 1))
    return 1
  fi
  grep -E '^LAB (step|done)' "$run/console.log" | grep -v ' rc=0' || true
}

# ---------------------------------------------------------------- scenarios
# All boots start at once, one core each in turn (UML is one vCPU; unpinned it is 2× slower).
cores=$(nproc)
index=0
for scenario in $scenarios; do
  case $scenario in
    lifecycle) boot_start lifecycle $(((cpu + index) % cores)) "$recorded_facts" "$expand_facts" ;;
    bigpool) boot_start bigpool $(((cpu + index) % cores)) "$recorded_facts" "$big_facts" ;;
    *) echo "FAIL: unknown scenario $scenario" >&2; failures=$((failures + 1)); continue ;;
  esac
  index=$((index + 1))
done
wait_all
for scenario in $scenarios; do
  [ -n "${boot_rc[$scenario]:-}" ] || continue
  boot_result "$scenario" || continue
  case $scenario in
    lifecycle)
      out=$work/lifecycle/out
      check steps "$out" allow-stops
      echo "== the recorded plan's objects of $node on real LVM"
      check check-lvm "$inputs/plan.json" "$node" "$out/recorded"
      check check-drift "$out/drift-recorded.json"
      echo "== the expansion's backend section on real LVM (merged plan: old and new VGs)"
      check check-lvm "$inputs/merged.json" "$node" "$out/expanded"
      check check-xfs "$inputs/merged.json" "$node" "$out/expanded.xfs_info"
      check check-drift "$out/drift-merged.json"
      mapfile -t expected < <(python3 "$here/lvmlab.py" new-vgs "$inputs/plan.json" "$inputs/merged.json" "$node")
      check check-drift "$out/drift-old-plan.json" "${expected[@]}"
      echo "== induced drift"
      mapfile -t expected < <(python3 "$here/lvmlab.py" induced-drift "$inputs/induce.env")
      check check-drift "$out/drift-induced.json" "${expected[@]}"
      echo "== teardown"
      check check-stops "$out" "$inputs/induce.env"
      check check-gone "$inputs/merged.json" "$node" "$out/torndown" labkeep ubdf
      ;;
    bigpool)
      out=$work/bigpool/out
      check steps "$out"
      echo "== the expansion's LVM lines for a 4 TB disk on real LVM"
      big_vgs=$(python3 "$here/lvmlab.py" new-vgs "$inputs/plan.json" "$inputs/big-merged.json" "$node" | sed 's/^vg_extra:vg //' | paste -sd,)
      check check-lvm "$inputs/big-merged.json" "$node" "$out/big" "$big_vgs" no-mounts
      echo "== hvp_storage_teardown module: check mode lists and changes nothing, a run removes, a second run changes nothing"
      check check-module "$out/teardown-check.json" changed "wipefs -a /dev/ubdd" "vgremove -y gluster_vg_ubdd" '!ubdf' '!labkeep'
      check check-lvm "$inputs/big-merged.json" "$node" "$out/big-checked" "$big_vgs" no-mounts
      check check-module "$out/teardown-run.json" changed "pvremove -y /dev/ubdd"
      check check-gone "$inputs/big-merged.json" "$node" "$out/big-torndown" labkeep ubdf
      check check-module "$out/teardown-again.json" unchanged
      echo "== LVM's limits: thin metadata maximum, chunk sizes, what a chunk addresses"
      check check-probe "$out"
      echo "== hvp's plan for an 80 TiB disk (pool beyond what a 256 KiB chunk addresses) on real LVM"
      check check-lvm "$inputs/huge-plan.json" "$node" "$out/huge" "" no-mounts
      ;;
  esac
done

if [ "$failures" -ne 0 ]; then
  echo "FAIL tests/lvmlab: $failures check group(s) failed (LVMLAB_KEEP=1 keeps $work)" >&2
  exit 1
fi
echo "PASS tests/lvmlab"
