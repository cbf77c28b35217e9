//! Recorded storage plan (+ facts) → expansion in every format, teardown in every format
//! (`hvp_core::layout::expand::generate`, `hvp_core::teardown`). The input is
//! `{"recorded": <plan JSON format 2>, "facts": <facts document>}`.
#![no_main]

use hvp_core::drift::RecordedPlan;
use hvp_core::gdeploy_gen::OutputFormat;
use hvp_core::input::json;
use hvp_core::layout::expand::{generate, ExpandOptions};
use hvp_core::teardown::{plan_teardown, render_commands, render_ini};
use hvp_fuzz::{assert_no_raw_control, assert_report_lines};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn run(document: &Value) -> Vec<String> {
    let null = Value::Null;
    let recorded = document.get("recorded").unwrap_or(&null);
    let facts = document.get("facts").unwrap_or(&null);
    let mut out = Vec::new();
    match RecordedPlan::from_value(recorded) {
        Ok(plan) => match plan_teardown(&plan) {
            Ok(teardown) => {
                for text in [render_commands(&teardown), render_ini(&teardown)] {
                    assert_no_raw_control("teardown", &text);
                    out.push(text);
                }
            }
            Err(report) => {
                let text = report.to_string();
                assert_report_lines("teardown report", &text, report.problems().len());
                out.push(text);
            }
        },
        Err(error) => {
            let text = error.to_string();
            assert_no_raw_control("plan error", &text);
            assert!(!text.contains('\n'), "a plan error forged a line: {text}");
            out.push(text);
        }
    }
    for format in [
        OutputFormat::Ini,
        OutputFormat::Json,
        OutputFormat::Table,
        OutputFormat::Commands,
        OutputFormat::GlusterAnsible,
    ] {
        match generate(recorded, facts, format, &[], &ExpandOptions::default()) {
            Ok((text, _)) => {
                assert_no_raw_control("expansion", &text);
                out.push(text);
            }
            Err(report) => {
                let text = report.to_string();
                assert_report_lines("expansion report", &text, report.problems().len());
                out.push(text);
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let document: Value = match json::parse(data) {
        Ok(value) => value,
        Err(error) => return assert_no_raw_control("JSON error", &error.to_string()),
    };
    assert_eq!(
        run(&document),
        run(&document),
        "output is not deterministic"
    );
});
