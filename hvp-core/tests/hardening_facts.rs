//! Regression tests of issue 11 for the facts document (`hvp-gdeploy-gen`): names, sizes,
//! duplicates aggregated, escaped reports, near-linear cost.

use hvp_core::gdeploy_gen::{generate, OutputFormat};
use serde_json::{json, Value};

const TB1: u64 = 1 << 40;

fn error(facts: &Value) -> String {
    generate(facts, OutputFormat::Ini).unwrap_err().to_string()
}

fn one_node(disks: Value, vars: Value) -> Value {
    json!({"nodes": [{"name": "node0.gluster.private", "hvp_free_disks": disks}], "vars": vars})
}

#[test]
fn control_characters_in_names_are_refused_and_escaped() {
    for (facts, needle) in [
        (
            one_node(json!([{"name": "sd\u{1b}[31m", "size": TB1}]), json!({})),
            "is not a valid kernel disk name",
        ),
        (
            json!({"nodes": [{"name": "node\u{0}", "hvp_free_disks": [{"name": "sdb", "size": TB1}]}]}),
            "is not a valid host name",
        ),
        (
            one_node(
                json!([{"name": "sdb", "size": TB1}]),
                json!({"hvp_iso_volume_name": "i\nso"}),
            ),
            "did you mean",
        ),
    ] {
        let text = error(&facts);
        assert!(text.contains(needle), "{text}");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
    }
}

#[test]
fn a_newline_in_a_name_cannot_forge_a_report_line() {
    let facts = one_node(
        json!([{"name": "sdb\n  - error: forged", "size": TB1}]),
        json!({}),
    );
    let report = generate(&facts, OutputFormat::Ini).unwrap_err();
    let text = report.to_string();
    assert_eq!(text.lines().count(), report.problems().len() + 1, "{text}");
    assert!(text.contains("sdb\\n  - error: forged"), "{text}");
}

#[test]
fn descriptive_disk_fields_are_escaped_in_every_output() {
    let facts = one_node(
        json!([{"name": "sdb", "size": TB1, "model": "evil\u{1b}[2J", "serial": "s\r"}]),
        json!({}),
    );
    for format in [OutputFormat::Ini, OutputFormat::Json, OutputFormat::Table] {
        let output = generate(&facts, format).unwrap().output;
        assert!(
            !output.chars().any(|c| c.is_control() && c != '\n'),
            "{format:?}"
        );
    }
}

#[test]
fn sizes_have_one_grammar_and_per_use_bounds() {
    for (vars, needle) in [
        (
            json!({"hvp_vmstoredomain_size": "1 GB"}),
            "'1 GB' is not a size",
        ),
        (json!({"hvp_isodomain_size": "1B"}), "below the a brick"),
        (json!({"hvp_backup_size": "9EB"}), "above the a brick"),
        (
            json!({"hvp_use_vdo": true, "hvp_winshare_size": "15EB"}),
            "above the a brick",
        ),
        (
            json!({"hvp_use_vdo": true, "hvp_winshare_size": "4PB"}),
            "above VDO's maximum",
        ),
        (json!({"hvp_backup_size": "18EB"}), "too large"),
    ] {
        let text = error(&one_node(
            json!([{"name": "sdb", "size": TB1}]),
            vars.clone(),
        ));
        assert!(text.contains(needle), "{vars}: {text}");
    }
}

#[test]
fn duplicates_are_reported_once_with_their_count() {
    let disks: Vec<Value> = (0..2000)
        .map(|_| json!({"name": "sdb", "size": TB1}))
        .collect();
    let nodes: Vec<Value> = (0..2000)
        .map(|_| json!({"name": "node0", "hvp_free_disks": [{"name": "sdb", "size": TB1}]}))
        .collect();
    let text = error(&one_node(Value::Array(disks), json!({})));
    assert!(
        text.contains("disk sdb: is listed 2000 times in hvp_free_disks"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");
    let text = error(&json!({"nodes": nodes}));
    assert!(
        text.contains("node node0: is listed 2000 times in nodes"),
        "{text}"
    );
    assert!(text.lines().count() < 10, "{text}");
}

#[test]
fn reports_are_capped_with_a_count_of_the_rest() {
    let disks: Vec<Value> = (0..500)
        .map(|i| json!({"name": format!("sd{i}"), "size": 0}))
        .collect();
    let report =
        generate(&one_node(Value::Array(disks), json!({})), OutputFormat::Ini).unwrap_err();
    let limit = hvp_core::input::condense::MAX_LISTED;
    assert_eq!(report.problems().len(), limit + 1);
    assert!(report.to_string().contains("more problems are not listed"));
}

#[test]
fn many_disks_on_one_node_are_planned() {
    // 80,000 disks took 8 s when the duplicate check was quadratic; the check is now one hash
    // lookup per disk. (No timing assertion: `cargo bench` prints figures.)
    let disks: Vec<Value> = (0..80_000)
        .map(|i| json!({"name": format!("sd{i}"), "size": TB1 + i}))
        .collect();
    let generated = generate(&one_node(Value::Array(disks), json!({})), OutputFormat::Ini).unwrap();
    assert!(generated.output.contains("[hosts]"));
}

#[test]
fn misspelt_variables_and_fields_get_the_usual_suggestions() {
    let facts = json!({"nodes": [{"name": "n0", "hvp_free_disks": [{"name": "sdb", "SIZE": 1}]}],
        "vars": {"HVP_USE_VDO": true, "hvp-ctdb-size": "1GB", "hvp_backup_size ": "1GB"}});
    let text = error(&facts);
    for needle in [
        "did you mean 'size'?",
        "did you mean 'hvp_use_vdo'?",
        "did you mean 'hvp_ctdb_size'?",
        "did you mean 'hvp_backup_size'?",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}
