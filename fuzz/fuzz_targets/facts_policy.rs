//! Facts document with a chosen policy → plan → every output format
//! (`hvp_core::gdeploy_gen::generate_with`): the first byte picks the policy (compat, balanced
//! or the facts' own `hvp_layout_policy`), so the balanced policy's variables (placement,
//! filters, demands, VDO, cache, RAID) are reached from the balanced seeds.
#![no_main]

use hvp_core::gdeploy_gen::{generate_with, OutputFormat};
use hvp_core::input::json;
use hvp_core::layout::Policy;
use hvp_fuzz::{assert_no_raw_control, assert_report_lines};
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
    let facts: Value = match json::parse(rest) {
        Ok(value) => value,
        Err(error) => return assert_no_raw_control("JSON error", &error.to_string()),
    };
    for format in [
        OutputFormat::Ini,
        OutputFormat::Json,
        OutputFormat::Table,
        OutputFormat::Commands,
        OutputFormat::GlusterAnsible,
    ] {
        let first = generate_with(&facts, format, policy);
        match &first {
            Ok(generated) => {
                assert_no_raw_control("output", &generated.output);
                for warning in &generated.warnings {
                    assert_no_raw_control("warning", warning);
                }
            }
            Err(report) => {
                assert_report_lines("report", &report.to_string(), report.problems().len())
            }
        }
        assert_eq!(
            first,
            generate_with(&facts, format, policy),
            "output is not deterministic"
        );
    }
});
