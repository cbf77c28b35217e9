//! The plan as pretty-printed JSON.

use crate::network::NetworkPlan;

/// Renders the whole plan as pretty-printed JSON (keys in declaration order).
pub fn json(plan: &NetworkPlan) -> String {
    // The plan holds only strings, numbers, addresses and maps with string keys: it always serializes.
    let mut text = serde_json::to_string_pretty(plan).unwrap_or_default();
    text.push('\n');
    text
}
