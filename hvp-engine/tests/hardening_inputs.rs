//! Regression tests of issue 11 (item 4) for the documents `hvp-engine` and `hvp_engine`
//! read: invalid UTF-8 with its offset, JSON/YAML errors without Rust type names, a desired
//! state with control characters, bad host names or URLs refused by field path.

use hvp_engine::inputs::{parse_document, parse_state};
use serde_json::{json, Value};

fn state() -> Value {
    serde_json::from_str(include_str!("../../examples/engine-state.json")).unwrap()
}

#[test]
fn invalid_utf8_is_reported_with_its_offset() {
    let error = parse_document(b"{\"a\": \"\xc3\x28\"}", "vars.yml").unwrap_err();
    assert!(
        error.starts_with("vars.yml is not UTF-8 text: byte 7 (0xc3)"),
        "{error}"
    );
}

#[test]
fn the_example_state_reads() {
    parse_state(state(), "state.json").unwrap();
}

#[test]
fn control_characters_in_a_desired_state_are_refused_by_field_path() {
    let mut value = state();
    value["data_center"]["name"] = json!("Default\u{1b}[2J");
    let error = parse_state(value, "state\n.json").unwrap_err();
    assert!(error.starts_with("state\\n.json: "), "{error}");
    assert!(
        error.contains("state.data_center.name: holds a control character"),
        "{error}"
    );
    assert!(
        !error.chars().any(|c| c.is_control() && c != '\n'),
        "{error:?}"
    );
}

#[test]
fn bad_names_and_urls_in_a_desired_state_are_refused() {
    let mut value = state();
    value["hosts"][0]["address"] = json!("bad host");
    value["engine"]["api_url"] = json!("celestia/ovirt-engine/api");
    let error = parse_state(value, "state.json").unwrap_err();
    assert!(error.contains("hosts[0].address"), "{error}");
    assert!(error.contains("engine.api_url"), "{error}");
}

#[test]
fn shape_errors_have_the_field_path_and_no_rust_types() {
    let mut value = state();
    value["data_center"]["version"]["major"] = json!(-4);
    let error = parse_state(value, "state.json").unwrap_err();
    assert!(
        error.contains("field data_center.version.major: -4 is negative"),
        "{error}"
    );
    assert!(!error.contains("u32"), "{error}");
}

/// Fuzz finding (engine_plan): a key holding DEL reached the field path of a shape error raw;
/// `input::json` escapes the path now.
#[test]
fn field_paths_escape_the_documents_keys() {
    let mut value = state();
    let providers = value["cluster"]["external_network_providers"].take();
    value["cluster"]
        .as_object_mut()
        .unwrap()
        .remove("external_network_providers");
    value["cluster"]["external\u{7f}network_providers"] = providers;
    let error = parse_state(value, "state.json").unwrap_err();
    assert!(
        error.contains("external\\u{7f}network_providers"),
        "{error}"
    );
    assert!(!error.chars().any(char::is_control), "{error:?}");
}
