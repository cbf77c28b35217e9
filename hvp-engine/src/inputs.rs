//! Reading the desired state and its inputs from files (JSON or YAML).

use std::path::Path;

use hvp_core::engine::{desired_state, DesiredState, EngineInputs};
use serde_json::Value;

/// Reads a JSON or YAML file into a JSON value (`-` is stdin).
pub fn read_document(path: &Path) -> Result<Value, String> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read stdin: {e}"))?
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    match serde_json::from_str(&text) {
        Ok(value) => Ok(value),
        Err(json_error) => serde_yaml_ng::from_str(&text).map_err(|yaml_error| {
            format!(
                "{} is neither JSON ({json_error}) nor YAML ({yaml_error})",
                path.display()
            )
        }),
    }
}

/// Parses a desired state document, naming the field that is wrong.
pub fn parse_state(value: Value, origin: &str) -> Result<DesiredState, String> {
    let state: DesiredState = serde_json::from_value(value).map_err(|error| {
        format!("{origin} is not a desired Engine state ({error}); see docs/engine.md")
    })?;
    if state.format_version != hvp_core::engine::STATE_FORMAT_VERSION {
        return Err(format!(
            "{origin} has format_version {}, this hvp reads {}",
            state.format_version,
            hvp_core::engine::STATE_FORMAT_VERSION
        ));
    }
    Ok(state)
}

/// Computes the desired state from its inputs.
pub fn state_from_inputs(inputs: Value) -> Result<DesiredState, String> {
    let inputs: EngineInputs = serde_json::from_value(inputs).map_err(|error| {
        format!("the inputs must be {{vars, network_plan, storage_plan, cpu}}: {error}")
    })?;
    desired_state(&inputs).map_err(|report| report.to_string())
}
