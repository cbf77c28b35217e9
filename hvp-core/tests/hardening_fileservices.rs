//! Regression tests of issue 11 (item 4) for the file-services input document
//! (`hvp-fileservices`, `hvp_file_services`): control characters, unknown fields with "did you
//! mean", numbers out of range, JSON shape errors with the field path and no Rust type names,
//! escaped user text, near-linear checks.

use hvp_core::fileservices::{self, FileServicesInput};
use serde_json::{json, Value};

fn example() -> Value {
    serde_json::from_str(include_str!("../../examples/fileservices-3nodes.json")).unwrap()
}

/// The report of the input (or, when the input reads, of the plan).
fn report(document: &Value) -> String {
    match FileServicesInput::from_value(document) {
        Err(report) => report.to_string(),
        Ok(input) => fileservices::plan(&input).unwrap_err().to_string(),
    }
}

fn assert_clean(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character: {text:?}"
    );
}

#[test]
fn the_example_reads_and_plans() {
    let input = FileServicesInput::from_value(&example()).unwrap();
    fileservices::plan(&input).unwrap();
}

#[test]
fn unknown_input_fields_get_did_you_mean() {
    let mut document = example();
    let vars = document["vars"].take();
    document["Vars"] = vars;
    let text = report(&document);
    assert!(text.contains("unknown field 'Vars'"), "{text}");
    assert!(text.contains("did you mean 'vars'?"), "{text}");
}

#[test]
fn control_characters_in_plans_are_refused_with_the_field_path() {
    let mut document = example();
    document["network"]["zones"]["lan"]["device"] = json!("eth\u{1b}[31m");
    document["storage"]["nodes"][1]["name"] = json!("node\nfake");
    let text = report(&document);
    assert!(
        text.contains("network.zones.lan.device: holds a control character"),
        "{text}"
    );
    assert!(text.contains("storage.nodes[1].name"), "{text}");
    assert_clean(&text);
}

#[test]
fn storage_names_use_the_name_validators() {
    let mut document = example();
    document["storage"]["volumes"][0]["name"] = json!("vm store");
    document["storage"]["nodes"][0]["name"] = json!("bad/host");
    let text = report(&document);
    assert!(
        text.contains("is not a valid Gluster volume name"),
        "{text}"
    );
    assert!(text.contains("is not a valid host name"), "{text}");
}

#[test]
fn variables_with_control_characters_are_refused_and_escaped() {
    let mut document = example();
    document["vars"]["hvp_adjoin_realm"] = json!("AD.EXAMPLE\n[global]");
    document["vars"]["hvp_ctdb_log_location"] = json!("file:/var/log/ctdb\u{7}");
    let text = report(&document);
    assert!(text.contains("variable hvp_adjoin_realm"), "{text}");
    assert!(
        text.contains("'AD.EXAMPLE\\n[global]' holds a control character"),
        "{text}"
    );
    assert!(text.contains("variable hvp_ctdb_log_location"), "{text}");
    assert_clean(&text);
}

#[test]
fn numbers_that_are_only_too_large_say_so() {
    let mut document = example();
    document["vars"]["hvp_autorid_rangesize"] = json!("4294967296");
    document["vars"]["hvp_ctdb_tunables"] = json!({"KeepaliveInterval": 99999999999u64});
    let text = report(&document);
    assert!(
        text.contains("\"4294967296\" is too large (at most 4294967295)"),
        "{text}"
    );
    assert!(
        text.contains("KeepaliveInterval = 99999999999 is too large"),
        "{text}"
    );
    let mut document = example();
    document["vars"]["hvp_autorid_rangesize"] = json!("12x");
    let text = report(&document);
    assert!(text.contains("\"12x\" is not a whole number"), "{text}");
}

#[test]
fn shape_errors_name_the_field_without_rust_types() {
    let mut document = example();
    document["storage"]["format_version"] = json!(4294967296u64);
    document["network"]["zones"] = json!([1]);
    let text = report(&document);
    assert!(
        text.contains("field format_version: 4294967296 is too large; give a whole number from 0 to 4294967295"),
        "{text}"
    );
    assert!(
        text.contains("network: cannot be read: field zones"),
        "{text}"
    );
    for rust in ["u32", "struct ", "StoragePlan", "NetworkPlan", "BTreeMap"] {
        assert!(!text.contains(rust), "{rust} in {text}");
    }
}

#[test]
fn many_subfolders_are_checked_in_linear_time_and_reported_condensed() {
    let mut document = example();
    let folders: Vec<Value> = (0..20_000)
        .map(|_| json!({"path": "same", "mode": "0755"}))
        .collect();
    document["vars"]["hvp_winshare_subfolders"] = Value::Array(folders);
    let text = report(&document);
    assert!(
        text.contains("the folder \"same\" is listed twice (reported 19999 times)"),
        "{text}"
    );
    assert!(text.lines().count() < 60, "{} lines", text.lines().count());
}
