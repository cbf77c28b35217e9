#!/usr/bin/env python3
"""The lab's own view of a storage plan (format 2, /work/coord/plan-v2.md) against real Gluster.

Deliberately independent of the project's Rust types: it reads the plan JSON and the output of
`gluster volume info --xml` with the standard library only.

    glusterlab.py brick-dirs PLAN.json HOSTS          lines "N DIR": brick directories per lab node
    glusterlab.py apply COMMANDS LAB_SH               run the gluster lines of a commands file on node 1
    glusterlab.py check PLAN.json INFO.xml GROUPS_DIR [--volumes V,...] [--no-extra]
                                                      every planned volume as planned; exit 1 listing
                                                      every difference
    glusterlab.py unchanged BEFORE.xml AFTER.xml      every brick of BEFORE still at its position with
                                                      its arbiter role, same replica/arbiter counts
    glusterlab.py volumes PLAN.json                   the planned volume names, one a line
    glusterlab.py create-commands PLAN.json [VOLUME...]
                                                      `gluster volume create/set/start` lines of the
                                                      plan's volumes (the lab's own, for suites whose
                                                      subject is not volume creation)
    glusterlab.py selftest PLAN.json INFO.xml GROUPS_DIR
                                                      the checker must accept INFO and refuse each
                                                      of a set of mutated plans
"""

import os
import copy
import json
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

BOOL_TRUE = {"on", "yes", "true", "enable", "1"}
BOOL_FALSE = {"off", "no", "false", "disable", "0"}


def norm(value):
    """Gluster accepts several boolean spellings; compare them as one."""
    v = str(value).strip().lower()
    if v in BOOL_TRUE:
        return "on"
    if v in BOOL_FALSE:
        return "off"
    return v


def load_plan(path):
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)
    if plan.get("format_version") != 2:
        sys.exit(f"{path}: format_version {plan.get('format_version')!r}, the lab checks format 2 plans")
    return plan


def lab_nodes(hosts_file):
    """Host name -> lab node number, from the lab's hosts file (STORAGE_NET.1N = node N,
    STORAGE_NET from $HVL_STORAGE_NET as lab.sh uses it, default 10.231.0)."""
    names = {}
    storage = os.environ.get("HVL_STORAGE_NET", "10.231.0") + ".1"
    for line in Path(hosts_file).read_text().splitlines():
        fields = line.split()
        if len(fields) < 2 or not fields[0].startswith(storage):
            continue
        n = int(fields[0].rsplit(".", 1)[1]) - 10
        for name in fields[1:]:
            names[name] = n
    return names


def cmd_brick_dirs(plan_path, hosts_file):
    plan = load_plan(plan_path)
    nodes = lab_nodes(hosts_file)
    seen = set()
    for vol in plan["volumes"]:
        for rs in vol["replica_sets"]:
            for brick in rs["bricks"]:
                if brick["node"] not in nodes:
                    sys.exit(f"plan names node {brick['node']!r}, which is not a lab node ({hosts_file})")
                key = (nodes[brick["node"]], brick["directory"])
                if key not in seen:
                    seen.add(key)
                    print(*key)


def logical_lines(text):
    """Command lines with backslash continuations joined; comments and blanks dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        stripped = current.strip()
        current = ""
        if stripped and not stripped.startswith("#"):
            lines.append(stripped)
    return lines


def cmd_apply(commands_path, lab_sh):
    """Runs every `gluster …` line on node 1, in order, stopping at the first failure.

    Other lines (LVM, mkfs, mount, fstab: impossible without device-mapper) are listed as
    skipped; the lab's brick directories come from the plan (brick-dirs)."""
    ran = skipped = 0
    pid1 = subprocess.run([lab_sh, "pid", "1"], capture_output=True, text=True, check=True).stdout.strip()
    enter = ["nsenter", "-t", pid1, "-m", "-u", "-n", "-p", "--"]
    for line in logical_lines(Path(commands_path).read_text()):
        if not line.startswith("gluster "):
            print(f"  skip (not possible in the lab): {line}")
            skipped += 1
            continue
        # `gluster a ; gluster b` on one line (the spec's examples do that) are two commands.
        for part in [p.strip() for p in line.split(";") if p.strip()]:
            argv = shlex.split(part, comments=True)
            if not argv:
                continue
            if argv[0] != "gluster":
                print(f"  skip (not possible in the lab): {part}")
                skipped += 1
                continue
            if not any(a.startswith("--mode") for a in argv):
                argv.insert(1, "--mode=script")
            start = time.monotonic()
            proc = subprocess.run([*enter, *argv], capture_output=True, text=True)
            took = time.monotonic() - start
            if proc.returncode != 0:
                print(f"FAIL ({took:.1f}s): {part}\n  {proc.stdout.strip()} {proc.stderr.strip()}")
                sys.exit(1)
            print(f"  ok ({took:.1f}s): {part}")
            ran += 1
    print(f"  {ran} gluster commands run, {skipped} other lines skipped")


def read_groups(groups_dir):
    groups = {}
    for f in Path(groups_dir).iterdir():
        opts = []
        for line in f.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                opts.append((k.strip(), v.strip()))
        groups[f.name] = opts
    return groups


def expected_options(vol, groups, problems):
    """The plan's options in `volume set` order, groups expanded; later settings win."""
    want = {}
    for opt in vol.get("options", []):
        name, value = opt["name"], str(opt["value"])
        if name == "group":
            if value not in groups:
                problems.append(f"{vol['name']}: option group {value!r}: no such group file in the groups directory")
                continue
            for k, v in groups[value]:
                want[k] = v
        else:
            want[name] = value
    return want


def parse_info(xml_text):
    root = ET.fromstring(xml_text)
    ret = root.findtext("opRet")
    if ret not in (None, "0"):
        raise SystemExit(f"gluster volume info failed: {root.findtext('opErrstr')}")
    vols = {}
    for v in root.iter("volume"):
        name = v.findtext("name")
        if name is None or v.find("bricks") is None:
            continue
        vols[name] = {
            "status": v.findtext("statusStr"),
            "replica": int(v.findtext("replicaCount") or 0),
            "arbiter": int(v.findtext("arbiterCount") or 0),
            "bricks": [
                (b.findtext("name"), b.findtext("isArbiter") == "1") for b in v.find("bricks").iter("brick")
            ],
            "options": {o.findtext("name"): o.findtext("value") for o in v.iter("option")},
        }
    return vols


def check(plan, live, groups, only=None, no_extra=True):
    problems = []
    planned = {v["name"]: v for v in plan["volumes"] if only is None or v["name"] in only}
    for name in planned:
        if name not in live:
            problems.append(f"volume {name}: planned, not in gluster volume info")
    if no_extra:
        for name in live:
            if name not in planned:
                problems.append(f"volume {name}: in gluster volume info, not planned")
    for name, vol in planned.items():
        got = live.get(name)
        if got is None:
            continue
        rep = vol["replica"]
        if got["replica"] != rep["count"]:
            problems.append(f"volume {name}: replica count {got['replica']}, planned {rep['count']}")
        if got["arbiter"] != rep["arbiter_count"]:
            problems.append(f"volume {name}: arbiter count {got['arbiter']}, planned {rep['arbiter_count']}")
        want_bricks = []
        for i, rs in enumerate(vol["replica_sets"], 1):
            if len(rs["bricks"]) != rep["count"]:
                problems.append(f"volume {name} set {i}: plan lists {len(rs['bricks'])} bricks for replica {rep['count']}")
            for b in rs["bricks"]:
                want_bricks.append((f"{b['node']}:{b['directory']}", bool(b["arbiter"]), i))
        if len(got["bricks"]) != len(want_bricks):
            problems.append(f"volume {name}: {len(got['bricks'])} bricks, planned {len(want_bricks)}")
        for pos, ((wname, warb, setno), (gname, garb)) in enumerate(zip(want_bricks, got["bricks"]), 1):
            if wname != gname:
                problems.append(f"volume {name} set {setno} brick {pos}: {gname}, planned {wname}")
            elif warb != garb:
                problems.append(
                    f"volume {name} set {setno} brick {pos} ({gname}): isArbiter {int(garb)}, planned arbiter={warb}"
                )
        for key, value in expected_options(vol, groups, problems).items():
            if key not in got["options"]:
                problems.append(f"volume {name}: option {key} not set, planned {value!r}")
            elif norm(got["options"][key]) != norm(value):
                problems.append(f"volume {name}: option {key} = {got['options'][key]!r}, planned {value!r}")
    return problems


def cmd_check(argv):
    plan_path, xml_path, groups_dir, *rest = argv
    only, no_extra = None, False
    while rest:
        flag = rest.pop(0)
        if flag == "--volumes":
            only = set(rest.pop(0).split(","))
        elif flag == "--no-extra":
            no_extra = True
        else:
            sys.exit(f"check: unknown flag {flag}")
    plan = load_plan(plan_path)
    live = parse_info(Path(xml_path).read_text())
    problems = check(plan, live, read_groups(groups_dir), only, no_extra)
    for p in problems:
        print(f"  MISMATCH {p}")
    n = len(plan["volumes"] if only is None else only)
    print(f"  {n} planned volumes checked against gluster volume info: {len(problems)} differences")
    sys.exit(1 if problems else 0)


def mutations(plan):
    """Plans that must NOT match the volumes created from `plan` (name, mutated plan)."""
    out = []
    vols = plan["volumes"]
    multi = next((v for v in vols if len(v["replica_sets"]) > 1), None)
    arb = next((v for v in vols if v["replica"]["arbiter_count"]), None)
    with_opt = next((v for v in vols if any(o["name"] != "group" for o in v.get("options", []))), None)
    with_group = next((v for v in vols if any(o["name"] == "group" for o in v.get("options", []))), None)

    p = copy.deepcopy(plan)
    b = p["volumes"][0]["replica_sets"][0]["bricks"]
    b[0], b[1] = b[1], b[0]
    out.append(("two bricks of a set swapped", p))
    if arb:
        p = copy.deepcopy(plan)
        v = next(x for x in p["volumes"] if x["name"] == arb["name"])
        last = v["replica_sets"][0]["bricks"][-1]
        last["arbiter"] = not last["arbiter"]
        out.append(("arbiter flag of the last brick flipped", p))
        p = copy.deepcopy(plan)
        next(x for x in p["volumes"] if x["name"] == arb["name"])["replica"]["arbiter_count"] = 0
        out.append(("arbiter count 0", p))
    if multi:
        p = copy.deepcopy(plan)
        v = next(x for x in p["volumes"] if x["name"] == multi["name"])
        v["replica_sets"].reverse()
        out.append(("replica sets in reverse order", p))
        p = copy.deepcopy(plan)
        v = next(x for x in p["volumes"] if x["name"] == multi["name"])
        v["replica_sets"].pop()
        out.append(("one replica set fewer", p))
    if with_opt:
        p = copy.deepcopy(plan)
        v = next(x for x in p["volumes"] if x["name"] == with_opt["name"])
        o = next(o for o in v["options"] if o["name"] != "group")
        o["value"] = "4242"
        out.append((f"option {o['name']} with another value", p))
    if with_group:
        p = copy.deepcopy(plan)
        v = next(x for x in p["volumes"] if x["name"] == with_group["name"])
        v["options"].append({"name": "features.shard", "value": "off"})
        out.append(("an option the group set, planned with the opposite value", p))
    p = copy.deepcopy(plan)
    p["volumes"].pop()
    out.append(("a volume not planned (extra on the cluster)", p))
    p = copy.deepcopy(plan)
    extra = copy.deepcopy(p["volumes"][0])
    extra["name"] = "hvlnosuchvolume"
    p["volumes"].append(extra)
    out.append(("a planned volume missing on the cluster", p))
    return out


def cmd_selftest(plan_path, xml_path, groups_dir):
    plan = load_plan(plan_path)
    live = parse_info(Path(xml_path).read_text())
    groups = read_groups(groups_dir)
    failed = 0
    problems = check(plan, live, groups)
    if problems:
        print(f"  FAIL the checker refuses the plan the volumes were created from: {problems}")
        failed += 1
    for what, mutated in mutations(plan):
        found = check(mutated, live, groups)
        if found:
            print(f"  ok the checker reports '{what}': {found[0]}")
        else:
            print(f"  FAIL the checker misses '{what}'")
            failed += 1
    sys.exit(1 if failed else 0)


def cmd_create_commands(plan_path, *names):
    plan = load_plan(plan_path)
    for vol in plan["volumes"]:
        if names and vol["name"] not in names:
            continue
        rep = vol["replica"]
        words = ["gluster", "volume", "create", vol["name"]]
        if rep["count"] > 1:
            words += ["replica", str(rep["count"])]
        if rep["arbiter_count"]:
            words += ["arbiter", str(rep["arbiter_count"])]
        words += [f"{b['node']}:{b['directory']}" for rs in vol["replica_sets"] for b in rs["bricks"]]
        print(shlex.join(words))
        # One `volume set` transaction for each run of plain options, one for each group.
        pairs = []
        for opt in vol.get("options", []):
            if opt["name"] == "group" and pairs:
                print(shlex.join(["gluster", "volume", "set", vol["name"], *pairs]))
                pairs = []
            pairs += [opt["name"], str(opt["value"])]
            if opt["name"] == "group":
                print(shlex.join(["gluster", "volume", "set", vol["name"], *pairs]))
                pairs = []
        if pairs:
            print(shlex.join(["gluster", "volume", "set", vol["name"], *pairs]))
        print(shlex.join(["gluster", "volume", "start", vol["name"]]))


def cmd_unchanged(before_path, after_path):
    before = parse_info(Path(before_path).read_text())
    after = parse_info(Path(after_path).read_text())
    problems = []
    for name, old in before.items():
        new = after.get(name)
        if new is None:
            problems.append(f"volume {name}: gone")
            continue
        for key in ("replica", "arbiter"):
            if old[key] != new[key]:
                problems.append(f"volume {name}: {key} count {old[key]} -> {new[key]}")
        for pos, brick in enumerate(old["bricks"], 1):
            got = new["bricks"][pos - 1] if pos <= len(new["bricks"]) else None
            if got != brick:
                problems.append(f"volume {name} brick {pos}: {brick} -> {got}")
        if len(new["bricks"]) < len(old["bricks"]):
            problems.append(f"volume {name}: {len(old['bricks'])} -> {len(new['bricks'])} bricks")
    for p in problems:
        print(f"  CHANGED {p}")
    print(f"  {len(before)} volumes compared: {len(problems)} changes to existing bricks")
    sys.exit(1 if problems else 0)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "brick-dirs":
        cmd_brick_dirs(*args)
    elif cmd == "apply":
        cmd_apply(*args)
    elif cmd == "check":
        cmd_check(args)
    elif cmd == "volumes":
        for v in load_plan(args[0])["volumes"]:
            print(v["name"])
    elif cmd == "unchanged":
        cmd_unchanged(*args)
    elif cmd == "create-commands":
        cmd_create_commands(*args)
    elif cmd == "selftest":
        cmd_selftest(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
