//! Recorded storage plan (+ facts) → teardown (commands and INI) or expansion in one format
//! (`hvp_core::teardown`, `hvp_core::layout::expand::generate`). The first byte picks the
//! step (`byte % 11`: 0 teardown, then the five formats of `OutputFormat::ALL` without and
//! with `ignore_drift`); the rest is
//! `{"recorded": <plan JSON format 2>, "facts": <facts document>, "drift": <drift list>}`
//! (the drift list is what `hvp-gdeploy-gen --drift` reads).
#![no_main]

use hvp_core::drift::{Drift, RecordedPlan};
use hvp_core::gdeploy_gen::OutputFormat;
use hvp_core::input::json;
use hvp_core::layout::expand::{generate, ExpandOptions};
use hvp_core::teardown::{plan_teardown, render_commands, render_ini};
use hvp_fuzz::{assert_no_raw_control, json_target, report_text};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn run(step: u8, document: &Value) -> Vec<String> {
    let null = Value::Null;
    let recorded = document.get("recorded").unwrap_or(&null);
    let facts = document.get("facts").unwrap_or(&null);
    let mut out = Vec::new();
    if step == 0 {
        teardown(recorded, &mut out);
    } else {
        expansion(step - 1, document, recorded, facts, &mut out);
    }
    out
}

fn teardown(recorded: &Value, out: &mut Vec<String>) {
    match RecordedPlan::from_value(recorded) {
        Ok(plan) => match plan_teardown(&plan) {
            Ok(teardown) => {
                for text in [render_commands(&teardown), render_ini(&teardown)] {
                    assert_no_raw_control("teardown", &text);
                    out.push(text);
                }
            }
            Err(report) => out.push(report_text("teardown report", &report)),
        },
        Err(error) => {
            let text = error.to_string();
            assert_no_raw_control("plan error", &text);
            assert!(!text.contains('\n'), "a plan error forged a line: {text}");
            out.push(text);
        }
    }
}

fn expansion(step: u8, document: &Value, recorded: &Value, facts: &Value, out: &mut Vec<String>) {
    let drift: Vec<Drift> = match document.get("drift").map(json::from_value) {
        None => Vec::new(),
        Some(Ok(drift)) => drift,
        Some(Err(error)) => {
            let text = error.to_string();
            assert_no_raw_control("drift list error", &text);
            out.push(text);
            Vec::new()
        }
    };
    let (format, _) = OutputFormat::ALL[usize::from(step % 5)];
    let options = ExpandOptions {
        ignore_drift: step >= 5,
        ..ExpandOptions::default()
    };
    match generate(recorded, facts, format, &drift, &options) {
        Ok((text, _)) => {
            assert_no_raw_control("expansion", &text);
            out.push(text);
        }
        Err(report) => out.push(report_text("expansion report", &report)),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    json_target(rest, |document: &Value| run(selector % 11, document));
});
