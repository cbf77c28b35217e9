//! `hvp-netprobe`'s kernel command line reader (`hvp_modules::netprobe::cmdline`) → the probe
//! document's `parameters` → the network plan in both modes. Every parameter name starts with
//! `hvp_`, no name or value holds white space, and the plan of a fixed four-zone node with
//! those parameters meets the probe-document invariants (`hvp_fuzz::check_probe_document`).
//!
//! The plan depends on the parameters only, and most command lines yield a parameter set seen
//! before (often none): each distinct set is planned once per process, so the executions go to
//! the reader rather than to re-planning the same node.
#![no_main]

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

use hvp_modules::netprobe::cmdline::hvp_parameters;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Parameter sets whose plan has been checked; cleared when it grows past `PLANNED_LIMIT`.
type Planned = HashSet<Vec<(String, String)>>;

/// How many distinct parameter sets are remembered before the memory starts over.
const PLANNED_LIMIT: usize = 100_000;

thread_local! {
    static PLANNED: RefCell<Planned> = RefCell::new(Planned::new());
}

/// True the first time `parameters` is seen (since the memory last started over).
fn first_time(parameters: &BTreeMap<String, String>) -> bool {
    let key: Vec<(String, String)> = parameters
        .iter()
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    PLANNED.with(|planned| {
        let mut planned = planned.borrow_mut();
        if planned.len() >= PLANNED_LIMIT {
            planned.clear();
        }
        planned.insert(key)
    })
}

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
    if !first_time(&parameters) {
        return;
    }
    let Ok(mut document) = serde_json::from_str::<Value>(NODE) else {
        return;
    };
    document["parameters"] = serde_json::json!(parameters);
    let bytes = serde_json::to_vec(&document).unwrap_or_default();
    hvp_fuzz::check_probe_document(&bytes);
});
