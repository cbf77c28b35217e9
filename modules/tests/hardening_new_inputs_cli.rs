//! Regression tests of issue 11 (item 4) for the CLIs of the later inputs: `hvp-fileservices`,
//! `hvp-teardown` and `hvp-gdeploy-gen --existing` report invalid UTF-8 with its offset, bad
//! JSON with line and column, control characters by field path, and never print a raw
//! control character (file names included).

use std::path::Path;
use std::process::{Command, Output};

fn run(binary: &str, args: &[&str]) -> Output {
    Command::new(binary).args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "output written on error");
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character: {text:?}"
    );
    text
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .to_str()
        .unwrap()
        .to_owned()
}

#[test]
fn fileservices_input_with_invalid_utf8_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in\u{1b}put.json");
    std::fs::write(&path, b"{\"vars\": \"\xfe\"}").unwrap();
    let text = stderr(&run(
        env!("CARGO_BIN_EXE_hvp-fileservices"),
        &[path.to_str().unwrap(), "--plan"],
    ));
    assert!(
        text.contains("in\\u{1b}put.json is not UTF-8 text: byte 10 (0xfe)"),
        "{text}"
    );
}

#[test]
fn fileservices_input_with_a_control_character_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut document: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("examples/fileservices-3nodes.json")).unwrap(),
    )
    .unwrap();
    document["storage"]["volumes"][0]["name"] = serde_json::json!("ctdb\n[global]");
    let path = dir.path().join("input.json");
    std::fs::write(&path, document.to_string()).unwrap();
    let text = stderr(&run(
        env!("CARGO_BIN_EXE_hvp-fileservices"),
        &[path.to_str().unwrap(), "--plan"],
    ));
    assert!(
        text.contains("storage.volumes[0].name: holds a control character"),
        "{text}"
    );
}

#[test]
fn teardown_of_a_plan_that_does_not_parse() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, b"{\"format_version\": 2,\n\"nodes\": [\xff]}").unwrap();
    let text = stderr(&run(
        env!("CARGO_BIN_EXE_hvp-teardown"),
        &[path.to_str().unwrap()],
    ));
    assert!(text.contains("is not UTF-8 text: byte 32 (0xff)"), "{text}");
    std::fs::write(&path, b"{\"format_version\": 2,\n\"nodes\": [}").unwrap();
    let text = stderr(&run(
        env!("CARGO_BIN_EXE_hvp-teardown"),
        &[path.to_str().unwrap()],
    ));
    assert!(text.contains("line 2"), "{text}");
}

#[test]
fn expansion_with_a_recorded_plan_holding_a_control_character() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("hvp-core/tests/fixtures/expand/plan-3nodes.json"))
            .unwrap(),
    )
    .unwrap();
    plan["nodes"][0]["name"] = serde_json::json!("node0\u{7}");
    let path = dir.path().join("plan.json");
    std::fs::write(&path, plan.to_string()).unwrap();
    let text = stderr(&run(
        env!("CARGO_BIN_EXE_hvp-gdeploy-gen"),
        &[
            &fixture("hvp-core/tests/fixtures/expand/facts-3nodes-new-disks.json"),
            "--existing",
            path.to_str().unwrap(),
        ],
    ));
    assert!(
        text.contains("field nodes[0].name holds a control character"),
        "{text}"
    );
}
