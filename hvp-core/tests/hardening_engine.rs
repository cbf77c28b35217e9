//! Regression tests of issue 11 (item 4) for the Engine stage's inputs
//! (`hvp-engine state`, `hvp_engine`): control characters by field path, unknown variables
//! with "did you mean", shape errors with the field path and no Rust type names, names,
//! addresses and URLs through the validators, escaped reports.

use hvp_core::engine::{desired_state, EngineInputs};
use serde_json::{json, Value};

fn inputs() -> Value {
    let vars: Value =
        serde_yaml_ng::from_str(include_str!("../../examples/engine/vars.yml")).unwrap();
    json!({
        "vars": vars,
        "network_plan": serde_json::from_str::<Value>(include_str!("../../examples/engine/network-plan.json")).unwrap(),
        "storage_plan": serde_json::from_str::<Value>(include_str!("../../examples/engine/storage-plan.json")).unwrap(),
        "cpu": serde_json::from_str::<Value>(include_str!("../../examples/engine/cpu.json")).unwrap(),
    })
}

fn report(document: &Value) -> String {
    let inputs: EngineInputs = serde_json::from_value(document.clone()).unwrap();
    let text = desired_state(&inputs).unwrap_err().to_string();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character: {text:?}"
    );
    text
}

#[test]
fn the_example_gives_a_state() {
    let inputs: EngineInputs = serde_json::from_value(inputs()).unwrap();
    desired_state(&inputs).unwrap();
}

#[test]
fn control_characters_are_refused_by_field_path() {
    let mut document = inputs();
    document["vars"]["dc_name"] = json!("Default\n- error: forged");
    document["network_plan"]["zones"]["mgmt"]["device"] = json!("eth0\u{0}");
    let text = report(&document);
    assert!(
        text.contains("vars.dc_name: holds a control character"),
        "{text}"
    );
    assert!(
        text.contains("network_plan.zones.mgmt.device: holds a control character"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[test]
fn misspelt_variables_get_did_you_mean() {
    let mut document = inputs();
    document["vars"]["DC_NAME"] = json!("Other");
    document["vars"]["hvp-engine-name"] = json!("x");
    let text = report(&document);
    assert!(
        text.contains(
            "variable DC_NAME: is not a variable of the Engine stage (fix: did you mean dc_name?)"
        ),
        "{text}"
    );
    assert!(text.contains("did you mean hvp_engine_name?"), "{text}");
}

#[test]
fn shape_errors_name_the_field_without_rust_types() {
    let mut document = inputs();
    document["vars"]["hosts"][1]["interfaces"] = json!(["eth0"]);
    let text = report(&document);
    assert!(text.contains("field hosts[1].interfaces"), "{text}");
    let mut document = inputs();
    document["network_plan"]["ovirt_networks"][0]["mtu"] = json!(4294967296u64);
    let text = report(&document);
    assert!(
        text.contains("field ovirt_networks[0].mtu: 4294967296 is too large; give a whole number from 0 to 4294967295"),
        "{text}"
    );
    for rust in ["u32", "struct ", "BTreeMap", "HostVar"] {
        assert!(!text.contains(rust), "{rust} in {text}");
    }
}

#[test]
fn names_addresses_and_urls_go_through_the_validators() {
    let mut document = inputs();
    document["vars"]["hosts"][0]["address"] = json!("bad host");
    document["vars"]["hvp_ovn_provider_url"] = json!("ftp://celestia:9696");
    document["vars"]["hvp_glusterfs_mountopts"] = json!("log-level=WARNING, x");
    let text = report(&document);
    assert!(
        text.contains("hosts[0].address: 'bad host' is not a valid host name"),
        "{text}"
    );
    assert!(
        text.contains("ovn_provider.url: 'ftp://celestia:9696' is not an http(s) URL"),
        "{text}"
    );
    assert!(text.contains("storage.options"), "{text}");
}

/// Fuzz finding (`engine_plan`, 2026-11-30 campaign): a storage domain named with a DEL
/// character reached the action's description raw; `Action::describe` escapes the names.
#[test]
fn fuzz_finding_action_descriptions_escape_names() {
    use hvp_core::engine::{plan, DesiredState, ObservedState};
    #[derive(serde::Deserialize)]
    struct Input {
        desired: DesiredState,
    }
    let input: Input = serde_json::from_slice(include_bytes!(
        "fixtures/fuzz/engine-plan-del-in-storage-domain-name.json"
    ))
    .unwrap();
    let descriptions: Vec<String> = plan(&ObservedState::default(), &input.desired)
        .iter()
        .map(|action| action.action.describe())
        .collect();
    assert!(
        descriptions.contains(&"create storage domain vmst\\u{7f}re_domain".to_owned()),
        "{descriptions:#?}"
    );
    for description in &descriptions {
        assert!(
            !description.chars().any(char::is_control),
            "{description:?}"
        );
    }
}
