//! The live-state parsers of drift detection and their comparison with a recorded plan
//! (`hvp_core::drift`): the first byte picks the text (`pvs`/`vgs`/`lvs --reportformat json`,
//! `/proc/self/mountinfo`, `gluster volume info --xml`, a group file, `vdo status`); the parsed state is
//! compared with the 3-node fixture plan. Errors and drift lines carry no raw control
//! character and no forged line; the result is deterministic.
//!
//! `drift::parse` reads the node texts and the Gluster texts independently (each part of the
//! live state comes from its own texts), so the part the input does not replace is parsed
//! once from the fixtures and joined to the part parsed from the input: the same live state
//! as parsing all texts every time, at a fraction of the cost (the fixture XML dominated it).
#![no_main]

use hvp_core::drift::{self, compare, LiveState, RawClusterState, RawNodeState, RecordedPlan};
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

fn fixture_node() -> RawNodeState {
    RawNodeState {
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
    }
}

fn fixture_cluster() -> RawClusterState {
    RawClusterState {
        volume_info_xml: XML.to_owned(),
        ..RawClusterState::default()
    }
}

/// The fixture's live state, parsed once: `nodes` from the node texts, `cluster` from the XML.
static FIXTURE: LazyLock<LiveState> = LazyLock::new(|| {
    drift::parse(&[fixture_node()], Some(&fixture_cluster())).expect("the fixture texts parse")
});

fn run(selector: u8, text: &str) -> Vec<String> {
    let selector = selector % 7;
    let parsed = if matches!(selector, 4 | 5) {
        let mut cluster = fixture_cluster();
        if selector == 4 {
            cluster.volume_info_xml = text.to_owned();
        } else {
            cluster.groups.insert("virt".to_owned(), text.to_owned());
        }
        drift::parse(&[], Some(&cluster)).map(|live| LiveState {
            nodes: FIXTURE.nodes.clone(),
            cluster: live.cluster,
        })
    } else {
        let mut node = fixture_node();
        match selector {
            0 => node.pvs = text.to_owned(),
            1 => node.vgs = text.to_owned(),
            2 => node.lvs = text.to_owned(),
            3 => node.mountinfo = text.to_owned(),
            _ => node.vdo_status = text.to_owned(),
        }
        drift::parse(&[node], None).map(|live| LiveState {
            nodes: live.nodes,
            cluster: FIXTURE.cluster.clone(),
        })
    };
    match parsed {
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
