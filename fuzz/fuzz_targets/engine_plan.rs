//! Desired + observed Engine state → planned actions (`hvp_core::engine::plan`): the input is
//! `{"desired": <desired state>, "observed": <observed state>}`. No panic, no hang,
//! deterministic, and every action's description free of raw control characters.
#![no_main]

use hvp_core::engine::{plan, DesiredState, ObservedState};
use hvp_fuzz::{assert_no_raw_control, json_target};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Deserialize)]
struct Input {
    desired: DesiredState,
    #[serde(default)]
    observed: ObservedState,
}

fuzz_target!(|data: &[u8]| {
    json_target(data, |input: &Input| {
        let actions = plan(&input.observed, &input.desired);
        for action in &actions {
            assert_no_raw_control("action", &action.action.describe());
        }
        actions
    });
});
