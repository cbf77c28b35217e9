//! Engine inputs (`{vars, network_plan, storage_plan, cpu}`) → desired state
//! (`hvp_core::engine::desired_state`) → the plan against an empty Engine and against the
//! desired state itself read back as observed (which must plan nothing but waits).
#![no_main]

use hvp_core::engine::{desired_state, plan, EngineInputs, ObservedState};
use hvp_core::input::json;
use hvp_fuzz::{assert_no_raw_control, json_target, report_text};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn run(document: &Value) -> String {
    let inputs: EngineInputs = match json::from_value(document) {
        Ok(inputs) => inputs,
        Err(error) => {
            let text = error.to_string();
            assert_no_raw_control("inputs error", &text);
            return text;
        }
    };
    match desired_state(&inputs) {
        Ok(state) => {
            let text = serde_json::to_string(&state).unwrap_or_default();
            let actions = plan(&ObservedState::default(), &state);
            let actions = serde_json::to_string(&actions).unwrap_or_default();
            format!("{text}\n{actions}")
        }
        Err(report) => report_text("report", &report),
    }
}

fuzz_target!(|data: &[u8]| json_target(data, |document: &Value| run(document)));
