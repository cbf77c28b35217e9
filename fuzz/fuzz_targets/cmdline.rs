//! `hvp-netprobe`'s kernel command line reader (`hvp_modules::netprobe::cmdline`) → the probe
//! document's `parameters` → the network plan in both modes. Every parameter name starts with
//! `hvp_`, no name or value holds white space, and the plan of a fixed four-zone node with
//! those parameters meets the probe-document invariants (`hvp_fuzz::check_probe_document`).
#![no_main]

use hvp_modules::netprobe::cmdline::hvp_parameters;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The node of `hvp-core/tests/fixtures/network/n01-four-zones-basic.json`.
const NODE: &str = include_str!("../../hvp-core/tests/fixtures/network/n01-four-zones-basic.json");

fuzz_target!(|data: &[u8]| {
    // /proc/cmdline is read as text: the probe refuses invalid UTF-8 before this point.
    let Ok(cmdline) = std::str::from_utf8(data) else {
        return;
    };
    let parameters = hvp_parameters(cmdline);
    assert_eq!(parameters, hvp_parameters(cmdline), "not deterministic");
    for (name, value) in &parameters {
        assert!(
            name.starts_with("hvp_") && name.len() > 4,
            "parameter name {name:?}"
        );
        assert!(
            !name.contains(char::is_whitespace),
            "white space in {name:?}"
        );
        assert!(
            !value.contains(char::is_whitespace),
            "white space in {value:?}"
        );
    }
    let Ok(mut document) = serde_json::from_str::<Value>(NODE) else {
        return;
    };
    document["parameters"] = serde_json::json!(parameters);
    let bytes = serde_json::to_vec(&document).unwrap_or_default();
    hvp_fuzz::check_probe_document(&bytes);
});
