//! Desired + observed Engine state → planned actions (`hvp_core::engine::plan`): the input is
//! `{"desired": <desired state>, "observed": <observed state>}`. No panic, no hang,
//! deterministic, and every action's description free of raw control characters.
#![no_main]

use hvp_core::engine::{plan, DesiredState, ObservedState};
use hvp_core::input::json;
use hvp_fuzz::assert_no_raw_control;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Deserialize)]
struct Input {
    desired: DesiredState,
    #[serde(default)]
    observed: ObservedState,
}

fuzz_target!(|data: &[u8]| {
    let input: Input = match json::parse(data) {
        Ok(input) => input,
        Err(error) => return assert_no_raw_control("JSON error", &error.to_string()),
    };
    let first = plan(&input.observed, &input.desired);
    for action in &first {
        assert_no_raw_control("action", &action.action.describe());
    }
    assert_eq!(
        first,
        plan(&input.observed, &input.desired),
        "plan is not deterministic"
    );
});
