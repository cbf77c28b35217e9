//! Regression tests of issue 11 (item 4) for the balanced policy's variables
//! (`hvp_layout_policy`, placement, filters, demands, VDO/cache/RAID settings, volume layout):
//! unknown names with "did you mean", one size grammar (no blanks) with the LVM bound,
//! "too large" told apart from "not a size", escaped user text, no panic on extreme values.

use hvp_core::gdeploy_gen::{generate, OutputFormat};
use serde_json::{json, Value};

const TB4: u64 = 4_000_787_030_016;

fn facts(vars: Value) -> Value {
    let node = |name: &str| {
        json!({"name": name, "hvp_free_disks": [
            {"name": "sdb", "size": TB4}, {"name": "sdc", "size": TB4}]})
    };
    let mut vars = vars;
    vars["hvp_layout_policy"] = json!("balanced");
    json!({"nodes": [node("n1"), node("n2"), node("n3")], "vars": vars})
}

fn error(vars: Value) -> String {
    let text = generate(&facts(vars), OutputFormat::Json)
        .unwrap_err()
        .to_string();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character: {text:?}"
    );
    text
}

#[test]
fn the_balanced_example_plans() {
    generate(&facts(json!({})), OutputFormat::Json).unwrap();
}

#[test]
fn misspelt_policy_variables_and_fields_get_did_you_mean() {
    let text = error(json!({
        "hvp_arbiter_placment": "last",
        "hvp_volume_layout": {"vmstoredomain": {"spred": "all"}},
        "hvp_disk_filter": {"data": {"rotationl": false}},
    }));
    assert!(
        text.contains("did you mean 'hvp_arbiter_placement'?"),
        "{text}"
    );
    assert!(text.contains("did you mean 'spread'?"), "{text}");
    assert!(text.contains("did you mean 'rotational'?"), "{text}");
}

#[test]
fn choices_are_escaped_and_suggested() {
    let text =
        error(json!({"hvp_cache_mode": "writeback\n- error: forged", "hvp_vdo_mode": "LVMM"}));
    assert!(
        text.contains("'writeback\\u{a}- error: forged' is not one of"),
        "{text}"
    );
    assert!(text.contains("did you mean 'lvm'?"), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[test]
fn sizes_follow_the_one_grammar_and_the_lvm_bound() {
    let text = error(json!({"hvp_reserve_expansion": "1 TB", "hvp_arbiter_floor": "20000PiB"}));
    assert!(
        text.contains("variable hvp_reserve_expansion: '1 TB' is not a size"),
        "{text}"
    );
    assert!(
        text.contains("variable hvp_arbiter_floor: 23058430092136939520 bytes")
            || text.contains("variable hvp_arbiter_floor: '20000PiB' is not a size"),
        "{text}"
    );
    let text = error(json!({"hvp_min_set": 18446744073709551615u64}));
    assert!(
        text.contains(
            "18446744073709551615 bytes is too large (at most 9223372036854775808 bytes, 8 EiB"
        ),
        "{text}"
    );
}

#[test]
fn demands_beyond_bounds_are_too_large_not_garbage() {
    let text = error(json!({"hvp_vmstoredomain_size": "99999999999999999999999"}));
    assert!(
        text.contains(
            "variable hvp_vmstoredomain_size: 99999999999999999999999 bytes is too large"
        ),
        "{text}"
    );
    let text = error(json!({"hvp_backup_size": "9EiB"}));
    assert!(text.contains("variable hvp_backup_size"), "{text}");
    assert!(text.contains("is too large"), "{text}");
}

#[test]
fn extreme_numbers_do_not_panic() {
    for vars in [
        json!({"hvp_vdo_ratio": "NaN", "hvp_vdo_mode": "lvm"}),
        json!({"hvp_winshare_size": "1e308%"}),
        json!({"hvp_arbiter_dedicated_nodes": 18446744073709551615u64}),
        json!({"hvp_vmstoredomain_size": "rest:4294967296"}),
    ] {
        let _ = generate(&facts(vars), OutputFormat::Json);
    }
}
