//! Drift comparison on recorded command output (`tests/fixtures/drift/`, see its scripts):
//! real `gluster volume info --xml` of three glusterd in network namespaces, real mountinfo,
//! real `pvs`/`vgs` of loop devices, and `lvs` written by hand in LVM's exact report shape
//! (no device-mapper on the recording machine).

use hvp_core::drift::{
    compare, gluster::parse_volume_info, lvm, parse, Drift, DriftKind, LiveState, RawClusterState,
    RawNodeState, RecordedPlan,
};
use std::collections::BTreeMap;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/drift");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn plan() -> RecordedPlan {
    RecordedPlan::from_json(&fixture("plan-3nodes.json")).unwrap()
}

fn raw_node(index: usize) -> RawNodeState {
    RawNodeState {
        name: format!("node{index}.gluster.private"),
        pvs: fixture(&format!("node{index}-pvs.json")),
        vgs: fixture(&format!("node{index}-vgs.json")),
        lvs: fixture(&format!("node{index}-lvs.json")),
        mountinfo: fixture(&format!("mountinfo-node{index}.txt")),
        vdo_status: String::new(),
    }
}

fn raw_cluster(xml: &str) -> RawClusterState {
    RawClusterState {
        volume_info_xml: fixture(xml),
        groups: BTreeMap::from([("virt".to_owned(), fixture("group-virt"))]),
    }
}

fn live(nodes: Vec<RawNodeState>, cluster: Option<RawClusterState>) -> LiveState {
    parse(&nodes, cluster.as_ref()).unwrap()
}

fn kinds(drifts: &[Drift]) -> Vec<(DriftKind, Option<&str>, &str)> {
    drifts
        .iter()
        .map(|d| (d.kind, d.node.as_deref(), d.object.as_str()))
        .collect()
}

#[test]
fn the_planned_cluster_has_no_drift() {
    let state = live(
        (0..3).map(raw_node).collect(),
        Some(raw_cluster("volume-info-planned.xml")),
    );
    assert_eq!(compare(&plan(), &state), Vec::<Drift>::new());
}

#[test]
fn gluster_drift_is_reported_exactly() {
    let state = live(Vec::new(), Some(raw_cluster("volume-info-drifted.xml")));
    let drifts = compare(&plan(), &state);
    assert_eq!(
        kinds(&drifts),
        vec![
            (
                DriftKind::OptionValue,
                None,
                "volume enginedomain option cluster.shd-max-threads"
            ),
            (
                DriftKind::OptionMissing,
                None,
                "volume vmstoredomain option network.ping-timeout"
            ),
            (DriftKind::VolumeNotStarted, None, "volume ctdb"),
            (DriftKind::VolumeUnknown, None, "volume scratch"),
        ]
    );
    assert_eq!(
        (drifts[0].expected.as_str(), drifts[0].found.as_str()),
        ("8", "4")
    );
    assert_eq!(
        drifts[0].fix,
        "gluster volume set enginedomain cluster.shd-max-threads 8"
    );
    assert_eq!(
        drifts[1].fix,
        "gluster volume set vmstoredomain network.ping-timeout 10"
    );
    assert_eq!(drifts[2].fix, "gluster volume start ctdb");
    insta::assert_snapshot!(lines(&drifts));
}

fn lines(drifts: &[Drift]) -> String {
    drifts.iter().map(|d| format!("{d}\n")).collect()
}

#[test]
fn lvm_and_mount_drift_is_reported_exactly() {
    let mut node1 = raw_node(1);
    node1.lvs = fixture("drifted-node1-lvs.json");
    // The missing LV is not mounted either.
    node1.mountinfo = node1
        .mountinfo
        .lines()
        .filter(|line| !line.contains(" /gluster_bricks/vmstoredomain/b2 "))
        .map(|line| format!("{line}\n"))
        .collect();
    let mut node2 = raw_node(2);
    node2.lvs = fixture("drifted-node2-lvs.json");
    node2.vgs = fixture("drifted-node2-vgs.json");
    node2.pvs = fixture("drifted-node2-pvs.json");
    let drifts = compare(&plan(), &live(vec![raw_node(0), node1, node2], None));
    let n1 = Some("node1.gluster.private");
    let n2 = Some("node2.gluster.private");
    assert_eq!(
        kinds(&drifts),
        vec![
            (
                DriftKind::LvMissing,
                n1,
                "lv gluster_vg_sdb/gluster_lv_vmstoredomain_b2"
            ),
            (DriftKind::LvExtra, n1, "lv gluster_vg_sdb/scratch"),
            (
                DriftKind::MountMissing,
                n1,
                "mount /gluster_bricks/vmstoredomain/b2"
            ),
            (DriftKind::VgSize, n2, "vg gluster_vg_sdb"),
            (DriftKind::PvExtra, n2, "pv /dev/sdc"),
            (
                DriftKind::LvSize,
                n2,
                "lv gluster_vg_sdb/gluster_lv_vmstoredomain_b1"
            ),
        ]
    );
    assert!(drifts[0]
        .fix
        .starts_with("lvcreate -V 1928448704512b -T gluster_vg_sdb/gluster_thinpool_gluster_vg_sdb -n gluster_lv_vmstoredomain_b2"));
    insta::assert_snapshot!(lines(&drifts));
}

#[test]
fn sizes_within_one_extent_are_equal() {
    let mut node0 = raw_node(0);
    // 3 MiB less than planned on a thin LV: LVM rounding, not drift; 4 MiB is.
    node0.lvs = node0.lvs.replace(
        "\"lv_size\":\"1928448704512\"",
        "\"lv_size\":\"1928445558784\"",
    );
    assert_eq!(
        compare(&plan(), &live(vec![node0], None)),
        Vec::<Drift>::new()
    );
    let mut node0 = raw_node(0);
    node0.lvs = node0.lvs.replacen(
        "\"lv_size\":\"1928448704512\"",
        "\"lv_size\":\"1928444510208\"",
        1,
    );
    let drifts = compare(&plan(), &live(vec![node0], None));
    assert_eq!(
        kinds(&drifts),
        vec![(
            DriftKind::LvSize,
            Some("node0.gluster.private"),
            "lv gluster_vg_sdb/gluster_lv_vmstoredomain_b1"
        )]
    );
}

#[test]
fn a_cluster_without_volumes_misses_every_planned_volume() {
    let state = live(Vec::new(), Some(raw_cluster("volume-info-empty.xml")));
    let drifts = compare(&plan(), &state);
    assert_eq!(drifts.len(), 3);
    assert!(drifts.iter().all(|d| d.kind == DriftKind::VolumeMissing));
    assert_eq!(
        drifts[1].fix,
        "gluster volume create vmstoredomain replica 3 arbiter 1 \
         node0.gluster.private:/gluster_bricks/vmstoredomain/b1/brick \
         node1.gluster.private:/gluster_bricks/vmstoredomain/b1/brick \
         node2.gluster.private:/gluster_bricks/vmstoredomain/a1/brick \
         node1.gluster.private:/gluster_bricks/vmstoredomain/b2/brick \
         node2.gluster.private:/gluster_bricks/vmstoredomain/b1/brick \
         node0.gluster.private:/gluster_bricks/vmstoredomain/a1/brick \
         node2.gluster.private:/gluster_bricks/vmstoredomain/b2/brick \
         node0.gluster.private:/gluster_bricks/vmstoredomain/b2/brick \
         node1.gluster.private:/gluster_bricks/vmstoredomain/a1/brick; \
         then set its options and start it"
    );
}

#[test]
fn without_the_group_file_only_explicit_options_are_checked() {
    let mut cluster = raw_cluster("volume-info-planned.xml");
    cluster.groups.clear();
    assert_eq!(
        compare(&plan(), &live(Vec::new(), Some(cluster))),
        Vec::<Drift>::new()
    );
}

#[test]
fn the_real_volume_info_reads_as_planned() {
    let volumes = parse_volume_info(&fixture("volume-info-planned.xml")).unwrap();
    let vmstore = volumes.iter().find(|v| v.name == "vmstoredomain").unwrap();
    assert_eq!((vmstore.replica_count, vmstore.arbiter_count), (3, 1));
    assert_eq!(vmstore.type_name, "Distributed-Replicate");
    let arbiters: Vec<(&str, &str)> = vmstore
        .bricks
        .iter()
        .filter(|b| b.arbiter)
        .map(|b| (b.node.as_str(), b.directory.as_str()))
        .collect();
    assert_eq!(
        arbiters,
        vec![
            (
                "node2.gluster.private",
                "/gluster_bricks/vmstoredomain/a1/brick"
            ),
            (
                "node0.gluster.private",
                "/gluster_bricks/vmstoredomain/a1/brick"
            ),
            (
                "node1.gluster.private",
                "/gluster_bricks/vmstoredomain/a1/brick"
            ),
        ]
    );
    assert_eq!(
        parse_volume_info(&fixture("volume-info-empty.xml")).unwrap(),
        vec![]
    );
}

#[test]
fn real_lvm_reports_of_loop_devices_read() {
    let pvs = lvm::parse_pvs(&fixture("pvs-real-loop-orphan.json"), "lab: pvs").unwrap();
    assert_eq!(pvs.len(), 3);
    assert_eq!(pvs[0].vg.as_deref(), Some("gluster_vg_sdb"));
    assert_eq!(pvs[2].vg, None);
    assert_eq!(pvs[1].size_bytes, 10733223936);
    let vgs = lvm::parse_vgs(&fixture("vgs-real-loop.json"), "lab: vgs").unwrap();
    assert_eq!(vgs[0].extent_bytes, 4194304);
    assert_eq!(vgs[0].size_bytes, 21470642176);
    assert!(lvm::parse_lvs(&fixture("lvs-real-empty.json"), "lab: lvs")
        .unwrap()
        .is_empty());
}

#[test]
fn unknown_nodes_and_unreadable_output_are_named() {
    let mut stranger = raw_node(0);
    stranger.name = "node9.gluster.private".to_owned();
    let drifts = compare(&plan(), &live(vec![stranger], None));
    assert_eq!(
        kinds(&drifts),
        vec![(
            DriftKind::NodeUnknown,
            Some("node9.gluster.private"),
            "node node9.gluster.private"
        )]
    );

    let mut broken = raw_node(1);
    broken.lvs = "  WARNING: Failed to connect to lvmetad.\n".to_owned();
    broken.mountinfo = "garbage\n".to_owned();
    let errors = parse(&[broken], None).unwrap_err();
    let texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].starts_with("node1.gluster.private: lvs: not JSON"),
        "{texts:?}"
    );
    assert!(
        texts[1].starts_with("node1.gluster.private: /proc/self/mountinfo: line 1"),
        "{texts:?}"
    );
}

#[test]
fn plans_of_other_formats_are_refused() {
    let error =
        RecordedPlan::from_json(r#"{"format_version": 1, "policy": "compat"}"#).unwrap_err();
    assert!(error.to_string().contains("format_version is 1"), "{error}");
    let error = RecordedPlan::from_json("[]").unwrap_err();
    assert!(error.to_string().contains("no format_version"), "{error}");
}
