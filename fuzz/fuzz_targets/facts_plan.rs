//! Facts document → plan → every output format (`hvp_core::gdeploy_gen::generate`).
#![no_main]

use hvp_core::gdeploy_gen::{generate, OutputFormat};
use hvp_core::input::json;
use hvp_fuzz::{assert_no_raw_control, assert_report_lines};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let facts: Value = match json::parse(data) {
        Ok(value) => value,
        Err(error) => return assert_no_raw_control("JSON error", &error.to_string()),
    };
    for format in [OutputFormat::Ini, OutputFormat::Json, OutputFormat::Table] {
        let first = generate(&facts, format);
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
        assert_eq!(first, generate(&facts, format), "output is not deterministic");
    }
});
