//! Regression test of the `netfacts` fuzz target (`docs/fuzzing.md`): user text in the
//! interface-facts errors is escaped (a DEL in a key was printed raw).

use hvp_core::netfacts::interfaces_from_facts;
use serde_json::Value;

#[test]
fn fuzz_finding_a_control_character_in_a_facts_key() {
    let value: Value = serde_json::from_slice(include_bytes!(
        "fixtures/fuzz/netfacts-control-character-in-key.json"
    ))
    .unwrap();
    let error = interfaces_from_facts(&value["facts"])
        .unwrap_err()
        .to_string();
    assert!(
        !error.chars().any(|c| c.is_control() && c != '\n'),
        "{error:?}"
    );
    assert!(error.contains("in\\u{7f}erfaces"), "{error}");
}
