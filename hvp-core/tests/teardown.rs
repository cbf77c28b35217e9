//! Teardown of recorded plans: the exact operations, their order, nothing outside the plan,
//! refusals by name, and reviewed snapshots of the commands and the gDeploy cleanup file.

use hvp_core::drift::RecordedPlan;
use hvp_core::gdeploy_gen::{generate, OutputFormat};
use hvp_core::teardown::{plan_teardown, render_commands, render_ini, Action, Teardown};
use std::collections::BTreeSet;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/drift");

fn plan_text() -> String {
    std::fs::read_to_string(format!("{DIR}/plan-3nodes.json")).unwrap()
}

fn teardown() -> Teardown {
    plan_teardown(&RecordedPlan::from_json(&plan_text()).unwrap()).unwrap()
}

#[test]
fn commands_snapshot() {
    insta::assert_snapshot!(render_commands(&teardown()));
}

#[test]
fn gdeploy_cleanup_snapshot() {
    let ini = render_ini(&teardown());
    // gDeploy splits values at commas: a shell command must hold none.
    for line in ini.lines().filter(|line| line.starts_with("command=")) {
        assert!(!line.contains(','), "{line}");
    }
    insta::assert_snapshot!(ini);
}

#[test]
fn operations_run_in_the_undo_order_on_every_node() {
    let teardown = teardown();
    let rank = |action: Action| match action {
        Action::StopVolume | Action::DeleteVolume => 0,
        Action::Unmount | Action::FstabEntry | Action::MountPoint => 1,
        Action::RemoveLv => 2,
        Action::RemovePool => 3,
        Action::RemoveVg => 5,
        Action::RemovePv => 6,
        Action::RemoveVdo => 7,
        Action::WipeDisk => 8,
    };
    let gluster: Vec<_> = teardown.for_node(None).collect();
    assert_eq!(gluster.len(), 6);
    for pair in gluster.chunks(2) {
        assert_eq!(
            (pair[0].action, pair[1].action),
            (Action::StopVolume, Action::DeleteVolume)
        );
        assert_eq!(pair[0].object, pair[1].object);
    }
    for node in &teardown.nodes {
        let ranks: Vec<u8> = teardown
            .for_node(Some(node))
            .map(|o| rank(o.action))
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{node}: {ranks:?}");
        // Thin LVs go before the thick ones.
        let lvs: Vec<&str> = teardown
            .for_node(Some(node))
            .filter(|o| o.action == Action::RemoveLv)
            .map(|o| o.object.as_str())
            .collect();
        assert_eq!(lvs.last(), Some(&"lv gluster_vg_sdb/gluster_lv_engine"));
        assert!(
            lvs[..3].iter().all(|lv| lv.contains("vmstoredomain")),
            "{lvs:?}"
        );
    }
}

#[test]
fn exactly_the_planned_objects_are_touched() {
    let plan = RecordedPlan::from_json(&plan_text()).unwrap();
    let teardown = plan_teardown(&plan).unwrap();
    for node in &plan.nodes {
        let objects: BTreeSet<String> = teardown
            .for_node(Some(&node.name))
            .filter(|o| o.action != Action::FstabEntry && o.action != Action::MountPoint)
            .map(|o| o.object.clone())
            .collect();
        let mut planned = BTreeSet::new();
        for vg in &node.volume_groups {
            planned.insert(format!("vg {}", vg.name));
            for pv in &vg.physical_volumes {
                planned.insert(format!("pv {pv}"));
            }
            for pool in &vg.thin_pools {
                planned.insert(format!("thin pool {}/{}", vg.name, pool.name));
            }
            for lv in &vg.logical_volumes {
                planned.insert(format!("lv {}/{}", vg.name, lv.name));
                planned.insert(format!("mount {}", lv.mount_point.as_deref().unwrap()));
            }
        }
        for disk in node.disks.iter().filter(|d| d.usage.is_some()) {
            planned.insert(format!("disk {}", disk.name));
        }
        assert_eq!(objects, planned, "{}", node.name);
        // sdc is free but unused: never wiped.
        assert!(!teardown
            .for_node(Some(&node.name))
            .any(|o| o.command.contains("/dev/sdc")));
    }
    let volumes: BTreeSet<&str> = teardown.for_node(None).map(|o| o.object.as_str()).collect();
    assert_eq!(
        volumes,
        BTreeSet::from(["volume ctdb", "volume enginedomain", "volume vmstoredomain"])
    );
}

#[test]
fn a_pv_on_a_disk_outside_the_plan_is_refused_by_name() {
    let text = plan_text().replacen("\"/dev/sdb\"", "\"/dev/sdz\"", 1);
    let report = plan_teardown(&RecordedPlan::from_json(&text).unwrap()).unwrap_err();
    assert_eq!(report.problems().len(), 1, "{report}");
    let problem = &report.problems()[0];
    assert_eq!(
        problem.subject,
        "node node0.gluster.private, vg gluster_vg_sdb"
    );
    assert!(
        problem
            .message
            .starts_with("PV /dev/sdz is not on a disk of the plan (planned: /dev/sdb)"),
        "{}",
        problem.message
    );
}

#[test]
fn names_unsafe_for_a_shell_are_refused_all_at_once() {
    let text = plan_text()
        .replacen(
            "\"name\": \"enginedomain\"",
            "\"name\": \"engine; rm -rf /\"",
            1,
        )
        .replacen("\"/gluster_bricks/ctdb\"", "\"/gluster bricks/ctdb\"", 1);
    let report = plan_teardown(&RecordedPlan::from_json(&text).unwrap()).unwrap_err();
    let messages: Vec<String> = report.problems().iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].contains("volume name \"engine; rm -rf /\""),
        "{messages:#?}"
    );
    assert!(
        messages[1].contains("mount point \"/gluster bricks/ctdb\""),
        "{messages:#?}"
    );
}

#[test]
fn a_compat_plan_from_the_generator_tears_down_with_its_vdo_devices() {
    let facts: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/gdeploy/n3-d3-vdo.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let json = generate(&facts, OutputFormat::Json).unwrap().output;
    let plan = RecordedPlan::from_json(&json).unwrap();
    let teardown = plan_teardown(&plan).unwrap();
    let vdo: Vec<&str> = teardown
        .operations
        .iter()
        .filter(|o| o.action == Action::RemoveVdo)
        .map(|o| o.command.as_str())
        .collect();
    let planned_vdo: usize = plan.nodes.iter().map(|n| n.vdo_devices.len()).sum();
    assert!(planned_vdo > 0);
    assert_eq!(vdo.len(), planned_vdo);
    assert!(
        vdo.iter().all(|c| c.starts_with("vdo remove --name=vdo_")),
        "{vdo:?}"
    );
    // The VDO device goes after its PV and before the disk is wiped.
    for node in &teardown.nodes {
        let actions: Vec<Action> = teardown.for_node(Some(node)).map(|o| o.action).collect();
        let last_pv = actions.iter().rposition(|a| *a == Action::RemovePv);
        let first_wipe = actions.iter().position(|a| *a == Action::WipeDisk);
        if let Some(vdo) = actions.iter().position(|a| *a == Action::RemoveVdo) {
            assert!(
                last_pv < Some(vdo) && Some(vdo) < first_wipe,
                "{node}: {actions:?}"
            );
        }
    }
}
