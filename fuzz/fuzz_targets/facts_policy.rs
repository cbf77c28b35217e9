//! Facts document with a chosen policy → plan → one output format
//! (`hvp_core::gdeploy_gen::generate_with`): the first byte picks the policy (`byte % 3`: the
//! facts' own `hvp_layout_policy`, compat, balanced), so the balanced policy's variables
//! (placement, filters, demands, VDO, cache, RAID) are reached from the balanced seeds, and the
//! output format (`byte / 3 % 5`, in `OutputFormat::ALL` order). One format per execution:
//! a plan costs the same in every format, so this runs five times as many inputs.
#![no_main]

use hvp_core::gdeploy_gen::{generate_with, OutputFormat};
use hvp_core::layout::Policy;
use hvp_fuzz::{check_generated, json_target};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let policy = match selector % 3 {
        0 => None,
        1 => Policy::from_name("compat"),
        _ => Policy::from_name("balanced"),
    };
    let (format, _) = OutputFormat::ALL[usize::from(selector / 3) % OutputFormat::ALL.len()];
    json_target(rest, |facts: &Value| {
        check_generated(&generate_with(facts, format, policy))
    });
});
