//! Drift of VDO devices on recorded outputs: the legacy manager's `vdo status` YAML and LVM-VDO
//! `lvs` rows (segment types `vdo-pool` and `vdo`).
//!
//! Sources of the fixtures (`tests/fixtures/drift/`):
//! * `vdo-status-legacy.yaml`: the layout of `vdo status` of the vdo manager 6.2 (RHEL 8,
//!   `vdo(8)`; sections `VDO status`, `Kernel module`, `Configuration`, `VDOs` with one map per
//!   volume, `Device mapper status: 0 <logical sectors> vdo <device> …`), written by hand for
//!   node0 of `plan-3nodes.json` with a 12 TiB logical VDO on its 4 TB `sdb`; no VDO host is
//!   available here to record one.
//! * `lvs-lvm-vdo.json`: `node0-lvs.json` (recorded with LVM 2.03 on loop devices) plus the
//!   two rows LVM 2.03 prints for an LVM-VDO pool (`lv_attr dwi-------`, segtype `vdo-pool`,
//!   size = physical) and its VDO LV (`vwi-a-v---`, segtype `vdo`, `pool_lv` = the pool,
//!   size = logical), written by hand in the format of the recorded rows.

use hvp_core::drift::{compare, parse, DriftKind, RawNodeState, RecordedPlan};
use serde_json::{json, Value};

const TIB: u64 = 1 << 40;
const GIB: u64 = 1 << 30;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/drift/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The recorded 3-node plan with `vdo` on node0.
fn plan_with(vdo: Value) -> RecordedPlan {
    let mut plan: Value = serde_json::from_str(&fixture("plan-3nodes.json")).unwrap();
    plan["nodes"][0]["vdo_devices"] = json!([vdo]);
    RecordedPlan::from_value(&plan).unwrap()
}

fn node0(lvs: &str, vdo_status: &str) -> RawNodeState {
    RawNodeState {
        name: "node0.gluster.private".to_owned(),
        pvs: fixture("node0-pvs.json"),
        vgs: fixture("node0-vgs.json"),
        lvs: fixture(lvs),
        mountinfo: fixture("mountinfo-node0.txt"),
        vdo_status: vdo_status.to_owned(),
    }
}

fn drift(plan: &RecordedPlan, raw: RawNodeState) -> Vec<(DriftKind, String)> {
    let live = parse(&[raw], None).unwrap();
    compare(plan, &live)
        .into_iter()
        .map(|d| (d.kind, d.to_string()))
        .collect()
}

fn legacy_plan(logical: u64) -> RecordedPlan {
    plan_with(
        json!({"name": "vdo_sdb", "disk": "sdb", "kind": "legacy", "logical_size_bytes": logical}),
    )
}

#[test]
fn the_planned_legacy_vdo_is_no_drift() {
    let status = fixture("vdo-status-legacy.yaml");
    assert_eq!(
        drift(&legacy_plan(12 * TIB), node0("node0-lvs.json", &status)),
        vec![]
    );
}

#[test]
fn a_grown_missing_or_stray_legacy_vdo_is_reported() {
    let status = fixture("vdo-status-legacy.yaml");
    let found = drift(&legacy_plan(10 * TIB), node0("node0-lvs.json", &status));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, DriftKind::VdoSize);
    assert!(
        found[0].1.contains(&format!(
            "expected {} bytes, found {} bytes",
            10 * TIB,
            12 * TIB
        )),
        "{}",
        found[0].1
    );
    // Not in `vdo status` (the manager lists no VDO), and one with an hvp name not planned.
    let found = drift(&legacy_plan(12 * TIB), node0("node0-lvs.json", ""));
    assert_eq!(
        found.iter().map(|d| d.0).collect::<Vec<_>>(),
        [DriftKind::VdoMissing]
    );
    assert!(found[0].1.contains("not in `vdo status`"), "{}", found[0].1);
    let stray = status
        .replace("vdo_sdb:", "vdo_sdz:")
        .replace("/dev/sdb\n", "/dev/sdz\n");
    let kinds: Vec<DriftKind> = drift(&legacy_plan(12 * TIB), node0("node0-lvs.json", &stray))
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(kinds, [DriftKind::VdoMissing, DriftKind::VdoExtra]);
    // A VDO of someone else's (no hvp name, not on a planned disk) is not hvp's business.
    let foreign = status
        .replace("vdo_sdb:", "backupvdo:")
        .replace("Storage device: /dev/sdb", "Storage device: /dev/sdq");
    let found = drift(&legacy_plan(12 * TIB), node0("node0-lvs.json", &foreign));
    assert_eq!(
        found.iter().map(|d| d.0).collect::<Vec<_>>(),
        [DriftKind::VdoMissing]
    );
}

#[test]
fn legacy_sizes_come_from_the_device_mapper_line_else_the_logical_size() {
    let status = fixture("vdo-status-legacy.yaml")
        .lines()
        .filter(|line| !line.contains("Device mapper status"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        drift(&legacy_plan(12 * TIB), node0("node0-lvs.json", &status)),
        vec![]
    );
}

#[test]
fn unreadable_vdo_status_is_an_error_naming_node_and_command() {
    let errors = parse(&[node0("node0-lvs.json", "VDOs: [\n")], None).unwrap_err();
    let text = errors[0].to_string();
    assert!(
        text.starts_with("node0.gluster.private: vdo status: not the YAML"),
        "{text}"
    );
    assert!(
        text.contains("pass the standard output of `vdo status` unchanged"),
        "{text}"
    );
}

fn lvm_plan(logical: u64) -> RecordedPlan {
    plan_with(
        json!({"name": "vdo_sdc", "disk": "sdc", "kind": "lvm", "logical_size_bytes": logical}),
    )
}

#[test]
fn the_planned_lvm_vdo_is_no_drift_and_its_lvs_are_not_extra() {
    assert_eq!(
        drift(&lvm_plan(1275 * GIB), node0("lvs-lvm-vdo.json", "")),
        vec![]
    );
}

#[test]
fn a_grown_or_missing_lvm_vdo_is_reported_and_an_unplanned_pool_is_extra() {
    let found = drift(&lvm_plan(1000 * GIB), node0("lvs-lvm-vdo.json", ""));
    assert_eq!(
        found.iter().map(|d| d.0).collect::<Vec<_>>(),
        [DriftKind::VdoSize]
    );
    assert!(found[0].1.contains("lvextend"), "{}", found[0].1);
    let found = drift(&lvm_plan(1275 * GIB), node0("node0-lvs.json", ""));
    assert_eq!(
        found.iter().map(|d| d.0).collect::<Vec<_>>(),
        [DriftKind::VdoMissing]
    );
    assert!(
        found[0].1.contains("no VDO pool LV of that name"),
        "{}",
        found[0].1
    );
    // The plan without VDO: the pool (hvp name vdo_…) is reported once, as a VDO device.
    let plan: RecordedPlan = RecordedPlan::from_value(
        &serde_json::from_str::<Value>(&fixture("plan-3nodes.json")).unwrap(),
    )
    .unwrap();
    let found = drift(&plan, node0("lvs-lvm-vdo.json", ""));
    assert_eq!(
        found.iter().map(|d| d.0).collect::<Vec<_>>(),
        [DriftKind::VdoExtra]
    );
    assert!(found[0].1.contains("vdo vdo_sdc"), "{}", found[0].1);
    // A legacy plan entry is not satisfied by an LVM pool of the same name.
    let plan = plan_with(
        json!({"name": "vdo_sdc", "disk": "sdc", "kind": "legacy", "logical_size_bytes": 1275 * GIB}),
    );
    let kinds: Vec<DriftKind> = drift(&plan, node0("lvs-lvm-vdo.json", ""))
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(kinds, [DriftKind::VdoMissing]);
}
