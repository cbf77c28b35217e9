//! Reviewed snapshots of the three output formats for a 1-node and a 3-node VDO inventory.

use hvp_core::gdeploy_gen::{generate, OutputFormat};
use std::path::Path;

fn output(fixture: &str, format: OutputFormat) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gdeploy")
        .join(format!("{fixture}.json"));
    let facts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    generate(&facts, format).unwrap().output
}

#[test]
fn ini_three_nodes_vdo() {
    insta::assert_snapshot!(output("n3-d3-vdo", OutputFormat::Ini));
}

#[test]
fn ini_one_node_custom_vars() {
    insta::assert_snapshot!(output("n1-d2-custom-vars", OutputFormat::Ini));
}

#[test]
fn json_three_nodes_vdo() {
    insta::assert_snapshot!(output("n3-d3-vdo", OutputFormat::Json));
}

#[test]
fn table_three_nodes_four_disks() {
    insta::assert_snapshot!(output("n3-d4", OutputFormat::Table));
}

#[test]
fn table_one_node_custom_vars() {
    insta::assert_snapshot!(output("n1-d2-custom-vars", OutputFormat::Table));
}

#[test]
fn commands_three_nodes_vdo() {
    insta::assert_snapshot!(output("n3-d3-vdo", OutputFormat::Commands));
}

#[test]
fn commands_one_node_custom_vars() {
    insta::assert_snapshot!(output("n1-d2-custom-vars", OutputFormat::Commands));
}
