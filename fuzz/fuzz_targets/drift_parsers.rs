//! The live-state parsers of drift detection and their comparison with a recorded plan
//! (`hvp_core::drift`): the first byte picks the text (`pvs`/`vgs`/`lvs --reportformat json`,
//! `/proc/self/mountinfo`, `gluster volume info --xml`, a group file, `vdo status`); the parsed state is
//! compared with the 3-node fixture plan. Errors and drift lines carry no raw control
//! character and no forged line; the result is deterministic.
#![no_main]

use hvp_core::drift::{self, compare, RawClusterState, RawNodeState, RecordedPlan};
use hvp_fuzz::assert_no_raw_control;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static PLAN: LazyLock<RecordedPlan> = LazyLock::new(|| {
    RecordedPlan::from_json(include_str!(
        "../../hvp-core/tests/fixtures/drift/plan-3nodes.json"
    ))
    .expect("the fixture plan reads")
});
const PVS: &str = include_str!("../../hvp-core/tests/fixtures/drift/node0-pvs.json");
const VGS: &str = include_str!("../../hvp-core/tests/fixtures/drift/node0-vgs.json");
const LVS: &str = include_str!("../../hvp-core/tests/fixtures/drift/node0-lvs.json");
const MOUNTS: &str = include_str!("../../hvp-core/tests/fixtures/drift/mountinfo-node0.txt");
const XML: &str = include_str!("../../hvp-core/tests/fixtures/drift/volume-info-planned.xml");

fn run(selector: u8, text: &str) -> Vec<String> {
    let mut node = RawNodeState {
        name: PLAN
            .nodes
            .first()
            .map(|n| n.name.clone())
            .unwrap_or_default(),
        pvs: PVS.to_owned(),
        vgs: VGS.to_owned(),
        lvs: LVS.to_owned(),
        mountinfo: MOUNTS.to_owned(),
        vdo_status: String::new(),
    };
    let mut cluster = RawClusterState {
        volume_info_xml: XML.to_owned(),
        ..RawClusterState::default()
    };
    match selector % 7 {
        0 => node.pvs = text.to_owned(),
        1 => node.vgs = text.to_owned(),
        2 => node.lvs = text.to_owned(),
        3 => node.mountinfo = text.to_owned(),
        4 => cluster.volume_info_xml = text.to_owned(),
        5 => {
            cluster.groups.insert("virt".to_owned(), text.to_owned());
        }
        _ => node.vdo_status = text.to_owned(),
    }
    match drift::parse(&[node], Some(&cluster)) {
        Ok(live) => compare(&PLAN, &live)
            .iter()
            .map(|d| {
                let line = d.to_string();
                assert_no_raw_control("drift", &line);
                assert!(!line.contains('\n'), "a drift line forged a line: {line}");
                line
            })
            .collect(),
        Err(errors) => errors
            .iter()
            .map(|e| {
                let line = e.to_string();
                assert_no_raw_control("parse error", &line);
                assert!(!line.contains('\n'), "an error forged a line: {line}");
                line
            })
            .collect(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    assert_eq!(
        run(selector, text),
        run(selector, text),
        "not deterministic"
    );
});
