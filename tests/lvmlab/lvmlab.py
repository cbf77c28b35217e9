#!/usr/bin/env python3
"""Host-side helper of the lvmlab harness (tests/lvmlab): cuts hvp's command outputs into
node sections, writes the drift module's arguments file, and checks what the guest brought
back (real `lvs`/`vgs`/`pvs --reportformat json`, mountinfo, fstab, wipefs) against the plan
JSON. Its own code: it reads hvp's outputs and LVM's, never hvp's types.

Every check prints `ok: …` or `FAIL: …`; the exit status is 1 when any check failed.
"""

import json
import os
import re
import sys
from pathlib import Path

MIB = 1024 * 1024
FAILS = []
# LVM's largest usable thin-pool metadata (lvm2 DM_THIN_MAX_METADATA_SIZE: 255 × 16320 blocks of
# 4 KiB = 16256.25 MiB); `lvcreate --poolmetadatasize` above it prints "Reducing pool metadata
# size 16.00 GiB to maximum usable size <15.88 GiB" and allocates this, rounded up to extents.
THIN_METADATA_MAX = 255 * 16320 * 4096


def lvm_metadata(planned, extent):
    """The metadata size LVM allocates for a planned one (its clamp, in whole extents)."""
    if planned <= THIN_METADATA_MAX:
        return planned
    return -(-THIN_METADATA_MAX // extent) * extent


def ok(message):
    print(f"ok: {message}")


def fail(message):
    FAILS.append(message)
    print(f"FAIL: {message}")


def expect(condition, message):
    (ok if condition else fail)(message)
    return condition


def load(path):
    return json.loads(Path(path).read_text())


def node_of(plan, name):
    for node in plan["nodes"]:
        if node["name"] == name:
            return node
    raise SystemExit(f"lvmlab.py: node {name} is not in the plan")


def report(prefix, kind):
    """Rows of `lvs`/`vgs`/`pvs --reportformat json --units b --nosuffix`."""
    rows = load(f"{prefix}.{kind}s.json")["report"][0][kind]
    for row in rows:
        for key, value in row.items():
            if key.endswith(("_size", "_free", "_start", "_count")) and value not in ("", None):
                row[key] = int(value)
    return rows


def mounts(prefix):
    """Mount point → (source, fstype) from a mountinfo file."""
    result = {}
    for line in Path(f"{prefix}.mountinfo").read_text().splitlines():
        fields = line.split()
        separator = fields.index("-")
        result[fields[4]] = (fields[separator + 2], fields[separator + 1])
    return result


def mapper(vg, lv):
    return f"/dev/mapper/{vg.replace('-', '--')}-{lv.replace('-', '--')}"


# ---------------------------------------------------------------- commands
def cmd_section(commands, node):
    """Print the lines of section `# on NODE` of a commands output (not the Gluster section
    `# on NODE (any one node of the cluster)`)."""
    inside = False
    found = False
    for line in Path(commands).read_text().splitlines():
        if line.startswith("# on "):
            inside = line == f"# on {node}"
            found = found or inside
            continue
        if inside:
            print(line)
    if not found:
        raise SystemExit(f"lvmlab.py: no section '# on {node}' in {commands}")


def cmd_drift_args(plan, node, out, mode="run"):
    """The JSON arguments file of the hvp_storage_drift / hvp_storage_teardown binary modules
    (LVM side only; MODE `check` = Ansible's check mode)."""
    args = {"plan": load(plan), "node": node, "lvm": True, "gluster": False,
            "_ansible_check_mode": mode == "check"}
    Path(out).write_text(json.dumps(args))


def cmd_apply_plan(plan, node):
    """Shell lines creating the objects the plan gives NODE (PVs, VGs, thin pools, LVs, XFS,
    fstab, mounts) — the lab's own applier for a fresh plan, whose backend hvp renders only as
    gDeploy INI / gluster-ansible variables (its `commands` output holds the Gluster lines)."""
    steps = []
    for vg in node_of(load(plan), node)["volume_groups"]:
        align = vg["alignment"]["data_alignment_bytes"]
        # XFS stripe geometry on RAID (gDeploy/gluster-ansible pass su/sw the same way).
        stripe = vg["alignment"]["stripe_unit_bytes"]
        xfs_stripe = f" -d su={stripe // 1024}k,sw={vg['alignment']['data_disks']}" if stripe else ""
        steps.append((-2, [f"pvcreate --dataalignment {align}b {pv}" for pv in vg["physical_volumes"]]
                      + [f"vgcreate -s {vg['extent_bytes']}b {vg['name']} "
                         + " ".join(vg["physical_volumes"])]))
        for pool in vg["thin_pools"]:
            steps.append((pool["step"], [
                f"lvcreate --type thin-pool -L {pool['size_bytes']}b --poolmetadatasize "
                f"{pool['metadata_bytes']}b --chunksize {pool['chunk_bytes']}b --zero n "
                f"-n {pool['name']} {vg['name']}"]))
        for lv in vg["logical_volumes"]:
            if lv["thin_pool"]:
                create = (f"lvcreate -V {lv['size_bytes']}b -T {vg['name']}/{lv['thin_pool']} "
                          f"-n {lv['name']}")
            else:
                create = f"lvcreate -L {lv['size_bytes']}b -n {lv['name']} {vg['name']}"
            device = mapper(vg["name"], lv["name"])
            lines = [create]
            if lv.get("mount_point"):
                mount = lv["mount_point"]
                lines += [f"mkfs.xfs -f -K -i size=512 -n size=8192{xfs_stripe} {device}",
                          f"mkdir -p {mount}",
                          f"echo '{device} {mount} xfs inode64,noatime,nodiratime 0 0' >> /etc/fstab",
                          f"mount {mount}", f"mkdir -p {mount}/brick"]
            steps.append((lv["step"], lines))
    # VGs first, then pools and LVs in the plan's creation order (a thick LV may come before
    # its VG's pool).
    for _, lines in sorted(steps, key=lambda item: item[0]):
        for line in lines:
            print(line)


def cmd_disks(node, *facts):
    """`name size` of NODE's disks in the facts documents (the sparse files of the guest)."""
    for path in facts:
        for entry in load(path)["nodes"]:
            if entry["name"] == node:
                for disk in entry.get("hvp_free_disks", []):
                    print(disk["name"], disk["size"])


def new_vgs(recorded, merged, node):
    """The VGs the merged plan gives NODE that the recorded plan does not have."""
    old = {vg["name"] for vg in node_of(load(recorded), node)["volume_groups"]}
    return [vg for vg in node_of(load(merged), node)["volume_groups"] if vg["name"] not in old]


def cmd_new_vgs(recorded, merged, node):
    """Expected drift of the expanded node against the recorded plan: each new VG is extra."""
    for vg in new_vgs(recorded, merged, node):
        print(f"vg_extra:vg {vg['name']}")


def cmd_induce(recorded, merged, node):
    """Shell variables naming what the scenario changes to induce drift, all in the first VG
    the expansion added: the first thin LV's mount is unmounted, the second thin LV grows by
    one extent, an unplanned thin LV goes into the VG's pool."""
    vg = new_vgs(recorded, merged, node)[0]
    thin = [lv for lv in vg["logical_volumes"] if lv["thin_pool"] and lv.get("mount_point")]
    pool = vg["thin_pools"][0]["name"]
    print(f"umount_mount={thin[0]['mount_point']}")
    print(f"remove_mount={thin[2]['mount_point']}")
    print(f"remove_lv={vg['name']}/{thin[2]['name']}")
    print(f"extend_lv={vg['name']}/{thin[1]['name']}")
    print(f"extra_pool={vg['name']}/{pool}")
    print(f"extra_lv={vg['name']}/lab_extra")


def cmd_induced_drift(env):
    """The drift the induced changes must produce, as `kind:object` words."""
    values = dict(line.split("=", 1) for line in Path(env).read_text().split())
    print(f"mount_missing:mount {values['umount_mount']}")
    print(f"mount_missing:mount {values['remove_mount']}")
    print(f"lv_missing:lv {values['remove_lv']}")
    print(f"lv_size:lv {values['extend_lv']}")
    print(f"lv_extra:lv {values['extra_lv']}")


# ---------------------------------------------------------------- checks
def cmd_check_lvm(plan, node, prefix, only_vgs="", with_mounts="mounts"):
    """Every VG/PV/pool/LV the plan gives NODE (or its VGs ONLY_VGS, comma-separated) exists
    with exactly the planned sizes; and, unless WITH_MOUNTS is `no-mounts`, is mounted and in
    fstab."""
    plan_node = node_of(load(plan), node)
    wanted = set(only_vgs.split(",")) if only_vgs else None
    lvs = {(row["vg_name"], row["lv_name"]): row for row in report(prefix, "lv")}
    vgs = {row["vg_name"]: row for row in report(prefix, "vg")}
    pvs = {row["pv_name"]: row for row in report(prefix, "pv")}
    mounted = mounts(prefix)
    fstab = Path(f"{prefix}.fstab").read_text().splitlines()
    checked = 0
    for vg in plan_node["volume_groups"]:
        name = vg["name"]
        if wanted is not None and name not in wanted:
            continue
        checked += 1
        live = vgs.get(name)
        if not expect(live is not None, f"{node}: VG {name} exists"):
            continue
        expect(live["vg_extent_size"] == vg["extent_bytes"],
               f"VG {name}: extent size {live['vg_extent_size']} == planned {vg['extent_bytes']}")
        expect(live["vg_size"] == vg["size_bytes"],
               f"VG {name}: size {live['vg_size']} == planned {vg['size_bytes']}")
        # The merged plan's new VGs carry no `alignment` (expansion: 256 KiB, docs/running.md).
        align = vg.get("alignment", {}).get("data_alignment_bytes", 262144)
        if "alignment" not in vg:
            print(f"  note: VG {name} has no alignment in the plan; checking 262144")
        for pv in vg["physical_volumes"]:
            row = pvs.get(pv)
            if expect(row is not None and row["vg_name"] == name, f"PV {pv} is in VG {name}"):
                expect(row["pe_start"] % align == 0,
                       f"PV {pv}: data starts at {row['pe_start']} (a multiple of the planned "
                       f"alignment {align})")
        metadata_max = 0
        planned_lvs = set()
        for pool in vg["thin_pools"]:
            planned_lvs.add(pool["name"])
            row = lvs.get((name, pool["name"]))
            if not expect(row is not None, f"thin pool {name}/{pool['name']} exists"):
                continue
            expect(row["segtype"] == "thin-pool", f"{pool['name']}: segtype {row['segtype']}")
            expect(row["lv_size"] == pool["size_bytes"],
                   f"{pool['name']}: data {row['lv_size']} == planned {pool['size_bytes']}")
            allocated = lvm_metadata(pool["metadata_bytes"], vg["extent_bytes"])
            if os.environ.get("LVMLAB_STRICT_METADATA"):
                # Exactly the planned metadata: fails while the planner's cap (16 GiB) is above
                # LVM's maximum (docs/lvm-lab.md, Findings).
                allocated = pool["metadata_bytes"]
            elif allocated != pool["metadata_bytes"]:
                print(f"  FINDING: {pool['name']}: the plan asks for {pool['metadata_bytes']} "
                      f"bytes of metadata, above LVM's maximum usable {THIN_METADATA_MAX}; "
                      f"LVM reduces it to {allocated}")
            expect(row["lv_metadata_size"] == allocated,
                   f"{pool['name']}: metadata {row['lv_metadata_size']} == planned "
                   f"{pool['metadata_bytes']}" + ("" if allocated == pool["metadata_bytes"]
                                                  else f" as LVM clamps it ({allocated})"))
            expect(row["chunk_size"] == pool["chunk_bytes"],
                   f"{pool['name']}: chunk {row['chunk_size']} == planned {pool['chunk_bytes']}")
            expect(pool["size_bytes"] + 2 * pool["metadata_bytes"] <= vg["size_bytes"],
                   f"{pool['name']}: planned data + 2 × metadata (spare) fit in the VG")
            metadata_max = max(metadata_max, allocated)
        if vg["thin_pools"]:
            spare = lvs.get((name, "[lvol0_pmspare]"))
            if expect(spare is not None, f"VG {name}: metadata spare lvol0_pmspare exists"):
                expect(spare["lv_size"] == metadata_max,
                       f"VG {name}: spare {spare['lv_size']} == largest planned metadata {metadata_max}")
        for lv in vg["logical_volumes"]:
            planned_lvs.add(lv["name"])
            row = lvs.get((name, lv["name"]))
            if not expect(row is not None, f"LV {name}/{lv['name']} exists"):
                continue
            expect(row["lv_size"] == lv["size_bytes"],
                   f"{lv['name']}: size {row['lv_size']} == planned {lv['size_bytes']}")
            if lv["thin_pool"]:
                expect(row["segtype"] == "thin" and row["pool_lv"] == lv["thin_pool"],
                       f"{lv['name']}: thin in {row['pool_lv']}")
            else:
                expect(row["segtype"] == "linear", f"{lv['name']}: thick ({row['segtype']})")
            if lv.get("mount_point") and with_mounts != "no-mounts":
                device = mapper(name, lv["name"])
                expect(mounted.get(lv["mount_point"]) == (device, "xfs"),
                       f"{lv['mount_point']}: {mounted.get(lv['mount_point'])} == {device} xfs")
                expect(sum(1 for line in fstab if line.split()[:3] == [device, lv["mount_point"], "xfs"]) == 1,
                       f"{lv['mount_point']}: one fstab line")
        visible = {lv for (vg_name, lv) in lvs if vg_name == name and not lv.startswith("[")}
        expect(visible == planned_lvs,
               f"VG {name}: the LVs are exactly the planned ones "
               f"(extra {sorted(visible - planned_lvs)}, missing {sorted(planned_lvs - visible)})")
        used = live["vg_size"] - live["vg_free"]
        print(f"  VG {name}: size {live['vg_size']}, free {live['vg_free']} "
              f"({live['vg_free_count']} extents), used {used}")
    expect(checked > 0, f"{node}: {checked} planned VG(s) checked")


def cmd_check_xfs(plan, node, info):
    """The brick filesystems of NODE in INFO (one per VG, see xfs_report) have 512-byte inodes
    and 8 KiB directory blocks (`mkfs.xfs -i size=512 -n size=8192`), and on a RAID VG the
    planned stripe unit and width (`-d su=,sw=`), as `xfs_info` reads them; every VG of NODE
    has one."""
    sections = {}
    current = None
    for line in Path(info).read_text().splitlines():
        if line.startswith("=== "):
            current = line[4:]
            sections[current] = ""
        elif current:
            sections[current] += line + "\n"
    count = 0
    for vg in node_of(load(plan), node)["volume_groups"]:
        alignment = vg.get("alignment") or {}
        mounts_of_vg = [lv for lv in vg["logical_volumes"] if lv.get("mount_point") in sections]
        expect(len(mounts_of_vg) == 1, f"VG {vg['name']}: xfs_info of one of its bricks")
        for lv in mounts_of_vg:
            text = sections[lv["mount_point"]]
            count += 1
            expect("isize=512" in text, f"{lv['mount_point']}: inode size 512")
            expect(re.search(r"^naming\s+=version 2\s+bsize=8192 ", text, re.M) is not None,
                   f"{lv['mount_point']}: directory blocks 8192")
            if alignment.get("stripe_unit_bytes"):
                bsize = 4096
                sunit = alignment["stripe_unit_bytes"] // bsize
                swidth = sunit * alignment["data_disks"]
                expect(f"sunit={sunit}" in text and f"swidth={swidth} blks" in text,
                       f"{lv['mount_point']}: stripe unit {sunit} and width {swidth} blocks "
                       f"(RAID {alignment['level']})")
    expect(count > 0, f"{node}: {count} brick filesystems checked")


def cmd_check_probe(out):
    """What the bigpool probes show of LVM's limits (see scenarios/bigpool.sh)."""
    out = Path(out)
    lvs = {row["lv_name"]: row for row in report(out / "probe", "lv")}
    log = (out / "steps.log").read_text()

    def output_of(step):
        for header in (f"### {step}:", f"### {step} (must fail):"):
            if header in log:
                return log.split(header, 1)[1].split("\n### ", 1)[0]
        return ""

    mib = MIB
    expect(lvs.get("meta_max", {}).get("lv_metadata_size") == 16256 * mib
           and "Reducing" not in output_of("probe-meta-max"),
           "--poolmetadatasize 16256m (4064 extents) is taken as is")
    expect(lvs.get("meta_16g", {}).get("lv_metadata_size") == lvm_metadata(16 << 30, 4 * mib)
           and "maximum usable size" in output_of("probe-meta-16g"),
           f"--poolmetadatasize 16g is reduced to {lvm_metadata(16 << 30, 4 * mib)} with a message")
    expect("chunk_96k" not in lvs, "a 96 KiB chunk (not a multiple of 64 KiB) is refused")
    expect(lvs.get("chunk_64k", {}).get("chunk_size") == 64 << 10, "a 64 KiB chunk is taken")
    expect(lvs.get("chunk_1g", {}).get("chunk_size") == 1 << 30, "a 1 GiB chunk is taken")
    expect("chunk_2g" not in lvs, "a 2 GiB chunk is refused")
    huge = {row["lv_name"]: row for row in report(out / "huge-probe", "lv")}
    expect("pool_256k" not in huge and "cannot address more" in output_of("huge-pool-256k"),
           "a 70 TiB pool with a 256 KiB chunk is refused (256 KiB addresses 63.5 TiB)")
    expect(huge.get("pool_512k", {}).get("chunk_size") == 512 << 10,
           "a 70 TiB pool with a 512 KiB chunk is taken")
    for step in ("probe-chunk-96k", "probe-chunk-2g", "huge-pool-256k"):
        message = [line.strip() for line in output_of(step).splitlines()[1:]
                   if line.strip() and not line.strip().startswith("Run `")]
        print(f"  {step}: LVM says: {message[-1] if message else ''}")


def cmd_check_drift(result, *expected):
    """The drift module's result: no drift, or exactly the EXPECTED `kind:object` pairs."""
    data = load(result)
    expect(not data.get("failed"), f"drift module ran ({data.get('msg')})")
    expect(data.get("changed") is False, "drift module reports changed=false")
    found = sorted(f"{item['kind']}:{item['object']}" for item in data.get("drift", []))
    for line in data.get("drift_lines", []):
        print(f"  drift: {line}")
    expect(found == sorted(expected),
           f"drift is exactly {sorted(expected) or 'nothing'} (found {found})")
    expect(data.get("drifted") is bool(expected), f"drifted={data.get('drifted')}")


def cmd_check_gone(plan, node, prefix, keep_vg, keep_disk):
    """After the teardown: nothing the plan gives NODE is left; KEEP_VG (not planned) is."""
    plan_node = node_of(load(plan), node)
    lvs = report(prefix, "lv")
    vgs = {row["vg_name"] for row in report(prefix, "vg")}
    pvs = {row["pv_name"] for row in report(prefix, "pv")}
    mounted = mounts(prefix)
    fstab = Path(f"{prefix}.fstab").read_text()
    for vg in plan_node["volume_groups"]:
        expect(vg["name"] not in vgs, f"VG {vg['name']} is gone")
        expect(not any(row["vg_name"] == vg["name"] for row in lvs), f"no LV of {vg['name']} left")
        for pv in vg["physical_volumes"]:
            expect(pv not in pvs, f"PV {pv} is gone")
        for lv in vg["logical_volumes"]:
            if lv.get("mount_point"):
                expect(lv["mount_point"] not in mounted, f"{lv['mount_point']} is not mounted")
                expect(f" {lv['mount_point']} " not in fstab, f"{lv['mount_point']} is not in fstab")
    for disk in plan_node["disks"]:
        if disk["use"] in (None, "unused") or disk.get("reason"):
            continue
        signatures = load(f"{prefix}.wipefs.{disk['name']}.json").get("signatures", []) \
            if Path(f"{prefix}.wipefs.{disk['name']}.json").stat().st_size else []
        expect(signatures == [], f"/dev/{disk['name']}: no signatures left ({signatures})")
    blkid = {line.split(" ", 1)[0]: line.split(" ", 1)[1].strip()
             for line in Path(f"{prefix}.blkid").read_text().splitlines()}
    for disk in plan_node["disks"]:
        if not disk.get("reason"):
            expect(blkid.get(f"/dev/{disk['name']}", "") == "",
                   f"/dev/{disk['name']}: blkid finds nothing ({blkid.get('/dev/' + disk['name'])})")
    expect(keep_vg in vgs, f"the VG {keep_vg} the plan does not have is still there")
    expect(any(row["vg_name"] == keep_vg for row in lvs), f"its LV is still there")
    expect(f"/dev/{keep_disk}" in pvs, f"its PV /dev/{keep_disk} is still there")
    expect("TYPE=LVM2_member" in blkid.get(f"/dev/{keep_disk}", ""),
           f"/dev/{keep_disk} still carries its LVM signature")


def cmd_check_stops(out, env):
    """The teardown stopped twice, where the induced drift makes hvp's lines fail: at the
    `lvremove` of the LV removed beforehand, then at the guard of the pool holding the unplanned
    LV (that pool and LV surviving the stop); after the LV was removed it ran to the end."""
    out = Path(out)
    values = dict(line.split("=", 1) for line in Path(env).read_text().split())
    vg, pool = values["extra_pool"].split("/")
    rows = [line.split("\t") for line in (out / "steps.tsv").read_text().splitlines()]

    def part(name):
        return [row for row in rows if row[0].split(":")[0] == name]

    first, second, third = part("teardown"), part("teardown-2"), part("teardown-3")
    if expect(first and first[-1][1] != "0", "teardown stop 1: a line failed"):
        expect(first[-1][3] == f"eval_line lvremove -y {values['remove_lv']}",
               f"  at the lvremove of the LV removed beforehand ({first[-1][3][10:]})")
    if expect(second and second[-1][1] != "0", "teardown stop 2: a line failed"):
        expect(second[-1][3].startswith("eval_line test -z")
               and f"pool_lv={pool} {vg})" in second[-1][3],
               f"  at the guard of {vg}/{pool} ({second[-1][3][10:70]}…)")
        guarded = {(row["vg_name"], row["lv_name"]) for row in report(out / "guarded", "lv")}
        expect((vg, pool) in guarded and (vg, "lab_extra") in guarded,
               f"  the pool {vg}/{pool} and the unplanned LV survived the stop")
    expect(third and all(row[1] == "0" for row in third),
           f"after removing the unplanned LV the rest of the teardown ran ({len(third)} lines)")


def cmd_check_module(result, changed, *must_contain):
    """An Ansible module result: not failed, `changed` as expected, its JSON naming each of
    MUST_CONTAIN (a word starting with `!`: not naming it)."""
    data = load(result)
    text = json.dumps(data)
    expect(not data.get("failed"), f"{Path(result).name}: ran ({str(data.get('msg'))[:200]})")
    expect(data.get("changed") is (changed == "changed"),
           f"{Path(result).name}: changed={data.get('changed')} (expected {changed})")
    for word in must_contain:
        if word.startswith("!"):
            expect(word[1:] not in text, f"{Path(result).name}: does not name {word[1:]}")
        else:
            expect(word in text, f"{Path(result).name}: names {word}")


def cmd_steps(out, allow_stops=""):
    """Print the guest's steps, fail on a missing `LAB done` or failed steps."""
    out = Path(out)
    steps = (out / "steps.tsv").read_text().splitlines() if (out / "steps.tsv").exists() else []
    failed = [line for line in steps if line.split("\t")[1] != "0" and "(must fail)" not in line
              and not (allow_stops and line.split(":")[0] in ("teardown", "teardown-2"))]
    for line in failed:
        print(f"  failed step: {line}")
    fails = (out / "fails.txt").read_text().strip() if (out / "fails.txt").exists() else "missing"
    expect(fails == "0", f"guest: {len(steps)} steps, fails.txt = {fails}")


def main(argv):
    commands = {"section": cmd_section, "drift-args": cmd_drift_args,
                "apply-plan": cmd_apply_plan, "check-lvm": cmd_check_lvm,
                "check-drift": cmd_check_drift, "check-gone": cmd_check_gone,
                "steps": cmd_steps, "disks": cmd_disks, "new-vgs": cmd_new_vgs, "induce": cmd_induce,
                "induced-drift": cmd_induced_drift, "check-stops": cmd_check_stops,
                "check-module": cmd_check_module, "check-xfs": cmd_check_xfs,
                "check-probe": cmd_check_probe}
    if len(argv) < 2 or argv[1] not in commands:
        raise SystemExit(f"usage: lvmlab.py {{{'|'.join(commands)}}} ARGS…")
    commands[argv[1]](*argv[2:])
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
