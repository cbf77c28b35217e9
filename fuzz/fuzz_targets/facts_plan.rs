//! Facts document → plan → every output format (`hvp_core::gdeploy_gen::generate`).
#![no_main]

use hvp_core::gdeploy_gen::{generate, OutputFormat};
use hvp_fuzz::{check_generated, json_target};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    json_target(data, |facts: &Value| {
        OutputFormat::ALL.map(|(format, _)| check_generated(&generate(facts, format)))
    });
});
