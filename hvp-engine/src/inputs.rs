//! Reading the desired state and its inputs from files (JSON or YAML), with the shared input
//! rules (`docs/input-rules.md`): invalid UTF-8 with its byte offset, JSON errors with line and
//! column or the field path and no Rust type names, control characters refused by field path,
//! names, addresses and URLs checked.

use std::path::Path;

use hvp_core::engine::{desired_state, input_checks, DesiredState, EngineInputs};
use hvp_core::input::escape::escape;
use hvp_core::input::json;
use hvp_core::report::Report;
use serde_json::Value;

/// Reads a JSON or YAML file into a JSON value (`-` is stdin).
pub fn read_document(path: &Path) -> Result<Value, String> {
    let shown = escape(&path.display().to_string()).into_owned();
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?
    };
    parse_document(&bytes, &shown)
}

/// Parses the bytes of a JSON or YAML document named `shown` (already escaped).
pub fn parse_document(bytes: &[u8], shown: &str) -> Result<Value, String> {
    let text = json::utf8(bytes).map_err(|error| format!("{shown} {error}"))?;
    match json::parse::<Value>(bytes) {
        Ok(value) => Ok(value),
        Err(json_error) => serde_yaml_ng::from_str(text).map_err(|yaml_error| {
            format!(
                "{shown} is neither JSON ({}) nor YAML ({})",
                json_error
                    .to_string()
                    .trim_start_matches("is not valid JSON: "),
                json::plain_words(&yaml_error.to_string())
            )
        }),
    }
}

/// Parses a desired state document, naming the field that is wrong.
pub fn parse_state(value: Value, origin: &str) -> Result<DesiredState, String> {
    let origin = escape(origin);
    let state: DesiredState = json::from_value(&value).map_err(|error| {
        format!("{origin} is not a desired Engine state ({error}); see docs/engine.md")
    })?;
    if state.format_version != hvp_core::engine::STATE_FORMAT_VERSION {
        return Err(format!(
            "{origin} has format_version {}, this hvp reads {}",
            state.format_version,
            hvp_core::engine::STATE_FORMAT_VERSION
        ));
    }
    let problems = input_checks::desired_state_problems(&value, &state);
    if !problems.is_empty() {
        return Err(format!("{origin}: {}", Report::new(problems)));
    }
    Ok(state)
}

/// Computes the desired state from its inputs.
pub fn state_from_inputs(inputs: Value) -> Result<DesiredState, String> {
    let inputs: EngineInputs = json::from_value(&inputs).map_err(|error| {
        format!("the inputs must be {{vars, network_plan, storage_plan, cpu}}: {error}")
    })?;
    desired_state(&inputs).map_err(|report| report.to_string())
}
